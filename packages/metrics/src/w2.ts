import { linearSumAssignment } from './assignment.js';
import { squaredDistanceMatrix } from './distances.js';
import { checkPair, type PointSet } from './points.js';

/** The optimal coupling found by {@link w2Assignment}. */
export interface W2Assignment {
  /** `rowToCol[i]` = index of the point of `b` matched to point i of `a`. */
  readonly rowToCol: Int32Array;
  /** Number of points in each set. */
  readonly n: number;
  /** W2² = (1/n) Σᵢ ‖a_i − b_{rowToCol[i]}‖². */
  readonly w2Squared: number;
}

/**
 * Exact optimal transport between two equal-size point sets with uniform weights 1/n and squared
 * Euclidean ground cost: the permutation σ minimising Σᵢ ‖a_i − b_σ(i)‖² (by
 * {@link linearSumAssignment} on the float64 squared-distance matrix), with W2² = that minimum / n.
 * For uniform weights and equal n an optimal plan of the Kantorovich problem is a permutation
 * (Birkhoff), so this is the exact empirical W2², not an approximation. Memory: one n×n float64 matrix.
 */
export function w2Assignment(a: PointSet, b: PointSet, dim: number): W2Assignment {
  const { n } = checkPair(a, b, dim, ['a', 'b'], { sameSize: true });
  const cost = squaredDistanceMatrix(a, b, dim);
  const { rowToCol, cost: total } = linearSumAssignment(cost, n);
  return { rowToCol, n, w2Squared: total / n };
}

/**
 * Empirical W2² between two equal-size point sets: the mean squared Euclidean distance of the exact
 * optimal assignment, W2² = minσ (1/n) Σᵢ ‖a_i − b_σ(i)‖² (uniform weights). Some papers print this
 * and call it W2. Biased upward at small n (see the README).
 */
export function w2Squared(a: PointSet, b: PointSet, dim: number): number {
  return w2Assignment(a, b, dim).w2Squared;
}

/**
 * Empirical 2-Wasserstein distance between two equal-size point sets: W2 = √W2², with W2² the mean
 * squared Euclidean distance of the exact optimal assignment (uniform weights; see {@link w2Squared}).
 */
export function w2(a: PointSet, b: PointSet, dim: number): number {
  return Math.sqrt(Math.max(0, w2Squared(a, b, dim)));
}
