import type { JsonValue, NamedArray } from '@bridgekit/checkpoint';
import { Rng, tf } from '@bridgekit/core';
import {
  createTrainState,
  disposeTrainState,
  type Graph,
  regressionStep,
  stateFromNamedArrays,
  stateToNamedArrays,
  type TrainState,
  type TrainStateJson,
} from '@bridgekit/nn';
import {
  runTrainingLoop,
  type TrainingSession,
  type TrainRequest,
  type TrainSummary,
} from '@bridgekit/train';
import { fromCheckpointArrays, paramsToArrays, toCheckpointArrays } from './named-arrays.js';

/** One regression batch, built on the host from a seeded stream; tensors are created by the session. */
export interface HostBatch {
  x: Float32Array;
  t: Float32Array;
  target: Float32Array;
}

export interface RegressionSessionOptions {
  readonly graph: Graph;
  readonly seed: number;
  readonly lr: number;
  readonly weightDecay: number;
  /** Builds batch k from its own stream (`rng` is forked per step, so a resumed run draws the same batches). */
  readonly makeBatch: (step: number, rng: Rng) => HostBatch;
  /** The JSON config saved with the inference model (method, SDE, normalisation, …; graph added here). */
  readonly modelConfig: { readonly [key: string]: JsonValue };
}

/**
 * A training session for methods whose step is a regression `net(x, t) ≈ target` (DSM, flow
 * matching): the method supplies only `makeBatch`; parameters, AdamW moments and checkpoint
 * round trips are shared. Batches come from `Rng(seed).fork(step)`, so resuming from a checkpoint
 * reproduces the uninterrupted run exactly.
 */
export function regressionSession(
  options: RegressionSessionOptions,
  restored?: { state: JsonValue; tensors: Record<string, NamedArray> },
): TrainingSession {
  const root = new Rng(options.seed);
  let state: TrainState =
    restored === undefined
      ? createTrainState(options.graph, root.fork('init'), {
          kind: 'adamw',
          lr: options.lr,
          weightDecay: options.weightDecay,
        })
      : stateFromNamedArrays(
          restored.state as unknown as TrainStateJson,
          fromCheckpointArrays(restored.tensors, 'checkpoint'),
        );
  const dim = options.graph.outputDim;
  return {
    step(step: number): number {
      const host = options.makeBatch(step, root.fork(`batch-${step}`));
      const b = host.t.length;
      const batch = {
        x: tf.tensor2d(host.x, [b, options.graph.inputDim]),
        t: tf.tensor1d(host.t),
        target: tf.tensor2d(host.target, [b, dim]),
      };
      try {
        const result = regressionStep(state, batch);
        state = result.state;
        return result.loss;
      } finally {
        tf.dispose([batch.x, batch.t, batch.target]);
      }
    },
    snapshot() {
      const { tensors, json } = stateToNamedArrays(state);
      return { state: json as unknown as JsonValue, tensors: toCheckpointArrays(tensors) };
    },
    model() {
      return {
        config: { ...options.modelConfig, graph: state.graph as unknown as JsonValue },
        tensors: paramsToArrays(state.params, 'params/'),
      };
    },
    dispose() {
      disposeTrainState(state);
    },
  };
}

/**
 * Trains a regression method through the shared loop: the fingerprint that guards `--resume` is
 * the method options, batch size, seed and data source.
 */
export async function trainRegression(
  method: string,
  request: TrainRequest,
  options: RegressionSessionOptions,
): Promise<TrainSummary> {
  const result = await runTrainingLoop({
    out: request.out,
    method,
    steps: request.steps,
    checkpointEvery: request.checkpointEvery,
    resume: request.resume,
    fingerprint: {
      options: { ...request.options },
      batch: request.batch,
      seed: request.seed,
      data: request.data.source,
    },
    create: () => regressionSession(options),
    restore: (state, tensors) => regressionSession(options, { state, tensors }),
    ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
  });
  return { method, ...result };
}
