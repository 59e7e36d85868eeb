import { cholesky, type Matrix, solveTriangular } from '@bridgekit/core';
import { type BridgeMarginal, type GaussianBridge, sampleBridgeMarginal } from './bridge.js';
import { marginal } from './marginal.js';
import { psdCholesky, roundingTolerance } from './psd-cholesky.js';
import type { LinearGaussianSde, State } from './sde.js';
import { requireUnitTime } from './validate.js';

/**
 * The bridge of any linear SDE by Gaussian conditioning (algorithms.md §1.3 "General"): with K = Σ_tΦ(1,t)ᵀΣ₁⁻¹,
 * X_t | x₀, x₁ ~ N(Φ(t,0)x₀ + K(x₁ − Φ(1,0)x₀), Σ_t − KΦ(1,t)Σ_t), Σ_t the marginal covariance of
 * {@link marginal} (so a random initial block Σ₀ is integrated out rather than conditioned on).
 *
 * So a(t) = Φ(t,0) − KΦ(1,0), b(t) = K, V(t) = Σ_t − KΦ(1,t)Σ_t. Works for every {@link LinearGaussianSde}
 * (scalar, VSDM's d×d drift, momentum SDEs); Σ₁ must be positive definite (the reference must reach
 * every direction by t = 1), otherwise the constructor throws.
 */
export function linearBridge(sde: LinearGaussianSde): GaussianBridge {
  const n = sde.blocks;
  const end = marginal(sde, 1);
  let chol1: Matrix;
  try {
    chol1 = cholesky(end.cov);
  } catch (error) {
    throw new RangeError(
      `linearBridge: the marginal covariance Σ₁ of ${sde.name} at t = 1 must be positive definite to condition on x₁ ` +
        `(${(error as Error).message})`,
    );
  }
  const phi10 = end.phi;
  const marginalAt = (t: number): BridgeMarginal => {
    requireUnitTime('linearBridge.marginal', 't', t);
    const { phi: phiT0, cov: sigmaT } = marginal(sde, t);
    const cross = sde.transition(t, 1).phi.mul(sigmaT); // Cov(X₁, X_t) = Φ(1,t)Σ_t
    // Kᵀ = Σ₁⁻¹·Cov(X₁, X_t) by two triangular solves with the Cholesky factor of Σ₁.
    const gain = solveTriangular(chol1, solveTriangular(chol1, cross), { transpose: true }).transpose();
    const explained = gain.mul(cross);
    const cov = sigmaT.sub(explained).symmetrize();
    const chol = psdCholesky(
      cov,
      roundingTolerance(sigmaT, explained),
      `linearBridge(${sde.name}, t = ${t})`,
    );
    return { coefX0: phiT0.sub(gain.mul(phi10)), coefX1: gain, cov, chol };
  };
  return {
    name: `linear-bridge(${sde.name})`,
    blocks: n,
    marginal: marginalAt,
    sample(x0: State, x1: State, t: number, eps: State): State {
      return sampleBridgeMarginal(marginalAt(t), x0, x1, eps, 'linearBridge.sample');
    },
  };
}
