import { solve } from './lu.js';
import { Matrix } from './matrix.js';

/** Above this the n²×n² Kronecker system (n⁶/3 flops, n⁴ doubles) stops being cheap. */
const MAX_ORDER = 32;

/**
 * Solves the continuous Lyapunov equation F·Σ + Σ·Fᵀ + Q = 0 by vectorization: with column-major
 * vec, (I⊗F + F⊗I)·vec Σ = −vec Q is solved by LU with partial pivoting.
 *
 * For a stable F (all eigenvalues with negative real part) and Q = G·Gᵀ, Σ is the stationary
 * covariance of dX = F·X dt + G dW. The system is singular exactly when two eigenvalues of F sum to
 * zero, which is reported as a RangeError naming f. Limited to n ≤ 32; a symmetric Q yields an
 * exactly symmetric Σ.
 */
export function solveLyapunov(f: Matrix, q: Matrix): Matrix {
  if (!f.isSquare) throw new RangeError(`solveLyapunov: f must be square, got ${f.rows}×${f.cols}`);
  const n = f.rows;
  if (q.rows !== n || q.cols !== n) {
    throw new RangeError(`solveLyapunov: q must be ${n}×${n} to match f, got ${q.rows}×${q.cols}`);
  }
  if (n > MAX_ORDER) {
    throw new RangeError(
      `solveLyapunov: f is ${n}×${n} but the Kronecker solver is limited to n ≤ ${MAX_ORDER} ` +
        `(it factors a dense n²×n² = ${n * n}×${n * n} system); use a Bartels–Stewart solver for larger n`,
    );
  }
  for (const [name, m] of [
    ['f', f],
    ['q', q],
  ] as const) {
    const bad = m.data.find((v) => !Number.isFinite(v));
    if (bad !== undefined)
      throw new RangeError(`solveLyapunov: ${name} must have finite entries, got ${bad}`);
  }
  const size = n * n;
  const k = new Matrix(size, size);
  const rhs = new Matrix(size, 1);
  // Row/column index i + j·n holds Σ_ij (column-major vec), so (I⊗F) couples Σ_ij with Σ_kj through
  // F_ik and (F⊗I) couples Σ_ij with Σ_il through F_jl.
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const row = i + j * n;
      rhs.data[row] = -q.data[i * n + j]!;
      for (let c = 0; c < n; c++) {
        k.data[row * size + c + j * n]! += f.data[i * n + c]!;
        k.data[row * size + i + c * n]! += f.data[j * n + c]!;
      }
    }
  }
  let x: Matrix;
  try {
    x = solve(k, rhs);
  } catch (error) {
    throw new RangeError(
      'solveLyapunov: I⊗f + f⊗I is singular to working precision, so f has two eigenvalues summing to 0 ' +
        'and no unique solution exists; ' +
        'f must have no eigenvalue pair λi + λj = 0 (a stable f always qualifies)',
      { cause: error },
    );
  }
  const sigma = new Matrix(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) sigma.data[i * n + j] = x.data[i + j * n]!;
  return isSymmetric(q) ? sigma.symmetrize() : sigma;
}

function isSymmetric(m: Matrix): boolean {
  const n = m.rows;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) if (m.data[i * n + j] !== m.data[j * n + i]) return false;
  return true;
}
