import { cholesky, Matrix, matmul, solveTriangular, tf } from '@bridgekit/core';
import { type GaussianMixture, pushForwardMixture } from './gaussian-mixture.js';
import type { LinearGaussianSde, ScoreFn, State } from './sde.js';

/** Per-component constants of a mixture in float64: mean, precision C⁻¹ and log(w) − ½log det(2πC). */
interface ComponentTerms {
  readonly mean: number[];
  readonly precision: Matrix;
  readonly logNorm: number;
}

function componentTerms(mixture: GaussianMixture, where: string): ComponentTerms[] {
  const d = mixture.means[0]!.length;
  return mixture.weights.map((w, k) => {
    let l: Matrix;
    try {
      l = cholesky(Matrix.from(mixture.covs[k]!));
    } catch (error) {
      throw new RangeError(
        `${where}: the covariance of component ${k} is singular here, so the density has no score ` +
          `(evaluate at t > 0 or give the data full-rank covariances): ${(error as Error).message}`,
      );
    }
    let logDet = 0;
    for (let i = 0; i < d; i++) logDet += 2 * Math.log(l.get(i, i));
    const linv = solveTriangular(l, Matrix.eye(d));
    return {
      mean: [...mixture.means[k]!],
      precision: linv.transpose().mul(linv).symmetrize(),
      logNorm: Math.log(w) - 0.5 * (logDet + d * Math.log(2 * Math.PI)),
    };
  });
}

/** Per-component log(w_k N(x; μ_k, C_k)) stacked to [B, K], and y_k = C_k⁻¹(x − μ_k), each [B, D]. */
function componentLogs(x: State, terms: ComponentTerms[], where: string): { logs: tf.Tensor2D; ys: State[] } {
  const d = terms[0]!.mean.length;
  if (x.rank !== 2 || x.shape[1] !== d) {
    throw new RangeError(`${where}: x must be a [B, ${d}] tensor, got [${x.shape.join(', ')}]`);
  }
  const ys: State[] = [];
  const logs: tf.Tensor1D[] = [];
  for (const term of terms) {
    const diff = tf.sub(x, tf.tensor2d(term.mean, [1, d])) as State;
    const y = matmul(diff, tf.tensor2d(new Float32Array(term.precision.data), [d, d], 'float32'));
    ys.push(y);
    logs.push(tf.sub(term.logNorm, tf.mul(tf.sum(tf.mul(diff, y), 1), 0.5)) as tf.Tensor1D);
  }
  return { logs: tf.stack(logs, 1) as tf.Tensor2D, ys };
}

/**
 * The exact score ∇ log p_t(x) of mixture data Σ_k w_k N(μ_k, C_k) pushed through a linear SDE:
 * −Σ_k r_k(x) S_k⁻¹(x − m_k) with (m_k, S_k) from {@link pushForwardMixture} and responsibilities
 * r_k ∝ w_k N(x; m_k, S_k) by log-sum-exp (softmax) for stability (Tweedie/§1.2 kernels; §9 T16).
 *
 * Host work (Φ, Σ_t, one Cholesky per component) is float64 and scales as D³: meant for small D.
 * Tensor work is float32.
 */
export function gaussianMixtureScore(sde: LinearGaussianSde, mixture: GaussianMixture): ScoreFn {
  pushForwardMixture(sde, mixture, 1); // validates the mixture against the SDE up front
  return (x: State, t: number): State => {
    const terms = componentTerms(pushForwardMixture(sde, mixture, t), `gaussianMixtureScore(t = ${t})`);
    return tf.tidy(() => {
      const { logs, ys } = componentLogs(x, terms, 'gaussianMixtureScore');
      if (ys.length === 1) return tf.neg(ys[0]!);
      const resp = tf.softmax(logs, 1);
      let acc = tf.mul(tf.slice(resp, [0, 0], [-1, 1]), ys[0]!);
      for (let k = 1; k < ys.length; k++) acc = tf.add(acc, tf.mul(tf.slice(resp, [0, k], [-1, 1]), ys[k]!));
      return tf.neg(acc) as State;
    });
  };
}

/**
 * The log density log p_t(x) = logsumexp_k [log w_k + log N(x; m_k, S_k)] of mixture data pushed through a
 * linear SDE (same components as {@link gaussianMixtureScore}); returns [B]. Differentiable with tf.grad.
 */
export function gaussianMixtureLogDensity(
  sde: LinearGaussianSde,
  mixture: GaussianMixture,
): (x: State, t: number) => tf.Tensor1D {
  pushForwardMixture(sde, mixture, 1);
  return (x: State, t: number): tf.Tensor1D => {
    const terms = componentTerms(pushForwardMixture(sde, mixture, t), `gaussianMixtureLogDensity(t = ${t})`);
    return tf.tidy(
      () => tf.logSumExp(componentLogs(x, terms, 'gaussianMixtureLogDensity').logs, 1) as tf.Tensor1D,
    );
  };
}
