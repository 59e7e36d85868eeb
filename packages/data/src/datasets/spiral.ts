import type { Rng } from '@bridgekit/core';
import { checkRng } from './check-rng.js';
import { checkSampleCount } from './sample-count.js';
import { resolveStretch, type StretchOptions } from './stretch.js';

/** Options of {@link spiral}. */
export type SpiralOptions = StretchOptions;

/**
 * VSDM's spiral (official code, `data.py` class `Spiral`; algorithms.md §1.9): θ = √U·3π − π/2 with
 * U ~ Unif[0, 1), r = θ + π, p = (r cos θ, r sin θ) + 0.25·N(0, I₂), then p ← 0.4·p, then
 * x ← x·xScalar, y ← y·yScalar. The paper's anisotropic task is yScalar = 8 ('spiral-y8').
 *
 * Draws U first (n uniforms), then the noise (2n normals), as the reference does. The stretch
 * multiplies after the 0.4 factor, so `spiral(n, rng, { yScalar: 8 })` has exactly 8× the y
 * coordinates of `spiral(n, rng)` from the same seed. Returns n×2 row-major float32.
 */
export function spiral(n: number, rng: Rng, options?: SpiralOptions): Float32Array {
  checkSampleCount('spiral', n);
  checkRng('spiral', rng);
  const { xs, ys } = resolveStretch('spiral', options);
  const u = rng.uniform(n);
  const z = rng.normal(2 * n);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const theta = Math.sqrt(u[i]!) * 3 * Math.PI - 0.5 * Math.PI;
    const r = theta + Math.PI;
    out[2 * i] = (r * Math.cos(theta) + 0.25 * z[2 * i]!) * 0.4 * xs;
    out[2 * i + 1] = (r * Math.sin(theta) + 0.25 * z[2 * i + 1]!) * 0.4 * ys;
  }
  return out;
}
