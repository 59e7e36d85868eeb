import { applyBlockMatrix, tf } from '@bridgekit/core';
import { marginal } from './marginal.js';
import type { LinearGaussianSde, State } from './sde.js';
import { requireSameShape } from './validate.js';

/**
 * Samples the forward marginal by reparameterization: x_t = (Φ(t,0) ⊗ I)x₀ + (L_t ⊗ I)ε with Σ_t = L_tL_tᵀ
 * (algorithms.md §1.2, §1.6 "DSM on a linear SDE").
 *
 * `eps` holds standard normals of x₀'s shape; for SDEs with a random initial block (Σ₀ ≠ 0) x₀ holds the
 * given part of X_0 (zeros in the random blocks) and ε supplies the rest through L_t.
 */
export function perturb(sde: LinearGaussianSde, x0: State, t: number, eps: State): State {
  requireSameShape('perturb', 'x0', x0, 'eps', eps);
  const { phi, chol } = marginal(sde, t);
  return tf.tidy(() => tf.add(applyBlockMatrix(x0, phi), applyBlockMatrix(eps, chol)));
}
