import { Matrix, tf } from '@bridgekit/core';
import type { Schedule } from './schedule.js';
import type { GaussianTransition, LinearGaussianSde, State } from './sde.js';
import { requirePositive, requireTimeOrder } from './validate.js';

/** Options of {@link vpSde}. */
export interface VpSdeOptions {
  readonly schedule: Schedule;
  /** Diffusion scale σ > 0: the stationary variance is σ² (default 1). */
  readonly sigma?: number;
}

/** A variance-preserving SDE with its schedule and scale. */
export interface VpSde extends LinearGaussianSde {
  readonly schedule: Schedule;
  readonly sigma: number;
  /** σ√β(t): a number, so x may be omitted. */
  diffusion(t: number, x?: State): number;
}

/**
 * The variance-preserving SDE dx = −½β(t)x dt + σ√β(t) dW with Φ(t,s) = e^{−(B_t−B_s)/2} and
 * Q(t,s) = σ²(1 − e^{−(B_t−B_s)}) (algorithms.md §1.1; Song et al. 2021).
 */
export function vpSde(options: VpSdeOptions): VpSde {
  const { schedule } = options;
  const sigma = options.sigma ?? 1;
  requirePositive('vpSde', 'sigma', sigma);
  const sigma2 = sigma * sigma;
  return {
    name: sigma === 1 ? `vp(${schedule.name})` : `vp(${schedule.name}, σ=${sigma})`,
    blocks: 1,
    schedule,
    sigma,
    drift(x: State, t: number): State {
      const c = -0.5 * schedule.beta(t);
      return tf.tidy(() => tf.mul(x, c));
    },
    diffusion(t: number): number {
      return sigma * Math.sqrt(schedule.beta(t));
    },
    driftMatrix(t: number): Matrix {
      return Matrix.scalar(1, -0.5 * schedule.beta(t));
    },
    diffusionCov(t: number): Matrix {
      return Matrix.scalar(1, sigma2 * schedule.beta(t));
    },
    transition(s: number, t: number): GaussianTransition {
      requireTimeOrder('vpSde.transition', s, t);
      const db = schedule.integral(t) - schedule.integral(s);
      // −expm1 keeps Q accurate (relative) when B_t − B_s is tiny, where 1 − e^{−Δ} cancels.
      return { phi: Matrix.scalar(1, Math.exp(-0.5 * db)), cov: Matrix.scalar(1, -sigma2 * Math.expm1(-db)) };
    },
    initialCov(): Matrix {
      return Matrix.zeros(1);
    },
  };
}
