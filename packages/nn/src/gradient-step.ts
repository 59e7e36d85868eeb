import { tf } from '@bridgekit/core';
import { adam } from './adam.js';
import { adamw } from './adamw.js';
import { checkParams, type Params } from './apply.js';
import { clipGradNorm } from './clip-grad-norm.js';
import { emaUpdate } from './ema.js';
import { lrAt } from './lr-schedule.js';
import type { TrainState } from './train-state.js';

/** The result of a training step: the new state (owning fresh tensors) and the loss before the update. */
export interface StepResult {
  state: TrainState;
  loss: number;
}

/**
 * One optimiser step on a scalar loss of the parameters: computes the loss and ∂loss/∂θ
 * (tf.valueAndGrads over the parameter tensors), clips the global gradient norm if `clipNorm` is set, applies
 * Adam/AdamW at lrAt(schedule, step), then updates the EMA. Functional: (state, loss) → new state.
 *
 * Consumes `state`: its tensors are disposed and the returned state owns fresh ones (the loss
 * closure's own inputs, e.g. a batch, stay the caller's). If the loss (or the gradient norm) is not
 * finite, nothing is disposed and a RangeError names the step.
 */
export function gradientStep(state: TrainState, loss: (params: Params) => tf.Scalar): StepResult {
  checkParams(state.graph, state.params);
  const names = state.graph.params.map((p) => p.name);
  const opt = state.optimizer;
  const stepIndex = opt.state.step;
  const { value, grads } = tf.tidy(() => {
    const f = (...ps: tf.Tensor[]) => loss(Object.fromEntries(names.map((n, i) => [n, ps[i]!])));
    const r = tf.valueAndGrads(f)(names.map((n) => state.params[n]!));
    return { value: r.value, grads: Object.fromEntries(names.map((n, i) => [n, r.grads[i]!])) };
  });
  const lossValue = value.dataSync()[0]!;
  value.dispose();
  let clipped = grads;
  const created: tf.Tensor[] = [];
  try {
    if (!Number.isFinite(lossValue)) {
      throw new RangeError(
        `training step ${stepIndex + 1}: the loss is ${lossValue}; the state was left unchanged`,
      );
    }
    if (opt.clipNorm !== undefined) {
      const c = clipGradNorm(grads, opt.clipNorm);
      clipped = c.grads;
      created.push(...Object.values(clipped));
      if (!Number.isFinite(c.norm)) {
        throw new RangeError(
          `training step ${stepIndex + 1}: the gradient norm is ${c.norm}; the state was left unchanged`,
        );
      }
    }
    const update = (opt.kind === 'adamw' ? adamw : adam)(state.params, clipped, opt.state, {
      lr: lrAt(opt.lr, stepIndex),
      beta1: opt.beta1,
      beta2: opt.beta2,
      eps: opt.eps,
      weightDecay: opt.weightDecay,
    });
    const next: TrainState = {
      graph: state.graph,
      params: update.params,
      optimizer: { ...opt, state: update.state },
    };
    if (state.ema !== undefined) {
      next.ema = {
        decay: state.ema.decay,
        params: emaUpdate(state.ema.params, update.params, state.ema.decay),
      };
    }
    tf.dispose([
      ...Object.values(state.params),
      ...Object.values(opt.state.m),
      ...Object.values(opt.state.v),
      ...Object.values(state.ema?.params ?? {}),
    ]);
    return { state: next, loss: lossValue };
  } finally {
    tf.dispose([...Object.values(grads), ...created]);
  }
}
