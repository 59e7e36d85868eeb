import { Matrix, tf } from '@bridgekit/core';
import type { GaussianTransition, State } from './sde.js';
import { requireTimeOrder, requireUnitTime } from './validate.js';
import { checkVeOptions, type VeSde, type VeSdeOptions } from './ve-sde.js';

/**
 * The geometric VE SDE of the AS/ASBS code, dx = g(t) dW with g(t) = σmin(σmax/σmin)^{1−t}√(2 ln(σmax/σmin)),
 * ν_t = ∫₀ᵗ g² = σmax²(1 − (σmin/σmax)^{2t}) (algorithms.md §1.1, "geometric VE" row; AS §5.1, ASBS §6).
 *
 * Its noise rate *decreases* in t (largest at the source t = 0), the mirror image of {@link veSde};
 * Q(t,s) = ν_t − ν_s and ν₁ = σmax² − σmin².
 */
export function geometricVeSde(options: VeSdeOptions): VeSde {
  const logRatio = checkVeOptions('geometricVeSde', options);
  const { sigmaMin, sigmaMax } = options;
  const rate = 2 * logRatio;
  const g2 = (t: number) => sigmaMin ** 2 * Math.exp(rate * (1 - t)) * rate;
  // ν_t − ν_s = σmax²·e^{−2Ls}·(1 − e^{−2L(t−s)}); −expm1 keeps short intervals accurate.
  const q = (s: number, t: number) => -(sigmaMax ** 2) * Math.exp(-rate * s) * Math.expm1(-rate * (t - s));
  return {
    name: `geometric-ve(${sigmaMin}→${sigmaMax})`,
    blocks: 1,
    sigmaMin,
    sigmaMax,
    drift(x: State, t: number): State {
      requireUnitTime('geometricVeSde.drift', 't', t);
      return tf.zerosLike(x);
    },
    diffusion(t: number): number {
      requireUnitTime('geometricVeSde.diffusion', 't', t);
      return Math.sqrt(g2(t));
    },
    driftMatrix(t: number): Matrix {
      requireUnitTime('geometricVeSde.driftMatrix', 't', t);
      return Matrix.zeros(1);
    },
    diffusionCov(t: number): Matrix {
      requireUnitTime('geometricVeSde.diffusionCov', 't', t);
      return Matrix.scalar(1, g2(t));
    },
    transition(s: number, t: number): GaussianTransition {
      requireTimeOrder('geometricVeSde.transition', s, t);
      return { phi: Matrix.eye(1), cov: Matrix.scalar(1, q(s, t)) };
    },
    initialCov(): Matrix {
      return Matrix.zeros(1);
    },
    variance(t: number): number {
      requireUnitTime('geometricVeSde.variance', 't', t);
      return q(0, t);
    },
  };
}
