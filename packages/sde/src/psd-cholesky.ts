import { Matrix } from '@bridgekit/core';

/**
 * Lower-triangular L with A = L·Lᵀ for a symmetric positive *semi*definite A (internal helper).
 *
 * Bridge covariances vanish at the endpoints and momentum covariances are singular when only the
 * velocity is random, so a plain Cholesky would throw exactly where a sampler needs a factor. A pivot
 * within `tol` of zero is taken as an exact zero (its column of L is set to zero, which is the
 * limit of the factor of A + δI as δ → 0); a pivot below −tol means A is not PSD and throws.
 * `tol` is absolute: pass a multiple of machine epsilon times the scale of the matrices A was
 * computed from, because cancellation leaves errors of that size rather than of A's own size.
 */
export function psdCholesky(a: Matrix, tol: number, where: string): Matrix {
  if (!a.isSquare) throw new RangeError(`${where}: covariance must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const s = a.symmetrize().data;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = s[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * n + k]! * l[j * n + k]!;
    if (!(pivot >= -tol)) {
      throw new RangeError(
        `${where}: covariance is not positive semidefinite: pivot ${j} is ${pivot} (must be ≥ ${-tol})`,
      );
    }
    if (pivot <= tol) continue; // zero column: this direction carries no variance
    const d = Math.sqrt(pivot);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let sum = s[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / d;
    }
  }
  return new Matrix(n, n, l);
}

/** 64·ε times the largest |diagonal entry| among the given matrices: the rounding scale of their sums. */
export function roundingTolerance(...scales: Matrix[]): number {
  let m = 0;
  for (const a of scales)
    for (let i = 0; i < Math.min(a.rows, a.cols); i++) m = Math.max(m, Math.abs(a.get(i, i)));
  return 64 * Number.EPSILON * m;
}
