import type { PointSet } from './points.js';

/**
 * The fraction of the rows of `points` (row-major, `dim` columns) nearest, in Euclidean distance, to
 * each of `centres`: the mass per mode of samples from a mixture whose modes are well separated.
 * Fractions are over all rows; a row with a non-finite coordinate (a diverged sample) counts toward no
 * centre, so the fractions then sum to less than 1. Ties go to the first centre.
 */
export function nearestCentreMasses(
  points: PointSet,
  dim: number,
  centres: readonly (readonly number[])[],
): number[] {
  if (!Number.isSafeInteger(dim) || dim < 1) {
    throw new RangeError(`nearestCentreMasses: dim must be a positive integer, got ${dim}`);
  }
  if (points.length % dim !== 0 || points.length === 0) {
    throw new RangeError(
      `nearestCentreMasses: points has length ${points.length}, which is not a positive multiple of dim = ${dim}`,
    );
  }
  if (centres.length === 0) throw new RangeError('nearestCentreMasses: centres must not be empty');
  for (const [k, c] of centres.entries()) {
    if (c.length !== dim) {
      throw new RangeError(`nearestCentreMasses: centres[${k}] has ${c.length} coordinates, expected ${dim}`);
    }
  }
  const counts = new Array<number>(centres.length).fill(0);
  const rows = points.length / dim;
  for (let i = 0; i < rows; i++) {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [k, c] of centres.entries()) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (points[i * dim + j]! - c[j]!) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best >= 0) counts[best]! += 1;
  }
  return counts.map((c) => c / rows);
}
