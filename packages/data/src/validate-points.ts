import { describeValue } from './describe-value.js';

/**
 * Checks that `points` is a row-major n×dim array of finite numbers: dim a positive integer, the
 * length a multiple of dim, no NaN or ±Infinity. Throws a RangeError that names `source` (a file, a
 * dataset, an argument) and the first bad row and column, both 1-based.
 */
export function validatePoints(points: ArrayLike<number>, dim: number, source: string): void {
  checkDim(dim, source);
  if (points === null || typeof points !== 'object' || typeof points.length !== 'number') {
    throw new TypeError(`${source}: points must be an array of numbers, got ${describeValue(points)}`);
  }
  if (points.length % dim !== 0) {
    throw new RangeError(
      `${source}: ${points.length} values do not split into rows of dim = ${dim} (length must be a multiple of dim)`,
    );
  }
  for (let i = 0; i < points.length; i++) {
    const v = points[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const row = Math.floor(i / dim) + 1;
      const col = (i % dim) + 1;
      throw new RangeError(
        `${source}: row ${row}, column ${col} is ${describeValue(v)}; every value must be a finite number (rows and columns count from 1)`,
      );
    }
  }
}

/** Throws unless `dim` is a positive integer, naming `source`. */
export function checkDim(dim: unknown, source: string): asserts dim is number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(
      `${source}: dim must be a positive integer (values per row), got ${describeValue(dim)}`,
    );
  }
}
