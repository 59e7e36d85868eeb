import { tf } from '@bridgekit/core';
import type { Sde, State } from './sde.js';
import { requireNonNegative, requireUnitTime } from './validate.js';

/** A flow-matching velocity field v(x, t) (t = 0 noise, t = 1 data). */
export type VelocityFn = (x: State, t: number) => State;

/** Options of {@link memorylessFlowSde}. */
export interface MemorylessFlowSdeOptions {
  /**
   * Regularisation offset h ≥ 0 (default 0). h > 0 replaces t by t + h in the drift's −x/t term and in
   * σ², making both finite at t = 0; third-party AM code uses h = the EM step size.
   */
  readonly h?: number;
}

/** The memoryless flow-matching SDE with its velocity and offset. */
export interface MemorylessFlowSde extends Sde {
  readonly velocity: VelocityFn;
  readonly h: number;
  /** σ(t) = √(2(1−t+h)/(t+h)): a number, so x may be omitted. */
  diffusion(t: number, x?: State): number;
}

/**
 * The memoryless generative SDE of a flow-matching model with α_t = t, β_t = 1 − t: dX = [2v(X,t) − X/t] dt
 * + σ(t) dB with σ(t)² = 2(1−t)/t (algorithms.md §4.1; Domingo-Enrich et al., Adjoint Matching), which has
 * the same marginals as dx/dt = v and makes X₀ ⟂ X₁.
 *
 * With h > 0 the drift is b = 2v − X/(t+h) and σ² = 2(1−t+h)/(t+h) (the "stable σ" of third-party AM code,
 * which cites the paper's App. G.1; §1.1 table). That pair is finite on all of [0, 1] but is no longer exactly
 * marginal-preserving: it perturbs the marginals by O(h). With h = 0 the drift is exactly 2v − X/t and
 * the drift and diffusion throw at t = 0, where both diverge; start a sampler's grid at some t₀ > 0.
 * Time runs forward (noise → data).
 */
export function memorylessFlowSde(
  velocity: VelocityFn,
  options: MemorylessFlowSdeOptions = {},
): MemorylessFlowSde {
  const h = options.h ?? 0;
  requireNonNegative('memorylessFlowSde', 'h', h);
  const checkTime = (where: string, t: number) => {
    requireUnitTime(where, 't', t);
    if (h === 0 && t === 0) {
      throw new RangeError(
        `${where}: t must be in (0, 1] when h = 0 (the drift −x/t and σ² = 2(1−t)/t diverge at t = 0), got 0; ` +
          'start the time grid at t > 0 or pass h > 0',
      );
    }
  };
  return {
    name: h === 0 ? 'memoryless-flow' : `memoryless-flow(h=${h})`,
    velocity,
    h,
    drift(x: State, t: number): State {
      checkTime('memorylessFlowSde.drift', t);
      const inv = 1 / (t + h);
      return tf.tidy(() => tf.sub(tf.mul(velocity(x, t), 2), tf.mul(x, inv)));
    },
    diffusion(t: number): number {
      checkTime('memorylessFlowSde.diffusion', t);
      return Math.sqrt((2 * (1 - t + h)) / (t + h));
    },
  };
}
