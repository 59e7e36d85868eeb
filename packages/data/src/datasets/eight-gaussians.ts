import type { Rng } from '@bridgekit/core';
import { checkRng } from './check-rng.js';
import { checkSampleCount } from './sample-count.js';
import { positiveFactor, resolveStretch, type StretchOptions } from './stretch.js';

/** Options of {@link eightGaussians}. */
export interface EightGaussiansOptions extends StretchOptions {
  /** Radius of the ring of centres (TorchCFM `scale`); default 5. */
  readonly scale?: number;
  /**
   * Per-coordinate noise variance. Default √0.1 ≈ 0.3162, what TorchCFM's code actually samples:
   * `sample_8gaussians` passes var = 0.1, but `eight_normal_sample` builds
   * `MultivariateNormal(0, math.sqrt(var) * I)`, whose second argument is the covariance matrix, so
   * the covariance is √0.1·I (std 0.1^¼ ≈ 0.5623). Pass 0.1 for the nominal value.
   */
  readonly variance?: number;
}

const S = 1 / Math.sqrt(2);
/** Unit-radius centres in TorchCFM's order. */
const CENTRES: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [S, S],
  [S, -S],
  [-S, S],
  [-S, -S],
];

/** TorchCFM's default noise variance for 8gaussians (see {@link EightGaussiansOptions.variance}). */
export const EIGHT_GAUSSIANS_VARIANCE = Math.sqrt(0.1);

/**
 * TorchCFM's 8gaussians (`torchcfm/utils.py`: `sample_8gaussians(n)` =
 * `eight_normal_sample(n, 2, scale=5, var=0.1)`): x = scale·c_k + ε with c_k one of the 8 unit
 * vectors (±1, 0), (0, ±1), (±1/√2, ±1/√2), k uniform over the 8 with replacement
 * (`torch.multinomial(torch.ones(8), n, replacement=True)`), and ε ~ N(0, v·I₂) with v = √0.1 by
 * default (the covariance the code really uses, see {@link EightGaussiansOptions.variance}); then
 * x ← x·xScalar, y ← y·yScalar. Draws the noise (2n normals) first, then the components, as the
 * reference does. Returns n×2 row-major float32.
 */
export function eightGaussians(n: number, rng: Rng, options?: EightGaussiansOptions): Float32Array {
  checkSampleCount('eightGaussians', n);
  checkRng('eightGaussians', rng);
  const { xs, ys } = resolveStretch('eightGaussians', options);
  const scale = positiveFactor('eightGaussians', 'scale', options?.scale, 5);
  const variance = positiveFactor('eightGaussians', 'variance', options?.variance, EIGHT_GAUSSIANS_VARIANCE);
  const sd = Math.sqrt(variance);
  const z = rng.normal(2 * n);
  const k = rng.randint(n, CENTRES.length);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = CENTRES[k[i]!]!;
    out[2 * i] = (scale * c[0] + sd * z[2 * i]!) * xs;
    out[2 * i + 1] = (scale * c[1] + sd * z[2 * i + 1]!) * ys;
  }
  return out;
}

/** The law {@link eightGaussians} samples, as a Gaussian mixture (structurally `GaussianMixture` of @bridgekit/sde). */
export interface EightGaussiansMixture {
  readonly weights: number[];
  readonly means: number[][];
  readonly covs: number[][][];
}

/**
 * The exact law of {@link eightGaussians} with the same options: weights 1/8, means scale·c_k (stretched),
 * covariances diag(v·xScalar², v·yScalar²), in TorchCFM's order of the centres. Lets a reward or a metric
 * use the true density of the dataset (e.g. a mode-reweighting reward with an exactly known target).
 */
export function eightGaussiansMixture(options?: EightGaussiansOptions): EightGaussiansMixture {
  const { xs, ys } = resolveStretch('eightGaussiansMixture', options);
  const scale = positiveFactor('eightGaussiansMixture', 'scale', options?.scale, 5);
  const variance = positiveFactor(
    'eightGaussiansMixture',
    'variance',
    options?.variance,
    EIGHT_GAUSSIANS_VARIANCE,
  );
  return {
    weights: CENTRES.map(() => 1 / CENTRES.length),
    means: CENTRES.map((c) => [scale * c[0] * xs, scale * c[1] * ys]),
    covs: CENTRES.map(() => [
      [variance * xs * xs, 0],
      [0, variance * ys * ys],
    ]),
  };
}
