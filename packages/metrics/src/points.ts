/**
 * A set of n points in R^dim, stored row-major: point i occupies entries [i·dim, (i + 1)·dim).
 * Float32 input is promoted to float64 in every computation of this package.
 */
export type PointSet = Float32Array | Float64Array;

/**
 * Checks that `points` is a row-major point set of dimension `dim` and returns its number of rows.
 *
 * Throws a `TypeError` if `points` is not a Float32Array/Float64Array, a `RangeError` naming `name`
 * if `dim` is not a positive integer, if the length is not a multiple of `dim`, or if any value is
 * not finite (the message gives the first bad row and value).
 */
export function checkPoints(name: string, points: PointSet, dim: number): number {
  checkDim(dim);
  if (!(points instanceof Float32Array || points instanceof Float64Array)) {
    throw new TypeError(
      `${name} must be a Float32Array or Float64Array of row-major points, got ${describe(points)}`,
    );
  }
  if (points.length % dim !== 0) {
    throw new RangeError(
      `${name} has length ${points.length}, which is not a multiple of dim = ${dim}; ` +
        'a point set stores n·dim values row-major',
    );
  }
  for (let k = 0; k < points.length; k++) {
    const value = points[k]!;
    if (!Number.isFinite(value)) {
      const row = Math.floor(k / dim);
      throw new RangeError(
        `${name} row ${row} (column ${k % dim}) is ${value}; every coordinate must be a finite number`,
      );
    }
  }
  return points.length / dim;
}

/** Throws a `RangeError` unless `dim` is a positive integer. */
export function checkDim(dim: number): void {
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`dim must be a positive integer, got ${String(dim)}`);
  }
}

/**
 * Checks two point sets of the same dimension and returns their sizes. With `sameSize`, throws a
 * `RangeError` unless both have the same number of points; `minPoints` (default 1) is the least
 * number of points each set must have.
 */
export function checkPair(
  a: PointSet,
  b: PointSet,
  dim: number,
  names: readonly [string, string] = ['a', 'b'],
  options: { sameSize?: boolean; minPoints?: number } = {},
): { n: number; m: number } {
  const n = checkPoints(names[0], a, dim);
  const m = checkPoints(names[1], b, dim);
  const minPoints = options.minPoints ?? 1;
  if (n < minPoints) {
    throw new RangeError(`${names[0]} has ${n} points; at least ${minPoints} are needed`);
  }
  if (m < minPoints) {
    throw new RangeError(`${names[1]} has ${m} points; at least ${minPoints} are needed`);
  }
  if (options.sameSize && n !== m) {
    throw new RangeError(
      `${names[0]} has ${n} points but ${names[1]} has ${m}; this metric needs two sets of equal size`,
    );
  }
  return { n, m };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}
