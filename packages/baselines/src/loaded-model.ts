import { type JsonValue, loadModel } from '@bridgekit/checkpoint';
import { normalTensor, Rng, tf } from '@bridgekit/core';
import { denormalize, type Normalization } from '@bridgekit/data';
import { apply, type Graph, type Params } from '@bridgekit/nn';
import type { SampleResult as SamplerResult } from '@bridgekit/samplers';
import type { SampleRequest, SampleResult } from '@bridgekit/train';
import { arraysToParams } from './named-arrays.js';

/** The JSON every baseline saves with its model. */
export interface BaselineModelConfig {
  method: string;
  dim: number;
  normalization: Normalization;
  graph: Graph;
  [key: string]: JsonValue | Graph | Normalization;
}

/** A baseline model read back from `<run>/model/` (or a checkpoint directory). */
export interface LoadedBaseline {
  readonly config: BaselineModelConfig;
  readonly params: Params;
  /** net(x, t) with t broadcast over the batch. */
  net(x: tf.Tensor2D, t: number): tf.Tensor2D;
}

/** Loads a baseline model whose method is `method` (or one of several), refusing any other. */
export async function loadBaseline(dir: string, method: string | readonly string[]): Promise<LoadedBaseline> {
  const model = await loadModel(dir);
  const config = model.config as unknown as BaselineModelConfig;
  const accepted = typeof method === 'string' ? [method] : method;
  if (!accepted.includes(config?.method)) {
    throw new Error(
      `${model.dir} holds a '${String(config?.method)}' model, not ${accepted.map((m) => `'${m}'`).join(' or ')}`,
    );
  }
  const params = arraysToParams(model.tensors, 'params/', model.dir);
  return {
    config,
    params,
    net: (x, t) => tf.tidy(() => apply(config.graph, params, x, tf.fill([x.shape[0]], t) as tf.Tensor1D)),
  };
}

/** Validates a sample request's counts; errors name the field. */
export function checkSampleRequest(
  request: SampleRequest,
  defaultNfe: number,
): { nfe: number; paths: number } {
  if (!Number.isSafeInteger(request.n) || request.n < 1) {
    throw new RangeError(`n must be a positive integer, got ${request.n}`);
  }
  const nfe = request.nfe ?? defaultNfe;
  if (!Number.isSafeInteger(nfe) || nfe < 1)
    throw new RangeError(`nfe must be a positive integer, got ${nfe}`);
  const paths = request.trajectories ?? 0;
  if (!Number.isSafeInteger(paths) || paths < 0) {
    throw new RangeError(`trajectories must be a non-negative integer, got ${paths}`);
  }
  return { nfe, paths: Math.min(paths, request.n) };
}

/**
 * Draws the prior, runs `integrate` (a sampler call), and returns samples and the first `paths`
 * trajectories in data coordinates (normalisation undone), and with `request.pairs` the prior draws
 * as `starts` (in the model's normalised coordinates). The prior is N(0, I) unless `drawPrior` gives
 * another (n draws in R^dim from the stream it is handed); the noise stream is `Rng(seed).fork('noise')`.
 */
export function runSampler(
  model: { readonly config: { readonly dim: number; readonly normalization: Normalization } },
  request: SampleRequest,
  paths: number,
  integrate: (x: tf.Tensor2D, rng: Rng) => SamplerResult,
  drawPrior: (rng: Rng, n: number, dim: number) => tf.Tensor2D = (rng, n, dim) =>
    normalTensor<tf.Rank.R2>(rng, [n, dim]),
): SampleResult {
  const { dim, normalization } = model.config;
  const rng = new Rng(request.seed);
  const prior = drawPrior(rng.fork('prior'), request.n, dim);
  try {
    // Read before integrating: the prior tensor is the sampler's input and is not changed by it.
    const starts = request.pairs ? Float32Array.from(prior.dataSync()) : undefined;
    const result = integrate(prior, rng.fork('noise'));
    const samples = denormalize(result.x.dataSync(), dim, normalization);
    result.x.dispose();
    const out: SampleResult = { samples, dim, nfe: result.nfe, ...(starts === undefined ? {} : { starts }) };
    if (paths > 0 && result.trajectory !== undefined) {
      const { t, states } = result.trajectory;
      return {
        ...out,
        trajectories: {
          t: Array.from(t),
          states: states.map((s) => denormalize(s.subarray(0, paths * dim), dim, normalization)),
        },
      };
    }
    return out;
  } finally {
    prior.dispose();
  }
}
