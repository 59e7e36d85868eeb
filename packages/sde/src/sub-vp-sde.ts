import { Matrix, tf } from '@bridgekit/core';
import type { Schedule } from './schedule.js';
import type { GaussianTransition, LinearGaussianSde, State } from './sde.js';
import { requireTimeOrder } from './validate.js';

/** Options of {@link subVpSde}. */
export interface SubVpSdeOptions {
  readonly schedule: Schedule;
}

/** A sub-VP SDE with its schedule. */
export interface SubVpSde extends LinearGaussianSde {
  readonly schedule: Schedule;
  /** √(β(t)(1 − e^{−2B(t)})): a number, so x may be omitted. */
  diffusion(t: number, x?: State): number;
}

/**
 * The sub-VP SDE dx = −½β(t)x dt + √(β(t)(1 − e^{−2B(t)})) dW with Φ(t,s) = e^{−(B_t−B_s)/2} and
 * Q(t,s) = 1 − e^{−(B_t−B_s)} − e^{−B_t−B_s} + e^{−2B_t} (Song et al. 2021, §3.4; from x₀: (1 − e^{−B_t})²).
 */
export function subVpSde(options: SubVpSdeOptions): SubVpSde {
  const { schedule } = options;
  return {
    name: `sub-vp(${schedule.name})`,
    blocks: 1,
    schedule,
    drift(x: State, t: number): State {
      const c = -0.5 * schedule.beta(t);
      return tf.tidy(() => tf.mul(x, c));
    },
    diffusion(t: number): number {
      return Math.sqrt(schedule.beta(t) * -Math.expm1(-2 * schedule.integral(t)));
    },
    driftMatrix(t: number): Matrix {
      return Matrix.scalar(1, -0.5 * schedule.beta(t));
    },
    diffusionCov(t: number): Matrix {
      return Matrix.scalar(1, schedule.beta(t) * -Math.expm1(-2 * schedule.integral(t)));
    },
    transition(s: number, t: number): GaussianTransition {
      requireTimeOrder('subVpSde.transition', s, t);
      const bs = schedule.integral(s);
      const bt = schedule.integral(t);
      // The four-term Q factors as (1 − e^{−(B_t−B_s)})(1 − e^{−(B_t+B_s)}), which has no cancellation.
      const cov = Math.expm1(-(bt - bs)) * Math.expm1(-(bt + bs));
      return { phi: Matrix.scalar(1, Math.exp(-0.5 * (bt - bs))), cov: Matrix.scalar(1, cov) };
    },
    initialCov(): Matrix {
      return Matrix.zeros(1);
    },
  };
}
