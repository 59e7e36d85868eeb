import { cholesky, inv, type Matrix, tf } from '@bridgekit/core';
import { applyMatrix, type BackwardPolicy } from './backward-dynamics.js';
import type { VariationalFamily } from './family.js';

/**
 * What the backward network outputs (its regression target), on the noisy coordinates n:
 * - 'score' (the official VSDM code): ẑ itself, target ẑ* = √β Γ_n(−(L^{−T}ε)_n − (Ã z_t)_n);
 * - 'noise': ε_n, from which ẑ = √β Γ_n(−(L^{−T})_{nn} ε̂_n − (Ã z)_n) is computed in closed form.
 *   The target is affine in ε with a t-dependent scale ~1/√t, so regressing ε gives the same
 *   minimiser with a far better conditioned loss (the DDPM/ε-prediction argument). L^{−T} is upper
 *   triangular and the noisy coordinates come last, so (L^{−T}ε)_n = (L^{−T})_{nn} ε_n.
 */
export type Parameterization = 'score' | 'noise';

/** The kernel quantities the parameterisation needs at one time. */
export interface TimeKernel {
  /** (L_t^{−T}) restricted to the noisy rows and columns. */
  readonly cholInvTNoisy: Matrix;
  /** Ã_t restricted to the noisy rows (|n| × D). */
  readonly matrixNoisy: Matrix;
}

/** Checks that the noisy coordinates are the trailing block, as the closed form above requires. */
export function checkTrailingNoise<P>(family: VariationalFamily<P>): number {
  const D = family.stateDim;
  const n = family.noisy.length;
  family.noisy.forEach((c, i) => {
    if (c !== D - n + i) {
      throw new RangeError(
        `${family.name}: the noisy coordinates must be the last ${n} of the state, got [${family.noisy.join(', ')}]`,
      );
    }
  });
  return D - n;
}

/** Restricts L^{−T} (D×D) and Ã (D×D) to the noisy block. */
export function timeKernel<P>(family: VariationalFamily<P>, cholInvT: Matrix, matrix: Matrix): TimeKernel {
  const first = checkTrailingNoise(family);
  const n = family.noisy.length;
  return {
    cholInvTNoisy: cholInvT.block(first, first, n, n),
    matrixNoisy: matrix.block(first, 0, n, family.stateDim),
  };
}

/**
 * A cache of {@link TimeKernel}s of one policy by time, computed on first use from the exact
 * transition 0 → t (so any sampler grid works).
 */
export function kernelLookup<P>(family: VariationalFamily<P>, policy: P): (t: number) => TimeKernel {
  const sde = family.forwardSde(policy);
  const cov0 = sde.initialCov();
  const cache = new Map<number, TimeKernel>();
  return (t) => {
    let k = cache.get(t);
    if (k === undefined) {
      const { phi, cov } = sde.transition(0, t);
      const s = phi.mul(cov0).mul(phi.transpose()).add(cov).symmetrize();
      const l = cholesky(s, { jitter: 1e-12 * Math.max(s.trace() / sde.blocks, 1e-300) });
      k = timeKernel(family, inv(l).transpose(), family.matrixAt(policy, t));
      cache.set(t, k);
    }
    return k;
  };
}

/**
 * The backward policy ẑ(z, t) from a network output `raw(z, t)` under a parameterisation
 * ('score': the output itself; 'noise': the closed form above, with the kernels from `kernelAt`).
 */
export function backwardPolicy<P>(
  family: VariationalFamily<P>,
  parameterization: Parameterization,
  raw: (z: tf.Tensor2D, t: number) => tf.Tensor2D,
  kernelAt: (t: number) => TimeKernel,
): BackwardPolicy {
  if (parameterization === 'score') return raw;
  const scale = Float32Array.from(family.noisy, (c) => family.noiseScale[c]!);
  return (z, t) => {
    const k = kernelAt(t);
    const sb = Math.sqrt(family.schedule.beta(t));
    return tf.tidy(() => {
      const eps = raw(z, t);
      const score = tf.neg(tf.add(applyMatrix(eps, k.cholInvTNoisy), applyMatrix(z, k.matrixNoisy)));
      return tf.mul(
        score,
        tf.tensor2d(
          Float32Array.from(scale, (g) => g * sb),
          [1, scale.length],
        ),
      ) as tf.Tensor2D;
    });
  };
}
