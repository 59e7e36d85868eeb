import { tf } from '@bridgekit/core';
import { apply, type Params } from './apply.js';
import { gradientStep, type StepResult } from './gradient-step.js';
import type { Graph } from './graph.js';
import type { TrainState } from './train-state.js';

/** A vector–Jacobian batch: inputs x [B, inputDim], t [B] and a cotangent [B, outputDim]. */
export interface VjpBatch {
  x: tf.Tensor2D;
  t: tf.Tensor1D;
  cotangent: tf.Tensor2D;
}

/**
 * One optimiser step whose gradient is (1/B)·Σ_b ⟨c_b, ∂net_θ(x_b, t_b)/∂θ⟩ for a given cotangent c
 * (held constant), i.e. the gradient of the surrogate loss sum(net ⊙ c)/B — how adjoint methods,
 * which compute c themselves, train a network. `loss` is that surrogate's value before the update.
 * Consumes `state` (see {@link TrainState} for ownership); the batch stays the caller's.
 */
export function vjpStep(state: TrainState, batch: VjpBatch): StepResult {
  const { graph } = state;
  const b = batch.x.shape[0];
  const c = batch.cotangent;
  if (c.rank !== 2 || c.shape[0] !== b || c.shape[1] !== graph.outputDim) {
    throw new RangeError(
      `vjpStep: batch.cotangent must be [${b}, ${graph.outputDim}] (B × outputDim), got [${c.shape.join(', ')}]`,
    );
  }
  return gradientStep(state, (params) => vjpLoss(graph, params, batch));
}

/**
 * The surrogate loss sum(net_θ(x, t) ⊙ c)/B of {@link vjpStep}, a scalar tensor: its gradient in θ is
 * (1/B)·Σ_b ⟨c_b, ∂net_θ(x_b, t_b)/∂θ⟩, the cotangent held constant.
 */
export function vjpLoss(graph: Graph, params: Params, batch: VjpBatch): tf.Scalar {
  return tf.tidy(
    () =>
      tf.div(
        tf.sum(tf.mul(apply(graph, params, batch.x, batch.t), batch.cotangent)),
        batch.x.shape[0],
      ) as tf.Scalar,
  );
}
