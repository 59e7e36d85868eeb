import { Matrix } from './matrix.js';

/**
 * Solves T·X = B or Tᵀ·X = B for triangular T by forward or back substitution.
 *
 * `lower` (default true) says which triangle of `l` holds T; the other triangle is never read, so a
 * packed factor can be passed as is. `transpose` (default false) solves with Tᵀ, which for a
 * Cholesky factor L turns L·Lᵀ·X = B into two calls without forming Lᵀ.
 */
export function solveTriangular(
  l: Matrix,
  b: Matrix,
  options: { lower?: boolean; transpose?: boolean } = {},
): Matrix {
  if (!l.isSquare) throw new RangeError(`solveTriangular: l must be square, got ${l.rows}×${l.cols}`);
  if (b.rows !== l.rows) {
    throw new RangeError(
      `solveTriangular: b has ${b.rows} rows, expected ${l.rows} to match l (${l.rows}×${l.cols})`,
    );
  }
  const n = l.rows;
  const m = b.cols;
  const t = l.data;
  for (let i = 0; i < n; i++) {
    const d = t[i * n + i]!;
    if (d === 0 || !Number.isFinite(d)) {
      throw new RangeError(`solveTriangular: l is singular or non-finite: diagonal entry ${i} is ${d}`);
    }
  }
  const lower = options.lower ?? true;
  const transpose = options.transpose ?? false;
  // Entry (i, k) of op(T): transposing swaps the index order into the stored triangle.
  const at = transpose ? (i: number, k: number) => t[k * n + i]! : (i: number, k: number) => t[i * n + k]!;
  // op(T) is lower triangular exactly when lower XOR transpose, which selects forward substitution.
  const forward = lower !== transpose;
  const x = b.data.slice();
  for (let step = 0; step < n; step++) {
    const i = forward ? step : n - 1 - step;
    const kStart = forward ? 0 : i + 1;
    const kEnd = forward ? i : n;
    for (let k = kStart; k < kEnd; k++) {
      const v = at(i, k);
      if (v === 0) continue;
      for (let j = 0; j < m; j++) x[i * m + j]! -= v * x[k * m + j]!;
    }
    const d = t[i * n + i]!;
    for (let j = 0; j < m; j++) x[i * m + j]! /= d;
  }
  return new Matrix(n, m, x);
}
