import { Matrix } from './matrix.js';

/**
 * Lower-triangular Cholesky factor L with A = L·Lᵀ, by the Cholesky–Banachiewicz (row by row)
 * algorithm applied to ½(A + Aᵀ) + jitter·I.
 *
 * The input is symmetrized first because covariances from recursions carry rounding asymmetry.
 * Throws a RangeError naming the failing pivot when the matrix is not positive definite; a small
 * `jitter` (e.g. 1e-10·trace(A)/n) makes a positive semidefinite matrix factorable.
 */
export function cholesky(a: Matrix, options: { jitter?: number } = {}): Matrix {
  if (!a.isSquare) throw new RangeError(`cholesky: a must be square, got ${a.rows}×${a.cols}`);
  const jitter = options.jitter ?? 0;
  if (!Number.isFinite(jitter) || jitter < 0) {
    throw new RangeError(`cholesky: options.jitter must be a finite number ≥ 0, got ${jitter}`);
  }
  const n = a.rows;
  const s = a.symmetrize().data;
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = s[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        const pivot = sum + jitter;
        // Written as !(x > 0) so that NaN pivots from non-finite input are rejected too.
        if (!(pivot > 0)) {
          throw new RangeError(
            `cholesky: a is not positive definite: pivot ${i} is ${pivot} (must be > 0)` +
              (jitter > 0 ? ` with jitter ${jitter}` : '') +
              '; if a is positive semidefinite up to rounding, pass { jitter } (e.g. 1e-10·trace(a)/n) ' +
              'to factor a + jitter·I',
          );
        }
        l[i * n + i] = Math.sqrt(pivot);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  return new Matrix(n, n, l);
}
