import { checkPoints, type PointSet } from './points.js';

/**
 * Exact W2² between two 1-D empirical distributions with uniform weights (sizes n and m may differ):
 * ∫₀¹ (F⁻¹(u) − G⁻¹(u))² du, where F⁻¹, G⁻¹ are the empirical quantile functions (step functions
 * with steps at i/n and j/m). For n = m it is the sorted (quantile) matching (1/n) Σᵢ (a₍ᵢ₎ − b₍ᵢ₎)²,
 * which is the optimal assignment in one dimension. The inputs are not modified (sorted copies).
 */
export function w2Squared1d(a: PointSet, b: PointSet): number {
  checkPoints('a', a, 1);
  checkPoints('b', b, 1);
  if (a.length === 0 || b.length === 0) {
    throw new RangeError(`a and b need at least one value each, got ${a.length} and ${b.length}`);
  }
  return sortedW2Squared(Float64Array.from(a).sort(), Float64Array.from(b).sort());
}

/**
 * W2² between two ascending-sorted 1-D samples with uniform weights (see {@link w2Squared1d}).
 * Equal sizes: mean of squared differences of order statistics. Unequal sizes: the quantile
 * functions are merged on the breakpoints i·m and j·n of the common grid of n·m cells (integer
 * arithmetic, so the weights are exact).
 */
export function sortedW2Squared(sa: Float64Array, sb: Float64Array): number {
  const n = sa.length;
  const m = sb.length;
  if (n === m) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const diff = sa[i]! - sb[i]!;
      s += diff * diff;
    }
    return s / n;
  }
  // Quantile cells: a_(i) covers (i·m, (i+1)·m], b_(j) covers (j·n, (j+1)·n] on [0, n·m].
  let i = 0;
  let j = 0;
  let position = 0;
  let s = 0;
  while (i < n && j < m) {
    const endA = (i + 1) * m;
    const endB = (j + 1) * n;
    const end = endA < endB ? endA : endB;
    const diff = sa[i]! - sb[j]!;
    s += diff * diff * (end - position);
    position = end;
    if (endA === end) i++;
    if (endB === end) j++;
  }
  return s / (n * m);
}
