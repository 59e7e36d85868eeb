import type { GaussianMixture } from '@bridgekit/sde';
import type { ModeReweightReward } from './mode-reweight-reward.js';
import { describe, requireNonNegative } from './validate.js';

/**
 * The exact tilted law p*(x) ∝ p_base(x)·e^{λr(x)} for a {@link modeReweightReward} r built with
 * multiplier λ_r, in the three cases where it is a Gaussian mixture in closed form:
 *
 * - λ = λ_r: p* = Σ_k ρ_k N(μ_k, C_k), the target weights on the unchanged components;
 * - λ = 0: p* = p_base;
 * - ρ = π (target weights equal to the base's): r ≡ 0 and p* = p_base for every λ.
 *
 * Otherwise p* ∝ (Σπ_kN_k)^{1−λ/λ_r}(Σρ_kN_k)^{λ/λ_r} is not a mixture of these components (it only
 * approaches one with weights ∝ π_k^{1−λ/λ_r}ρ_k^{λ/λ_r} as the modes separate), and this throws a
 * RangeError. λ is compared with λ_r to a relative 1e-12.
 */
export function tiltedMixture(reward: ModeReweightReward, lambda: number): GaussianMixture {
  const where = 'tiltedMixture';
  if (
    typeof reward !== 'object' ||
    reward === null ||
    !Array.isArray(reward.targetWeights) ||
    typeof reward.base !== 'object'
  ) {
    throw new TypeError(`${where}: reward must come from modeReweightReward(…), got ${describe(reward)}`);
  }
  requireNonNegative(where, 'lambda', lambda);
  const { base, targetWeights } = reward;
  const components = { means: base.means, covs: base.covs };
  const sameWeights = targetWeights.every(
    (w, k) => Math.abs(w - base.weights[k]!) <= 1e-12 * Math.max(w, 1e-300),
  );
  if (lambda === 0 || sameWeights) return { weights: [...base.weights], ...components };
  if (Math.abs(lambda - reward.lambda) <= 1e-12 * reward.lambda)
    return { weights: [...targetWeights], ...components };
  throw new RangeError(
    `${where}: p_base·e^{λr} is a Gaussian mixture in closed form only for λ = 0 or λ = ${reward.lambda} ` +
      `(the λ ${reward.name} was built for), got λ = ${lambda}; build the reward with ` +
      `modeReweightReward({ …, lambda: ${lambda} }) for an exact target at this λ`,
  );
}
