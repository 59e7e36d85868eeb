import { eigSym } from './eig-sym.js';
import type { Matrix } from './matrix.js';

/**
 * Symmetric positive semidefinite square root S = V·diag(√λ)·Vᵀ with S·S = A, from the symmetric
 * eigendecomposition A = V·diag(λ)·Vᵀ (cyclic Jacobi, see `eigSym`).
 *
 * Eigenvalues in [−1e-10·‖A‖₁, 0) are rounding noise of a semidefinite matrix and are clipped to 0;
 * anything more negative means A is not positive semidefinite and throws a RangeError.
 */
export function sqrtmPsd(a: Matrix): Matrix {
  if (!a.isSquare) throw new RangeError(`sqrtmPsd: a must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const { values, vectors } = eigSym(a);
  const tol = 1e-10 * a.norm1();
  const roots = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = values[i]!;
    if (lambda < -tol) {
      throw new RangeError(
        `sqrtmPsd: a is not positive semidefinite: eigenvalue ${lambda} < −1e-10·‖a‖₁ = ${-tol}`,
      );
    }
    roots[i] = Math.sqrt(Math.max(lambda, 0));
  }
  // V·diag(√λ)·Vᵀ, scaling columns of V in place of a diagonal product.
  const scaled = vectors.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled.data[i * n + j]! *= roots[j]!;
  return scaled.mul(vectors.transpose()).symmetrize();
}
