import { normalTensor, type Rng, tf } from '@bridgekit/core';
import {
  apply,
  createTrainState,
  disposeTrainState,
  type Graph,
  mlp,
  type Params,
  regressionStep,
} from '@bridgekit/nn';
import { eulerOde, uniformGrid } from '@bridgekit/samplers';
import type { Velocity } from './memoryless-flow.js';

/** Options of {@link fitTerminalScore}. */
export interface FitTerminalScoreOptions {
  /** The pretrained flow model whose terminal law's score is wanted. */
  readonly velocity: Velocity;
  readonly dim: number;
  /** Noise for the samples and the fit (consumed through forks). */
  readonly rng: Rng;
  /** Noise level of the denoising fit: the score is that of p₁ smoothed by N(0, σ²I). */
  readonly sigma: number;
  /** Samples of the model drawn by Euler with NFE 100 (default 10 000). */
  readonly samples?: number;
  /** AdamW steps of the fit, batch 512 (default 1500). */
  readonly steps?: number;
}

/** A fitted score s(x) ≈ ∇log p₁(x) as plain data, with what it cost. */
export interface FittedScore {
  readonly graph: Graph;
  readonly params: Params;
  readonly sigma: number;
  /** Network evaluations per row spent: sampling the model, and the fit (forward + backward). */
  readonly cost: number;
}

/** The small network of the fit: MLP 3×64, SiLU; its time input is always 0. */
export function terminalScoreGraph(dim: number): Graph {
  return mlp({
    inputDim: dim,
    outputDim: dim,
    hidden: [64, 64, 64],
    activation: 'silu',
    timeEmbedding: { kind: 'raw' },
  });
}

/** s(x) = −ε̂(x)/σ for a fitted score (the caller owns the result). */
export function evaluateFittedScore(
  score: Pick<FittedScore, 'graph' | 'params' | 'sigma'>,
  x: tf.Tensor2D,
): tf.Tensor2D {
  return tf.tidy(
    () =>
      tf.mul(
        apply(score.graph, score.params, x, tf.zeros([x.shape[0]]) as tf.Tensor1D),
        -1 / score.sigma,
      ) as tf.Tensor2D,
  );
}

/**
 * The data score of a flow model's own terminal law, fitted once by denoising score matching on samples
 * of that model: draw `samples` points by Euler (NFE 100), then regress ε̂(x + σε) on ε (MLP 3×64, SiLU,
 * AdamW 1e-3, batch 512), so s(x) = −ε̂(x)/σ is the score of p₁ ∗ N(0, σ²I). EAM's terminal cost needs
 * ∇log p₁^base; Tweedie's formula on the velocity network divides its error by 1 − t and, measured on
 * 2-D mixtures, let EAM drift away from the target (decision D24), where this fit, being the score of the
 * very law the fine-tuning starts from, did not. Deterministic given `rng`.
 */
export function fitTerminalScore(options: FitTerminalScoreOptions): FittedScore {
  const { velocity, dim, rng, sigma } = options;
  const n = options.samples ?? 10_000;
  const steps = options.steps ?? 1500;
  const batch = 512;
  if (!(sigma > 0)) throw new RangeError(`fitTerminalScore: sigma must be > 0, got ${sigma}`);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`fitTerminalScore: samples must be a positive integer, got ${n}`);
  if (!Number.isSafeInteger(steps) || steps < 1)
    throw new RangeError(`fitTerminalScore: steps must be a positive integer, got ${steps}`);
  const points = new Float32Array(n * dim);
  const prior = rng.fork('samples');
  const chunk = 4096;
  for (let start = 0; start < n; start += chunk) {
    const rows = Math.min(chunk, n - start);
    const x0 = normalTensor<tf.Rank.R2>(prior.fork(start), [rows, dim]);
    const run = eulerOde({ name: 'base velocity', velocity }, x0, uniformGrid(0, 1, 100));
    points.set(run.x.dataSync(), start * dim);
    tf.dispose([x0, run.x]);
  }
  const graph = terminalScoreGraph(dim);
  let state = createTrainState(graph, rng.fork('init'), { kind: 'adamw', lr: 1e-3, weightDecay: 0 });
  const draws = rng.fork('fit');
  try {
    for (let k = 0; k < steps; k++) {
      const index = draws.randint(batch, n);
      const eps = draws.normalFloat32(batch * dim);
      const x = new Float32Array(batch * dim);
      for (let i = 0; i < batch; i++) {
        for (let j = 0; j < dim; j++)
          x[i * dim + j] = points[index[i]! * dim + j]! + sigma * eps[i * dim + j]!;
      }
      const b = {
        x: tf.tensor2d(x, [batch, dim]),
        t: tf.zeros([batch]) as tf.Tensor1D,
        target: tf.tensor2d(eps, [batch, dim]),
      };
      try {
        state = regressionStep(state, b).state;
      } finally {
        tf.dispose([b.x, b.t, b.target]);
      }
    }
  } catch (error) {
    disposeTrainState(state);
    throw error;
  }
  const params: Params = {};
  for (const [name, t] of Object.entries(state.params)) params[name] = tf.clone(t);
  disposeTrainState(state);
  return { graph, params, sigma, cost: 100 * n + 2 * steps * batch };
}
