import type { Matrix } from '@bridgekit/core';
import { psdCholesky, roundingTolerance } from './psd-cholesky.js';
import type { LinearGaussianSde } from './sde.js';

/** The law of x_t given the deterministic part x₀ of X_0: N((Φ ⊗ I)x₀, Σ_t ⊗ I). */
export interface GaussianMarginal {
  /** Φ(t, 0), n×n. */
  readonly phi: Matrix;
  /** Σ_t = Φ(t,0)·Σ₀·Φ(t,0)ᵀ + Q(t,0), n×n, symmetric. */
  readonly cov: Matrix;
  /** Lower-triangular L with Σ_t = L·Lᵀ; zero columns where Σ_t is singular (e.g. every column at t = 0). */
  readonly chol: Matrix;
}

/**
 * The marginal x_t | x₀ ~ N(Φ(t,0)x₀, Φ(t,0)Σ₀Φ(t,0)ᵀ + Q(t,0)) of a linear SDE from time 0, with its Cholesky
 * factor (algorithms.md §1.2; Σ₀ = `sde.initialCov()`).
 *
 * Σ_t is symmetrized, and factored as a positive *semi*definite matrix: where it is singular up to rounding
 * (t = 0, or the position block of a momentum SDE started at rest) L gets zero columns instead of the
 * factorization throwing, so sampling x_t = μ_t + Lε still works; functions that need Σ_t⁻¹ (the
 * conditional score) detect the zero pivot and throw.
 */
export function marginal(sde: LinearGaussianSde, t: number): GaussianMarginal {
  const { phi, cov: q } = sde.transition(0, t);
  const s0 = sde.initialCov();
  const propagated = phi.mul(s0).mul(phi.transpose());
  const cov = propagated.add(q).symmetrize();
  const chol = psdCholesky(cov, roundingTolerance(propagated, q), `marginal(${sde.name}, t = ${t})`);
  return { phi, cov, chol };
}
