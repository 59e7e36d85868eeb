/**
 * A three-component 2-D Gaussian mixture (overlapping modes, unequal weights, one full covariance),
 * target mode weights for it, and float64 host versions of its log-density terms and of the mode
 * re-weighting reward, for the reward and tilted-mixture tests.
 */
import { det, inv, Matrix } from '@bridgekit/core';
import type { GaussianMixture } from '@bridgekit/sde';

// Three overlapping components, unequal base weights, one full covariance.
export const base: GaussianMixture = {
  weights: [0.5, 0.3, 0.2],
  means: [
    [-1.5, 0],
    [1.5, 0],
    [0, 2],
  ],
  covs: [
    [
      [0.5, 0.2],
      [0.2, 0.4],
    ],
    [
      [0.4, 0],
      [0, 0.4],
    ],
    [
      [0.3, 0],
      [0, 0.6],
    ],
  ],
};
export const target = [0.1, 0.3, 0.6];

// Float64 precision matrices and log det(2πC_k) of the components.
const precisions = base.covs.map((c) => inv(Matrix.from(c)));
const logDets = base.covs.map((c) => Math.log(det(Matrix.from(c).scale(2 * Math.PI))));

/** Float64 log-density terms log(w_k N(x; μ_k, C_k)) of one point, for the weights given. */
export function hostLogTerms(weights: readonly number[], x: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return base.means.map((mu, k) => {
    const p = precisions[k]!;
    const d0 = x[0]! - mu[0]!;
    const d1 = x[1]! - mu[1]!;
    const q = d0 * d0 * p.get(0, 0) + 2 * d0 * d1 * p.get(0, 1) + d1 * d1 * p.get(1, 1);
    return Math.log(weights[k]! / total) - 0.5 * (q + logDets[k]!);
  });
}

export const logSumExp = (v: number[]) => {
  const top = Math.max(...v);
  return top + Math.log(v.reduce((s, u) => s + Math.exp(u - top), 0));
};

/** r(x) = (1/λ)[log Σρ_kN_k − log Σπ_kN_k] in float64. */
export const hostReward = (x: readonly number[], lambda: number) =>
  (logSumExp(hostLogTerms(target, x)) - logSumExp(hostLogTerms(base.weights, x))) / lambda;
