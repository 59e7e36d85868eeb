import {
  type BridgeMarginal,
  type GaussianBridge,
  sampleBridgeMarginal,
  scalarBridgeMarginal,
} from './bridge.js';
import type { LinearGaussianSde, State } from './sde.js';
import { requireUnitTime } from './validate.js';

/**
 * The bridge of a driftless scalar SDE dx = g(t) dW: with ν_t = ∫₀ᵗg², X_t | x₀, x₁ ~
 * N(x₀ + (ν_t/ν₁)(x₁ − x₀), ν_t(ν₁ − ν_t)/ν₁) (algorithms.md §1.3 "VE"; AS uses x₀ = 0).
 *
 * Works for {@link veSde}, {@link geometricVeSde} and {@link brownianSde}: ν_t is read from
 * `sde.transition(0, t)` and ν₁ − ν_t from `sde.transition(t, 1)` (no cancellation near t = 1).
 * Throws a TypeError for an SDE with drift (Φ ≠ 1) or a random start — use {@link linearBridge} for those.
 */
export function veBridge(sde: LinearGaussianSde): GaussianBridge {
  if (sde.blocks !== 1) {
    throw new TypeError(
      `veBridge: sde must be scalar (blocks = 1), got ${sde.name} with blocks = ${sde.blocks}`,
    );
  }
  const whole = sde.transition(0, 1);
  if (Math.abs(whole.phi.get(0, 0) - 1) > 1e-12 || sde.initialCov().get(0, 0) !== 0) {
    throw new TypeError(
      `veBridge: sde must be driftless (Φ(1,0) = 1) and start from a given x₀ (initialCov = 0), got ${sde.name} ` +
        `with Φ(1,0) = ${whole.phi.get(0, 0)}; use linearBridge(sde) instead`,
    );
  }
  const nu1 = whole.cov.get(0, 0);
  if (!(nu1 > 0)) throw new RangeError(`veBridge: ν₁ of ${sde.name} must be > 0, got ${nu1}`);
  const marginal = (t: number): BridgeMarginal => {
    requireUnitTime('veBridge.marginal', 't', t);
    const nuT = sde.transition(0, t).cov.get(0, 0);
    const rest = sde.transition(t, 1).cov.get(0, 0); // ν₁ − ν_t
    return scalarBridgeMarginal(rest / nu1, nuT / nu1, (nuT * rest) / nu1);
  };
  return {
    name: `ve-bridge(${sde.name})`,
    blocks: 1,
    marginal,
    sample(x0: State, x1: State, t: number, eps: State): State {
      return sampleBridgeMarginal(marginal(t), x0, x1, eps, 'veBridge.sample');
    },
  };
}
