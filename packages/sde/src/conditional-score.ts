import { applyBlockMatrix, Matrix, solveTriangular, tf } from '@bridgekit/core';
import { marginal } from './marginal.js';
import type { LinearGaussianSde, State } from './sde.js';
import { requireSameShape } from './validate.js';

/** L_t⁻¹ of the marginal factor, or a RangeError saying the marginal is degenerate at t. */
function inverseFactor(where: string, sde: LinearGaussianSde, t: number): { phi: Matrix; linv: Matrix } {
  const { phi, chol } = marginal(sde, t);
  for (let i = 0; i < chol.rows; i++) {
    if (!(chol.get(i, i) > 0)) {
      throw new RangeError(
        `${where}: the marginal covariance of ${sde.name} at t = ${t} is singular (Cholesky pivot ${i} is 0), so its ` +
          'score is undefined; evaluate at t > 0 (e.g. t ≥ 1e-5)',
      );
    }
  }
  return { phi, linv: solveTriangular(chol, Matrix.eye(chol.rows)) };
}

/**
 * The denoising score target ∇ log p(x_t | x₀) = −(Σ_t⁻¹ ⊗ I)(x_t − (Φ(t,0) ⊗ I)x₀), computed as
 * −L_t^{−T}L_t^{−1}(x_t − μ_t) blockwise (algorithms.md §1.2, "Conditional score").
 *
 * The n×n product L^{−T}L^{−1} is formed in float64 on the host and applied once with `applyBlockMatrix`,
 * which rounds to float32 once instead of twice.
 */
export function conditionalScore(sde: LinearGaussianSde, x0: State, xt: State, t: number): State {
  requireSameShape('conditionalScore', 'x0', x0, 'xt', xt);
  const { phi, linv } = inverseFactor('conditionalScore', sde, t);
  const precision = linv.transpose().mul(linv).scale(-1);
  return tf.tidy(() => applyBlockMatrix(tf.sub(xt, applyBlockMatrix(x0, phi)), precision));
}

/**
 * The same score written in the noise that produced x_t: for x_t = μ_t + (L_t ⊗ I)ε,
 * ∇ log p(x_t | x₀) = −(L_t^{−T} ⊗ I)ε (algorithms.md §1.2; §9 T6) — the DSM regression target.
 */
export function scoreFromNoise(sde: LinearGaussianSde, eps: State, t: number): State {
  const { linv } = inverseFactor('scoreFromNoise', sde, t);
  return applyBlockMatrix(eps, linv.transpose().scale(-1));
}
