import { tf } from '@bridgekit/core';
import { apply, type Params } from './apply.js';
import { gradientStep, type StepResult } from './gradient-step.js';
import type { Graph } from './graph.js';
import type { TrainState } from './train-state.js';

/** A regression batch: inputs x [B, inputDim], t [B], target [B, outputDim], optional weight [B]. */
export interface RegressionBatch {
  x: tf.Tensor2D;
  t: tf.Tensor1D;
  target: tf.Tensor2D;
  weight?: tf.Tensor1D;
}

/**
 * The weighted mean-squared error L(θ) = (1/B)·Σ_b w_b·‖net_θ(x_b, t_b) − target_b‖²/D, D = outputDim:
 * with unit weights, the mean over batch × dimensions (VSDM's DSM loss). Returns a scalar tensor.
 */
export function regressionLoss(graph: Graph, params: Params, batch: RegressionBatch): tf.Scalar {
  return tf.tidy(() => {
    const perSample = tf.mean(tf.square(tf.sub(apply(graph, params, batch.x, batch.t), batch.target)), 1);
    return tf.mean(batch.weight === undefined ? perSample : tf.mul(perSample, batch.weight)) as tf.Scalar;
  });
}

/**
 * One optimiser step on {@link regressionLoss}; returns the new state and the loss before the
 * update. Consumes `state` (see {@link TrainState} for ownership); the batch stays the caller's.
 */
export function regressionStep(state: TrainState, batch: RegressionBatch): StepResult {
  const { graph } = state;
  const b = batch.x.shape[0];
  if (batch.target.rank !== 2 || batch.target.shape[0] !== b || batch.target.shape[1] !== graph.outputDim) {
    throw new RangeError(
      `regressionStep: batch.target must be [${b}, ${graph.outputDim}] (B × outputDim), got [${batch.target.shape.join(', ')}]`,
    );
  }
  if (batch.weight !== undefined && (batch.weight.rank !== 1 || batch.weight.shape[0] !== b)) {
    throw new RangeError(
      `regressionStep: batch.weight must be [${b}], got [${batch.weight.shape.join(', ')}]`,
    );
  }
  return gradientStep(state, (params) => regressionLoss(graph, params, batch));
}
