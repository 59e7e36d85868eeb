import {
  type BridgeMarginal,
  type GaussianBridge,
  sampleBridgeMarginal,
  scalarBridgeMarginal,
} from './bridge.js';
import type { Schedule } from './schedule.js';
import type { State } from './sde.js';
import { requirePositive, requireUnitTime } from './validate.js';

/** Options of {@link vpBridge}: those of the reference {@link vpSde}. */
export interface VpBridgeOptions {
  readonly schedule: Schedule;
  /** Diffusion scale σ > 0 (default 1). */
  readonly sigma?: number;
}

/**
 * The bridge of dx = −½βx dt + σ√β dW: with c₁ = −½∫₀ᵗβ, c₂ = −½∫ₜ¹β, c₃ = c₁ + c₂,
 * mean = e^{c₁}(1−e^{2c₂})/(1−e^{2c₃})·x₀ + e^{c₂}(1−e^{2c₁})/(1−e^{2c₃})·x₁ and
 * var = σ²(1−e^{2c₁})(1−e^{2c₂})/(1−e^{2c₃}) (algorithms.md §1.3 "VP", ASBS code; §9 T7).
 */
export function vpBridge(options: VpBridgeOptions): GaussianBridge {
  const { schedule } = options;
  const sigma = options.sigma ?? 1;
  requirePositive('vpBridge', 'sigma', sigma);
  const total = schedule.integral(1);
  if (!(total > 0)) {
    throw new RangeError(
      `vpBridge: the schedule must have ∫₀¹β > 0 to pin x₁, got ${total} for ${schedule.name}`,
    );
  }
  const denominator = -Math.expm1(-total); // 1 − e^{2c₃}
  const marginal = (t: number): BridgeMarginal => {
    requireUnitTime('vpBridge.marginal', 't', t);
    const bt = schedule.integral(t);
    const c1 = -0.5 * bt;
    const c2 = -0.5 * (total - bt);
    // 1 − e^{2c} via expm1: exact endpoint zeros and no cancellation near t = 0 or 1.
    const w1 = -Math.expm1(2 * c1);
    const w2 = -Math.expm1(2 * c2);
    return scalarBridgeMarginal(
      (Math.exp(c1) * w2) / denominator,
      (Math.exp(c2) * w1) / denominator,
      (sigma * sigma * w1 * w2) / denominator,
    );
  };
  return {
    name: `vp-bridge(${schedule.name}${sigma === 1 ? '' : `, σ=${sigma}`})`,
    blocks: 1,
    marginal,
    sample(x0: State, x1: State, t: number, eps: State): State {
      return sampleBridgeMarginal(marginal(t), x0, x1, eps, 'vpBridge.sample');
    },
  };
}
