import {
  type BridgeMarginal,
  type GaussianBridge,
  sampleBridgeMarginal,
  scalarBridgeMarginal,
} from './bridge.js';
import type { State } from './sde.js';
import { requirePositive, requireUnitTime } from './validate.js';

/** Options of {@link brownianBridge}. */
export interface BrownianBridgeOptions {
  /** Noise scale σ > 0 of the reference dx = σ dW. */
  readonly sigma: number;
}

/**
 * The Brownian bridge X_t | x₀, x₁ ~ N((1−t)x₀ + t·x₁, σ²t(1−t)) of dx = σ dW (algorithms.md §1.3, §9 T8).
 */
export function brownianBridge(options: BrownianBridgeOptions): GaussianBridge {
  const { sigma } = options;
  requirePositive('brownianBridge', 'sigma', sigma);
  const sigma2 = sigma * sigma;
  const marginal = (t: number): BridgeMarginal => {
    requireUnitTime('brownianBridge.marginal', 't', t);
    return scalarBridgeMarginal(1 - t, t, sigma2 * t * (1 - t));
  };
  return {
    name: `brownian-bridge(σ=${sigma})`,
    blocks: 1,
    marginal,
    sample(x0: State, x1: State, t: number, eps: State): State {
      return sampleBridgeMarginal(marginal(t), x0, x1, eps, 'brownianBridge.sample');
    },
  };
}
