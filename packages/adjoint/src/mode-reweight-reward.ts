import { cholesky, Matrix, matmul, solveTriangular, tf } from '@bridgekit/core';
import type { GaussianMixture } from '@bridgekit/sde';
import type { Reward } from './reward.js';
import { describe, requireBatch, requirePositive } from './validate.js';

/** Options of {@link modeReweightReward}. */
export interface ModeReweightRewardOptions {
  /** The base law p_base = Σ_k π_k N(μ_k, C_k) (weights are normalised by their sum). */
  readonly base: GaussianMixture;
  /** Target mode weights ρ_k > 0, one per component (normalised by their sum). */
  readonly weights: readonly number[];
  /** The multiplier λ > 0 the reward is built for (default 1): p_base·e^{λr} = Σ_k ρ_k N(μ_k, C_k) exactly. */
  readonly lambda?: number;
}

/** The mode re-weighting reward with the mixture and weights that define it (all weights normalised). */
export interface ModeReweightReward extends Reward {
  readonly base: GaussianMixture;
  readonly targetWeights: readonly number[];
  readonly lambda: number;
}

/** Float64 constants of one component: mean, precision C⁻¹ and −½log det(2πC). */
interface Component {
  readonly mean: number[];
  readonly precision: Matrix;
  readonly logNorm: number;
}

/**
 * The smooth reward that moves mass between the modes of a Gaussian mixture without moving the modes:
 *
 *     r(x) = (1/λ)·[ log Σ_k ρ_k N(x; μ_k, C_k) − log Σ_k π_k N(x; μ_k, C_k) ],
 *
 * so that p_base·e^{λr} = Σ_k ρ_k N(μ_k, C_k) exactly at the λ it is built for, whatever the overlap of
 * the components ({@link tiltedMixture} gives that target). Near mode k, r ≈ (1/λ)·log(ρ_k/π_k). The
 * gradient is analytic: ∇r = (1/λ)·Σ_k (q^π_k(x) − q^ρ_k(x))·C_k⁻¹(x − μ_k), q^w the responsibilities
 * of the mixture with weights w. Log-densities are log-sum-exps in float32; the constants are float64.
 */
export function modeReweightReward(options: ModeReweightRewardOptions): ModeReweightReward {
  const where = 'modeReweightReward';
  const { base, weights } = options;
  const lambda = options.lambda ?? 1;
  requirePositive(where, 'lambda', lambda);
  const components = checkComponents(where, base);
  const k = components.length;
  if (!Array.isArray(weights) || weights.length !== k) {
    throw new RangeError(
      `${where}: weights must hold one target weight per component of base (${k}), got ${describe(weights)}`,
    );
  }
  for (const [i, w] of weights.entries()) requirePositive(where, `weights[${i}]`, w);
  const pi = normalise(base.weights);
  const rho = normalise(weights);
  const d = components[0]!.mean.length;
  const logPi = tensorRow(pi.map(Math.log));
  const logRho = tensorRow(rho.map(Math.log));

  /** log N(x; μ_k, C_k) stacked to [B, K], and y_k = C_k⁻¹(x − μ_k), each [B, D]. */
  const componentLogs = (x: tf.Tensor2D): { logs: tf.Tensor2D; ys: tf.Tensor2D[] } => {
    requireBatch(`reward mode-reweight`, 'x', x, [-1, d]);
    const ys: tf.Tensor2D[] = [];
    const logs: tf.Tensor1D[] = [];
    for (const c of components) {
      const diff = tf.sub(x, tf.tensor2d(c.mean, [1, d])) as tf.Tensor2D;
      const y = matmul(diff, tf.tensor2d(Float32Array.from(c.precision.data), [d, d]));
      ys.push(y);
      logs.push(tf.sub(c.logNorm, tf.mul(tf.sum(tf.mul(diff, y), 1), 0.5)) as tf.Tensor1D);
    }
    return { logs: tf.stack(logs, 1) as tf.Tensor2D, ys };
  };

  return {
    name: `mode-reweight(λ=${lambda}, weights=${JSON.stringify(rho.map((w) => Number(w.toPrecision(6))))})`,
    base: {
      weights: pi,
      means: base.means.map((m) => [...m]),
      covs: base.covs.map((c) => c.map((r) => [...r])),
    },
    targetWeights: rho,
    lambda,
    value(x: tf.Tensor2D): tf.Tensor1D {
      return tf.tidy(() => {
        const { logs } = componentLogs(x);
        const diff = tf.sub(tf.logSumExp(tf.add(logs, logRho()), 1), tf.logSumExp(tf.add(logs, logPi()), 1));
        return tf.div(diff, lambda) as tf.Tensor1D;
      });
    },
    gradient(x: tf.Tensor2D): tf.Tensor2D {
      return tf.tidy(() => {
        const { logs, ys } = componentLogs(x);
        // ∇log N_k = −y_k, so ∇r = (1/λ)Σ_k (q^π_k − q^ρ_k) y_k.
        const coef = tf.div(
          tf.sub(tf.softmax(tf.add(logs, logPi()), 1), tf.softmax(tf.add(logs, logRho()), 1)),
          lambda,
        );
        let acc = tf.mul(tf.slice(coef, [0, 0], [-1, 1]), ys[0]!);
        for (let j = 1; j < k; j++) acc = tf.add(acc, tf.mul(tf.slice(coef, [0, j], [-1, 1]), ys[j]!));
        return acc as tf.Tensor2D;
      });
    },
  };
}

function normalise(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

/** A [1, K] tensor factory, so each call creates its tensor inside the caller's tidy scope. */
function tensorRow(values: number[]): () => tf.Tensor2D {
  return () => tf.tensor2d(values, [1, values.length]);
}

/** Validates the mixture and precomputes each component's float64 constants. */
function checkComponents(where: string, base: GaussianMixture): Component[] {
  if (typeof base !== 'object' || base === null || !Array.isArray(base.weights)) {
    throw new TypeError(
      `${where}: base must be a GaussianMixture { weights, means, covs }, got ${describe(base)}`,
    );
  }
  const { weights, means, covs } = base;
  const k = weights.length;
  if (k === 0) throw new RangeError(`${where}: base.weights must have at least one entry, got []`);
  if (means?.length !== k || covs?.length !== k) {
    throw new RangeError(
      `${where}: base.weights, base.means and base.covs must have one entry per component (${k}), got ${describe(means)} and ${describe(covs)}`,
    );
  }
  for (const [i, w] of weights.entries()) requirePositive(where, `base.weights[${i}]`, w);
  const d = means[0]!.length;
  if (d === 0) throw new RangeError(`${where}: base.means[0] must have at least one coordinate, got []`);
  return means.map((mean, c) => {
    if (mean.length !== d || mean.some((v) => !Number.isFinite(v))) {
      throw new RangeError(`${where}: base.means[${c}] must hold ${d} finite numbers, got ${describe(mean)}`);
    }
    const cov = covs[c]!;
    if (cov.length !== d || cov.some((row) => row.length !== d || row.some((v) => !Number.isFinite(v)))) {
      throw new RangeError(`${where}: base.covs[${c}] must be a ${d}×${d} array of finite numbers`);
    }
    const m = Matrix.from(cov);
    const asymmetry = m.sub(m.transpose()).maxAbs();
    if (asymmetry > 1e-12 * Math.max(1, m.maxAbs())) {
      throw new RangeError(`${where}: base.covs[${c}] must be symmetric, got max |C − Cᵀ| = ${asymmetry}`);
    }
    let l: Matrix;
    try {
      l = cholesky(m);
    } catch (error) {
      throw new RangeError(
        `${where}: base.covs[${c}] must be positive definite (the reward needs each component's density): ${(error as Error).message}`,
      );
    }
    let logDet = 0;
    for (let i = 0; i < d; i++) logDet += 2 * Math.log(l.get(i, i));
    const linv = solveTriangular(l, Matrix.eye(d));
    return {
      mean: [...mean],
      precision: linv.transpose().mul(linv).symmetrize(),
      logNorm: -0.5 * (logDet + d * Math.log(2 * Math.PI)),
    };
  });
}
