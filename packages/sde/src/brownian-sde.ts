import { Matrix, tf } from '@bridgekit/core';
import type { GaussianTransition, LinearGaussianSde, State } from './sde.js';
import { requirePositive, requireTimeOrder, requireUnitTime } from './validate.js';

/** Options of {@link brownianSde}. */
export interface BrownianSdeOptions {
  /** Noise scale σ > 0 (the ASBS demo uses 0.3). */
  readonly sigma: number;
}

/** Scaled Brownian motion with its scale. */
export interface BrownianSde extends LinearGaussianSde {
  readonly sigma: number;
  /** ν_t = σ²t = Var(x_t | x_0). */
  variance(t: number): number;
  /** σ: a number, so x may be omitted. */
  diffusion(t: number, x?: State): number;
}

/**
 * Scaled Brownian motion dx = σ dW: Φ ≡ 1, Q(t,s) = σ²(t − s) (algorithms.md §1.1, "Brownian (BM)" row).
 */
export function brownianSde(options: BrownianSdeOptions): BrownianSde {
  const { sigma } = options;
  requirePositive('brownianSde', 'sigma', sigma);
  const sigma2 = sigma * sigma;
  return {
    name: `brownian(σ=${sigma})`,
    blocks: 1,
    sigma,
    drift(x: State, t: number): State {
      requireUnitTime('brownianSde.drift', 't', t);
      return tf.zerosLike(x);
    },
    diffusion(t: number): number {
      requireUnitTime('brownianSde.diffusion', 't', t);
      return sigma;
    },
    driftMatrix(t: number): Matrix {
      requireUnitTime('brownianSde.driftMatrix', 't', t);
      return Matrix.zeros(1);
    },
    diffusionCov(t: number): Matrix {
      requireUnitTime('brownianSde.diffusionCov', 't', t);
      return Matrix.scalar(1, sigma2);
    },
    transition(s: number, t: number): GaussianTransition {
      requireTimeOrder('brownianSde.transition', s, t);
      return { phi: Matrix.eye(1), cov: Matrix.scalar(1, sigma2 * (t - s)) };
    },
    initialCov(): Matrix {
      return Matrix.zeros(1);
    },
    variance(t: number): number {
      requireUnitTime('brownianSde.variance', 't', t);
      return sigma2 * t;
    },
  };
}
