import type { Rng } from '@bridgekit/core';
import { describeValue } from '../describe-value.js';
import { checkRng } from './check-rng.js';
import { checkSampleCount } from './sample-count.js';
import { resolveStretch, type StretchOptions } from './stretch.js';

/**
 * How {@link moons} perturbs the arm points.
 * - 'torchdyn': one u ~ Unif[0, noise) per point added to *both* coordinates, p + (u, u)
 *   (torchdyn `generate_moons`: `X += np.random.rand(n_samples, 1) * noise`), which is what
 *   TorchCFM's `sample_moons` uses.
 * - 'sklearn': isotropic Gaussian N(0, noise²·I₂) (sklearn `make_moons`).
 */
export type MoonsNoiseModel = 'torchdyn' | 'sklearn';

/**
 * How {@link moons} places the points along the arms.
 * - 'grid' (reference): ⌊n/2⌋ outer and n − ⌊n/2⌋ inner points at evenly spaced angles
 *   linspace(0, π) per arm: a stratified sample of the law below.
 * - 'iid': every point independently picks an arm with probability ½ and an angle φ ~ Unif[0, π).
 *   This is the law a generative model learns; two 'grid' draws share their angles, so the W2 between
 *   them (~0.075 at n = 2000) understates what a perfect sampler reaches (~0.19, 'iid' against 'grid').
 */
export type MoonsPlacement = 'grid' | 'iid';

/** Options of {@link moons}. */
export interface MoonsOptions extends StretchOptions {
  /** Noise magnitude before the ×3 − 1 map; default 0.2 (TorchCFM). */
  readonly noise?: number;
  /** Noise law, default 'torchdyn' (TorchCFM); see {@link MoonsNoiseModel}. */
  readonly noiseModel?: MoonsNoiseModel;
  /** Angle placement, default 'grid' (TorchCFM); see {@link MoonsPlacement}. */
  readonly placement?: MoonsPlacement;
}

/** `numpy.linspace(0, π, count)`: evenly spaced, both ends included; `[0]` when count is 1. */
function angleGrid(count: number): Float64Array {
  const grid = new Float64Array(count);
  if (count <= 1) return grid;
  const step = Math.PI / (count - 1);
  for (let i = 0; i < count; i++) grid[i] = i * step;
  grid[count - 1] = Math.PI;
  return grid;
}

/**
 * TorchCFM's moons (`torchcfm/utils.py`: `sample_moons(n)` = `generate_moons(n, noise=0.2)` from
 * torchdyn, then `x0 * 3 - 1`). Before the map: ⌊n/2⌋ points on the upper unit half-circle
 * (cos φ, sin φ) and n − ⌊n/2⌋ on the lower half-circle (1 − cos φ, 0.5 − sin φ), centred at (1, 0.5),
 * with φ on the evenly spaced grid linspace(0, π, count) of each arm (torchdyn and sklearn's
 * `make_moons` both use this deterministic grid); then the noise (see {@link MoonsNoiseModel}); then
 * p ← 3p − 1 on both coordinates; then x ← x·xScalar, y ← y·yScalar.
 *
 * With `placement: 'iid'` the arms and angles are drawn independently per point instead (see
 * {@link MoonsPlacement}); use it for noise floors and anything else that needs i.i.d. draws.
 *
 * Not in the reference: the rows are shuffled (the reference returns the outer arm first), so any
 * prefix holds both arms; the set of points has the reference's law. Draws the noise first (n
 * uniforms for 'torchdyn', 2n normals for 'sklearn'), then the permutation. Note that
 * TorchCFM's experiment runner (`runner/.../distribution_datamodule.py`, `SKLearnDataModule`) uses a
 * different moons: sklearn `make_moons(noise=0.05)`, ×2, x − 1. Returns n×2 row-major float32.
 */
export function moons(n: number, rng: Rng, options?: MoonsOptions): Float32Array {
  checkSampleCount('moons', n);
  checkRng('moons', rng);
  const { xs, ys } = resolveStretch('moons', options);
  const noise = options?.noise ?? 0.2;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw new RangeError(`moons: options.noise must be a finite number >= 0, got ${describeValue(noise)}`);
  }
  const noiseModel = options?.noiseModel ?? 'torchdyn';
  if (noiseModel !== 'torchdyn' && noiseModel !== 'sklearn') {
    throw new RangeError(
      `moons: options.noiseModel must be 'torchdyn' or 'sklearn', got ${describeValue(noiseModel)}`,
    );
  }
  const placement = options?.placement ?? 'grid';
  if (placement !== 'grid' && placement !== 'iid') {
    throw new RangeError(`moons: options.placement must be 'grid' or 'iid', got ${describeValue(placement)}`);
  }
  // 'iid' draws its arms and angles first (2n uniforms), then the same noise and permutation.
  const iid = placement === 'iid' ? rng.uniform(2 * n) : undefined;
  const nOut = Math.floor(n / 2);
  const outer = angleGrid(nOut);
  const inner = angleGrid(n - nOut);
  const shift = noiseModel === 'torchdyn' ? rng.uniform(n) : undefined;
  const gauss = noiseModel === 'sklearn' ? rng.normal(2 * n) : undefined;
  const order = rng.permutation(n);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    let x: number;
    let y: number;
    if (iid !== undefined) {
      const phi = Math.PI * iid[2 * i + 1]!;
      const upper = iid[2 * i]! < 0.5;
      x = upper ? Math.cos(phi) : 1 - Math.cos(phi);
      y = upper ? Math.sin(phi) : 0.5 - Math.sin(phi);
    } else if (i < nOut) {
      const phi = outer[i]!;
      x = Math.cos(phi);
      y = Math.sin(phi);
    } else {
      const phi = inner[i - nOut]!;
      x = 1 - Math.cos(phi);
      y = 1 - Math.sin(phi) - 0.5;
    }
    if (shift !== undefined) {
      x += shift[i]! * noise;
      y += shift[i]! * noise;
    } else if (gauss !== undefined) {
      x += noise * gauss[2 * i]!;
      y += noise * gauss[2 * i + 1]!;
    }
    const row = order[i]!;
    out[2 * row] = (x * 3 - 1) * xs;
    out[2 * row + 1] = (y * 3 - 1) * ys;
  }
  return out;
}
