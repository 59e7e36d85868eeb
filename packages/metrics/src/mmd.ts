import { checkPair, type PointSet } from './points.js';

/** The default Gaussian-kernel bandwidths of {@link mmd2}. */
export const DEFAULT_MMD_BANDWIDTHS: readonly number[] = Object.freeze([0.1, 0.5, 1, 2, 5]);

/** Options of {@link mmd2}. */
export interface Mmd2Options {
  /** Bandwidths h of the summed Gaussian kernels (default [0.1, 0.5, 1, 2, 5]). */
  readonly bandwidths?: readonly number[];
  /** Unbiased U-statistic (default true) or the biased V-statistic. */
  readonly unbiased?: boolean;
}

/**
 * Squared maximum mean discrepancy with the multi-bandwidth Gaussian kernel
 * k(x, y) = Σ_h exp(−‖x − y‖² / (2h²)), h ∈ `bandwidths` (default [0.1, 0.5, 1, 2, 5]; note k(x, x)
 * equals the number of bandwidths, not 1):
 *
 * - unbiased (default): MMD²_u = 1/(n(n−1)) Σ_{i≠i'} k(a_i, a_i') + 1/(m(m−1)) Σ_{j≠j'} k(b_j, b_j')
 *   − 2/(nm) Σ_{i,j} k(a_i, b_j); it can be slightly negative, needs n, m ≥ 2, and for identical
 *   sets it is ≈ −2k(0)/n, not 0;
 * - biased (`unbiased: false`): the V-statistic with the diagonal terms and 1/n², 1/m², which is ≥ 0
 *   and exactly 0 for identical sets (all three sums run the same loop in the same order).
 *
 * Cost O((n + m)² · dim · #bandwidths).
 */
export function mmd2(a: PointSet, b: PointSet, dim: number, options: Mmd2Options = {}): number {
  const unbiased = options.unbiased ?? true;
  const { n, m } = checkPair(a, b, dim, ['a', 'b'], { minPoints: unbiased ? 2 : 1 });
  const bandwidths = options.bandwidths ?? DEFAULT_MMD_BANDWIDTHS;
  if (bandwidths.length === 0) {
    throw new RangeError('bandwidths must list at least one positive bandwidth, got []');
  }
  const coefficients = new Float64Array(bandwidths.length);
  for (const [k, h] of bandwidths.entries()) {
    if (!(Number.isFinite(h) && h > 0)) {
      throw new RangeError(`bandwidths[${k}] is ${h}; every bandwidth must be a finite positive number`);
    }
    coefficients[k] = -1 / (2 * h * h);
  }
  const kaa = kernelSum(a, n, a, n, dim, coefficients, unbiased);
  const kbb = kernelSum(b, m, b, m, dim, coefficients, unbiased);
  const kab = kernelSum(a, n, b, m, dim, coefficients, false);
  if (unbiased) return kaa / (n * (n - 1)) + kbb / (m * (m - 1)) - (2 * kab) / (n * m);
  return kaa / (n * n) + kbb / (m * m) - (2 * kab) / (n * m);
}

/** Σ_{i,j} k(x_i, y_j), optionally skipping i = j; one fixed loop order for every call. */
function kernelSum(
  x: PointSet,
  nx: number,
  y: PointSet,
  ny: number,
  dim: number,
  coefficients: Float64Array,
  skipDiagonal: boolean,
): number {
  const nk = coefficients.length;
  let total = 0;
  for (let i = 0; i < nx; i++) {
    const xi = i * dim;
    let row = 0;
    for (let j = 0; j < ny; j++) {
      if (skipDiagonal && i === j) continue;
      const yj = j * dim;
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        const diff = x[xi + c]! - y[yj + c]!;
        d2 += diff * diff;
      }
      for (let k = 0; k < nk; k++) row += Math.exp(coefficients[k]! * d2);
    }
    total += row;
  }
  return total;
}
