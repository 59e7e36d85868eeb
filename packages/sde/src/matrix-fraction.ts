import { expm, Matrix, solve } from '@bridgekit/core';
import { assertFinite, assertSquare } from './kernel-checks.js';

/**
 * The VSDM covariance Σ = C H⁻¹ of dx = −½β(t) D x dt + √β(t) dW from x₀ fixed, by the matrix-fraction
 * form [C; H] = expm(B·[[−½D, I], [0, ½Dᵀ]])·[0; I] with B = ∫β (§1.2 item 4, §2.2).
 *
 * Exact for a time-constant D (C and H solve d/dt [C; H] = β(t)[[−½D, I], [0, ½Dᵀ]][C; H], whose
 * generators at different times commute). It is NOT exact when D varies in time; applying it to an
 * integrated time-varying generator is the pitfall of §9 T4. H = e^{½DᵀB} grows with B, so for very
 * long horizons prefer {@link vanLoanStep}, which is equivalent and numerically guarded.
 */
export function matrixFractionCov(d: Matrix, b: number): Matrix {
  assertSquare('matrixFractionCov', 'd', d);
  assertFinite('matrixFractionCov', 'd', d);
  if (typeof b !== 'number' || !Number.isFinite(b) || b < 0) {
    throw new RangeError(`matrixFractionCov: b (the integral ∫β) must be a finite number ≥ 0, got ${b}`);
  }
  const n = d.rows;
  const generator = Matrix.zeros(2 * n)
    .withBlock(0, 0, d.scale(-0.5 * b))
    .withBlock(0, n, Matrix.eye(n).scale(b))
    .withBlock(n, n, d.transpose().scale(0.5 * b));
  const big = expm(generator);
  const c = big.block(0, n, n, n);
  const h = big.block(n, n, n, n);
  // Σ = C H⁻¹ ⇔ Hᵀ Σᵀ = Cᵀ: one LU solve instead of an explicit inverse.
  return solve(h.transpose(), c.transpose()).transpose().symmetrize();
}
