import { Matrix, tf } from '@bridgekit/core';
import { gaussianFlowVelocity } from './gaussian-flow-velocity.js';
import type { VelocityFn } from './memoryless-flow-sde.js';
import type { GaussianTransition, LinearGaussianSde, State } from './sde.js';
import { requireTimeOrder, requireUnitTime } from './validate.js';

/** EAM's linear base process, with the flow velocity it is the memoryless SDE of. */
export interface EamLinearBaseSde extends LinearGaussianSde {
  /** v_lin(x,t) = (2t−1)/(t²+(1−t)²)·x, the flow-matching velocity of N(0, I) data. */
  readonly velocity: VelocityFn;
  /** σ(t) = √(2(1−t)/t): a number, so x may be omitted. */
  diffusion(t: number, x?: State): number;
}

/** n(t) = t² + (1−t)², the marginal variance of the base. */
function spread(t: number): number {
  return t * t + (1 - t) * (1 - t);
}

/**
 * EAM's linear memoryless base dX = κ(t)X dt + σ(t) dB, κ(t) = 2(2t−1)/(t²+(1−t)²) − 1/t, σ² = 2(1−t)/t,
 * X₀ ~ N(0, I): the memoryless SDE of the flow model of N(0, I) data (algorithms.md §8.1; §9 T11).
 *
 * With n(t) = t² + (1−t)², ∫κ = ln n(t) − ln t gives Φ(t,s) = (n(t)/t)·(s/n(s)) — so Φ(1,t) = t/n(t) and
 * Φ(t,0) = 0 for t > 0 (memoryless) — and Q(t,s) = n(t) − Φ(t,s)²n(s) = n(t)(t−s)(t+s−2ts)/(t²n(s)),
 * the factored form having no cancellation. `initialCov()` is I (X₀ ~ N(0, I)), so {@link marginal}
 * gives N(0, n(t)I). Drift and diffusion diverge at t = 0 and throw there; transitions from s = 0 are fine.
 * FM time convention: t = 0 noise, t = 1 data.
 */
export function eamLinearBaseSde(): EamLinearBaseSde {
  const checkOpen = (where: string, t: number) => {
    requireUnitTime(where, 't', t);
    if (t === 0) throw new RangeError(`${where}: t must be in (0, 1] (κ and σ² diverge at t = 0), got 0`);
  };
  const kappa = (t: number) => (2 * (2 * t - 1)) / spread(t) - 1 / t;
  const sigma2 = (t: number) => (2 * (1 - t)) / t;
  return {
    name: 'eam-linear-base',
    blocks: 1,
    velocity: gaussianFlowVelocity({ mean: 0, std: 1 }),
    drift(x: State, t: number): State {
      checkOpen('eamLinearBaseSde.drift', t);
      const k = kappa(t);
      return tf.tidy(() => tf.mul(x, k));
    },
    diffusion(t: number): number {
      checkOpen('eamLinearBaseSde.diffusion', t);
      return Math.sqrt(sigma2(t));
    },
    driftMatrix(t: number): Matrix {
      checkOpen('eamLinearBaseSde.driftMatrix', t);
      return Matrix.scalar(1, kappa(t));
    },
    diffusionCov(t: number): Matrix {
      checkOpen('eamLinearBaseSde.diffusionCov', t);
      return Matrix.scalar(1, sigma2(t));
    },
    transition(s: number, t: number): GaussianTransition {
      requireTimeOrder('eamLinearBaseSde.transition', s, t);
      if (s === t) return { phi: Matrix.eye(1), cov: Matrix.zeros(1) };
      const phi = ((spread(t) / t) * s) / spread(s);
      const cov = (spread(t) * (t - s) * (t + s - 2 * t * s)) / (t * t * spread(s));
      return { phi: Matrix.scalar(1, phi), cov: Matrix.scalar(1, cov) };
    },
    initialCov(): Matrix {
      return Matrix.eye(1);
    },
  };
}
