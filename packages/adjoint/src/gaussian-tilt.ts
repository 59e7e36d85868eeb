import { perCoordinate, requireNonNegative, requirePositive } from './validate.js';

/** Options of {@link gaussianTilt}: the base N(mean, diag(variance)), the reward −(a/2)‖x − c‖² and λ. */
export interface GaussianTiltOptions {
  /** Base mean m: one number for every coordinate, or one per coordinate. */
  readonly mean: number | readonly number[];
  /** Base variance s² > 0: isotropic (one number) or per coordinate. */
  readonly variance: number | readonly number[];
  /** Reward curvature a > 0. */
  readonly a: number;
  /** Reward centre c: one number or one per coordinate. */
  readonly c: number | readonly number[];
  /** Reward multiplier λ ≥ 0 (0 gives the base). */
  readonly lambda: number;
}

/** A Gaussian with diagonal covariance, per coordinate. */
export interface DiagonalGaussian {
  readonly mean: number[];
  readonly variance: number[];
}

/**
 * The exact tilted law p*(x) ∝ N(x; m, diag(s²))·e^{λr(x)} for r(x) = −(a/2)‖x − c‖² (algorithms.md §9 T12),
 * coordinate by coordinate:
 *
 *     p* = N( (m/s² + λac) / (1/s² + λa),  1 / (1/s² + λa) ).
 *
 * Coordinates are independent because the base is diagonal and r is a sum over coordinates. The result
 * has D = the longest of mean, variance and c (each of length 1 or D).
 */
export function gaussianTilt(options: GaussianTiltOptions): DiagonalGaussian {
  const where = 'gaussianTilt';
  const { mean, variance, a, c, lambda } = options;
  requirePositive(where, 'a', a);
  requireNonNegative(where, 'lambda', lambda);
  const len = (v: number | readonly number[]) => (typeof v === 'number' ? 1 : v.length);
  const d = Math.max(len(mean), len(variance), len(c));
  const m = perCoordinate(where, 'mean', mean, d);
  const s2 = perCoordinate(where, 'variance', variance, d);
  for (const [i, v] of s2.entries())
    requirePositive(where, typeof variance === 'number' ? 'variance' : `variance[${i}]`, v);
  const centre = perCoordinate(where, 'c', c, d);
  const precision = s2.map((v) => 1 / v + lambda * a);
  return {
    mean: precision.map((p, i) => (m[i]! / s2[i]! + lambda * a * centre[i]!) / p),
    variance: precision.map((p) => 1 / p),
  };
}
