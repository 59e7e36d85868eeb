import { Matrix } from './matrix.js';

/** A packed LU factorization P·A = L·U with unit-diagonal L below the diagonal of `lu` and U on and above it. */
export interface LuFactorization {
  /** L (strictly lower part, unit diagonal implied) and U (upper part) packed into one n×n matrix. */
  readonly lu: Matrix;
  /** Row permutation: row i of P·A is row `perm[i]` of A. */
  readonly perm: Int32Array;
  /** Determinant of P, +1 or −1. */
  readonly sign: 1 | -1;
}

/**
 * Factors a square matrix as P·A = L·U by Gaussian elimination with partial (row) pivoting.
 *
 * Never throws for singular input: a zero or negligible pivot is left in U so that `det` can
 * report 0; `solve` is where singularity becomes an error.
 */
export function luFactor(a: Matrix): LuFactorization {
  if (!a.isSquare) throw new RangeError(`luFactor: a must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const m = a.clone().data;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  let sign: 1 | -1 = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(m[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(m[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = m[k * n + j]!;
        m[k * n + j] = m[p * n + j]!;
        m[p * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
      sign = sign === 1 ? -1 : 1;
    }
    const pivot = m[k * n + k]!;
    // An exactly zero column below the diagonal needs no elimination; skipping it also avoids 0/0.
    if (pivot === 0) continue;
    for (let i = k + 1; i < n; i++) {
      const f = m[i * n + k]! / pivot;
      m[i * n + k] = f;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) m[i * n + j]! -= f * m[k * n + j]!;
    }
  }
  return { lu: new Matrix(n, n, m), perm, sign };
}

/**
 * Solves A·X = B for square A by LU factorization with partial pivoting followed by forward and
 * back substitution.
 *
 * Throws a RangeError when shapes mismatch or when A is singular to working precision, i.e. some
 * pivot has magnitude ≤ n·ε·max|A| (below that a pivot is indistinguishable from rounding noise).
 */
export function solve(a: Matrix, b: Matrix): Matrix {
  if (!a.isSquare) throw new RangeError(`solve: a must be square, got ${a.rows}×${a.cols}`);
  if (b.rows !== a.rows) {
    throw new RangeError(`solve: b has ${b.rows} rows, expected ${a.rows} to match a (${a.rows}×${a.cols})`);
  }
  const n = a.rows;
  const { lu, perm } = luFactor(a);
  const u = lu.data;
  const tol = n * Number.EPSILON * a.maxAbs();
  for (let k = 0; k < n; k++) {
    const pivot = u[k * n + k]!;
    // Written as !(x > tol) so that NaN pivots from non-finite input are rejected too.
    if (!(Math.abs(pivot) > tol)) {
      throw new RangeError(
        `solve: a is singular to working precision (pivot ${k} of its LU factorization is ${pivot}, ` +
          `need |pivot| > n·ε·max|a| = ${tol.toExponential(3)}); a must be invertible and finite`,
      );
    }
  }
  const m = b.cols;
  const x = new Float64Array(n * m);
  for (let i = 0; i < n; i++) x.set(b.data.subarray(perm[i]! * m, (perm[i]! + 1) * m), i * m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const l = u[i * n + k]!;
      if (l === 0) continue;
      for (let j = 0; j < m; j++) x[i * m + j]! -= l * x[k * m + j]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const v = u[i * n + k]!;
      if (v === 0) continue;
      for (let j = 0; j < m; j++) x[i * m + j]! -= v * x[k * m + j]!;
    }
    const d = u[i * n + i]!;
    for (let j = 0; j < m; j++) x[i * m + j]! /= d;
  }
  return new Matrix(n, m, x);
}

/** Inverts a square matrix by LU factorization with partial pivoting, solving A·X = I. */
export function inv(a: Matrix): Matrix {
  if (!a.isSquare) throw new RangeError(`inv: a must be square, got ${a.rows}×${a.cols}`);
  return solve(a, Matrix.eye(a.rows));
}

/** Determinant of a square matrix as sign(P)·∏ diag(U) from the LU factorization with partial pivoting. */
export function det(a: Matrix): number {
  if (!a.isSquare) throw new RangeError(`det: a must be square, got ${a.rows}×${a.cols}`);
  const { lu, sign } = luFactor(a);
  const n = a.rows;
  let d: number = sign;
  for (let i = 0; i < n; i++) d *= lu.data[i * n + i]!;
  return d;
}
