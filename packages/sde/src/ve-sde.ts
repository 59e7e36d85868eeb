import { Matrix, tf } from '@bridgekit/core';
import type { GaussianTransition, LinearGaussianSde, State } from './sde.js';
import { requirePositive, requireTimeOrder, requireUnitTime } from './validate.js';

/** Options of {@link veSde} and {@link geometricVeSde}. */
export interface VeSdeOptions {
  /** σmin > 0. */
  readonly sigmaMin: number;
  /** σmax > σmin. */
  readonly sigmaMax: number;
}

/** A driftless variance-exploding SDE with its noise levels. */
export interface VeSde extends LinearGaussianSde {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  /** ν_t = ∫₀ᵗ g(u)² du = Var(x_t | x_0). */
  variance(t: number): number;
  /** g(t): a number, so x may be omitted. */
  diffusion(t: number, x?: State): number;
}

/** Checks 0 < σmin < σmax and returns ln(σmax/σmin). */
export function checkVeOptions(where: string, options: VeSdeOptions): number {
  const { sigmaMin, sigmaMax } = options;
  requirePositive(where, 'sigmaMin', sigmaMin);
  requirePositive(where, 'sigmaMax', sigmaMax);
  if (!(sigmaMax > sigmaMin)) {
    throw new RangeError(`${where}: sigmaMax must be > sigmaMin = ${sigmaMin}, got ${sigmaMax}`);
  }
  return Math.log(sigmaMax / sigmaMin);
}

/**
 * The standard (increasing) geometric VE SDE of Song et al. 2021: σ(t) = σmin(σmax/σmin)^t,
 * dx = g(t) dW with g(t) = σ(t)√(2 ln(σmax/σmin)), so Φ ≡ 1 and Q(t,s) = σ(t)² − σ(s)²
 * (algorithms.md §1.1, which lists the mirrored AS/ASBS variant — see {@link geometricVeSde}).
 *
 * Convention: the process starts at x₀ itself, so Var(x_t | x₀) = ν_t = σ(t)² − σmin² (ν₀ = 0); Song et
 * al.'s perturbation kernel N(x₀, σ(t)²) differs from it by the constant σmin², negligible for small σmin.
 */
export function veSde(options: VeSdeOptions): VeSde {
  const logRatio = checkVeOptions('veSde', options);
  const { sigmaMin, sigmaMax } = options;
  const rate = 2 * logRatio; // d/dt ln σ(t)²
  const sigmaAt = (t: number) => sigmaMin * Math.exp(logRatio * t);
  // σ(t)² − σ(s)² = σ(s)²·(e^{2L(t−s)} − 1); expm1 keeps short intervals accurate.
  const q = (s: number, t: number) => sigmaAt(s) ** 2 * Math.expm1(rate * (t - s));
  return {
    name: `ve(${sigmaMin}→${sigmaMax})`,
    blocks: 1,
    sigmaMin,
    sigmaMax,
    drift(x: State, t: number): State {
      requireUnitTime('veSde.drift', 't', t);
      return tf.zerosLike(x);
    },
    diffusion(t: number): number {
      requireUnitTime('veSde.diffusion', 't', t);
      return sigmaAt(t) * Math.sqrt(rate);
    },
    driftMatrix(t: number): Matrix {
      requireUnitTime('veSde.driftMatrix', 't', t);
      return Matrix.zeros(1);
    },
    diffusionCov(t: number): Matrix {
      requireUnitTime('veSde.diffusionCov', 't', t);
      return Matrix.scalar(1, sigmaAt(t) ** 2 * rate);
    },
    transition(s: number, t: number): GaussianTransition {
      requireTimeOrder('veSde.transition', s, t);
      return { phi: Matrix.eye(1), cov: Matrix.scalar(1, q(s, t)) };
    },
    initialCov(): Matrix {
      return Matrix.zeros(1);
    },
    variance(t: number): number {
      requireUnitTime('veSde.variance', 't', t);
      return q(0, t);
    },
  };
}
