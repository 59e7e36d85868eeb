import { cholesky, Matrix, matmul, solveTriangular, tf } from '@bridgekit/core';
import { checkMixture, type GaussianMixture } from './gaussian-mixture.js';
import type { VelocityFn } from './memoryless-flow-sde.js';
import type { State } from './sde.js';
import { requireUnitTime } from './validate.js';

/** Float64 constants of component k at time t: shifted mean tμ_k, S_k⁻¹, gain (tC_k − (1−t)I)S_k⁻¹, log norm. */
interface FlowTerms {
  readonly shift: number[];
  readonly mean: number[];
  readonly precision: Matrix;
  readonly gain: Matrix;
  readonly logNorm: number;
}

/**
 * The exact flow-matching velocity of Gaussian-mixture data Σ_k w_k N(μ_k, C_k) for the interpolant
 * x_t = t·x₁ + (1−t)ε (t = 0 noise, t = 1 data):
 *
 *     v(x, t) = Σ_k r_k(x, t)·[ μ_k + (tC_k − (1−t)I)·S_k(t)⁻¹·(x − tμ_k) ],   S_k(t) = t²C_k + (1−t)²I,
 *
 * with responsibilities r_k ∝ w_k N(x; tμ_k, S_k(t)) (softmax of log-densities): E[X₁ − ε | X_t = x] by
 * Gaussian conditioning within each component. One component with C = s²I is {@link gaussianFlowVelocity}
 * (algorithms.md §9 T13). Finite on all of [0, 1] as long as every C_k is positive definite (at t = 1,
 * S_k = C_k). Host constants are float64 (one Cholesky per component and call, D³: meant for small D).
 */
export function gaussianMixtureFlowVelocity(mixture: GaussianMixture): VelocityFn {
  const where = 'gaussianMixtureFlowVelocity';
  const d = checkMixture(where, mixture);
  const total = mixture.weights.reduce((a, b) => a + b, 0);
  const terms = (t: number): FlowTerms[] =>
    mixture.weights.map((w, k) => {
      const c = Matrix.from(mixture.covs[k]!);
      const s = c.scale(t * t).add(Matrix.eye(d).scale((1 - t) * (1 - t)));
      let l: Matrix;
      try {
        l = cholesky(s.symmetrize());
      } catch (error) {
        throw new RangeError(
          `${where}: S = t²C + (1−t)²I of component ${k} is singular at t = ${t} (give full-rank covariances): ${(error as Error).message}`,
        );
      }
      let logDet = 0;
      for (let i = 0; i < d; i++) logDet += 2 * Math.log(l.get(i, i));
      const linv = solveTriangular(l, Matrix.eye(d));
      const precision = linv.transpose().mul(linv).symmetrize();
      const mean = [...mixture.means[k]!];
      return {
        mean,
        shift: mean.map((m) => t * m),
        precision,
        gain: c
          .scale(t)
          .sub(Matrix.eye(d).scale(1 - t))
          .mul(precision),
        logNorm: Math.log(w / total) - 0.5 * (logDet + d * Math.log(2 * Math.PI)),
      };
    });
  return (x: State, t: number): State => {
    requireUnitTime(where, 't', t);
    if (x.rank !== 2 || x.shape[1] !== d) {
      throw new RangeError(`${where}: x must be a [B, ${d}] tensor, got [${x.shape.join(', ')}]`);
    }
    const all = terms(t);
    return tf.tidy(() => {
      const logs: tf.Tensor1D[] = [];
      const velocities: State[] = [];
      for (const term of all) {
        const diff = tf.sub(x, tf.tensor2d(term.shift, [1, d])) as State;
        const y = matmul(diff, tf.tensor2d(new Float32Array(term.precision.data), [d, d], 'float32'));
        logs.push(tf.sub(term.logNorm, tf.mul(tf.sum(tf.mul(diff, y), 1), 0.5)) as tf.Tensor1D);
        // row form of μ + G·(x − tμ): diff·Gᵀ
        const gT = tf.tensor2d(new Float32Array(term.gain.transpose().data), [d, d], 'float32');
        velocities.push(tf.add(matmul(diff, gT), tf.tensor2d(term.mean, [1, d])) as State);
      }
      if (velocities.length === 1) return velocities[0]!;
      const resp = tf.softmax(tf.stack(logs, 1) as tf.Tensor2D, 1);
      let acc = tf.mul(tf.slice(resp, [0, 0], [-1, 1]), velocities[0]!);
      for (let k = 1; k < velocities.length; k++) {
        acc = tf.add(acc, tf.mul(tf.slice(resp, [0, k], [-1, 1]), velocities[k]!));
      }
      return acc as State;
    });
  };
}
