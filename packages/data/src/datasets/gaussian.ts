import type { Rng } from '@bridgekit/core';
import { checkRng } from './check-rng.js';
import { checkSampleCount } from './sample-count.js';
import { resolveStretch, type StretchOptions } from './stretch.js';

/** Options of {@link gaussian}. */
export type GaussianOptions = StretchOptions;

/**
 * VSDM's Gaussian consistency-check data (official code, `data.py` `build_data_sampler`, problem
 * 'gaussian'; algorithms.md §1.9, T17): N(m, Σ) with m = (−8, 2) and Σ = [[1, 1], [1, 5]], sampled as
 * m + L·z with the Cholesky factor L = [[1, 0], [1, 2]] and z ~ N(0, I₂) (what torch's
 * MultivariateNormal does), then x ← x·xScalar, y ← y·yScalar. Returns n×2 row-major float32.
 */
export function gaussian(n: number, rng: Rng, options?: GaussianOptions): Float32Array {
  checkSampleCount('gaussian', n);
  checkRng('gaussian', rng);
  const { xs, ys } = resolveStretch('gaussian', options);
  const z = rng.normal(2 * n);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const z1 = z[2 * i]!;
    const z2 = z[2 * i + 1]!;
    out[2 * i] = (-8 + z1) * xs;
    out[2 * i + 1] = (2 + z1 + 2 * z2) * ys;
  }
  return out;
}
