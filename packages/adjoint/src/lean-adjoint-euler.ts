import { tf } from '@bridgekit/core';
import { type AdjointPath, type AdjointSolution, backwardSweep, checkPath } from './adjoint-path.js';
import { requireBatch, requireFunction } from './validate.js';
import { vectorJacobianProduct } from './vjp.js';

/** A drift b(x, t) on a batch [B, D] (forward time), e.g. `(x, t) => sde.drift(x, t)`. */
export type DriftFn = (x: tf.Tensor2D, t: number) => tf.Tensor2D;

/** Options of {@link leanAdjointEuler}. */
export interface LeanAdjointEulerOptions {
  /** The base drift b(x, t) whose Jacobian transports the adjoint (the control does not enter: "lean"). */
  readonly drift: DriftFn;
  /** The recorded trajectory x_0 … x_K at t_0 < … < t_K. */
  readonly path: AdjointPath;
  /** ã(t_K) = ∇g(x_K), [B, D] (for reward fine-tuning g = −λr, so ã_K = −λ∇r(x_K)). */
  readonly terminal: tf.Tensor2D;
  /** ∇ₓf(x, t) of a running cost f, [B, D]; omitted means f = 0. */
  readonly runningCostGrad?: DriftFn;
}

/**
 * The lean adjoint ODE dã/dt = −J_b(X_t, t)ᵀã − ∇ₓf(X_t, t), ã(t_K) = ∇g(X_{t_K}), integrated backward
 * along a recorded path by explicit Euler (algorithms.md §1.5, the ASBS form):
 *
 *     ã_{k−1} = ã_k + (t_k − t_{k−1})·(J_b(x_k, t_k)ᵀ ã_k + ∇f(x_k, t_k)),
 *
 * each J_bᵀã one vector–Jacobian product by tfjs autodiff of ⟨ã, b(x, t_k)⟩ at x = x_k. Both terms are
 * evaluated at the END of each interval (where ã is known); first order in the step. It is not the
 * adjoint of the forward-Euler rollout: that is {@link discreteAdjoint} of the Euler step map, the
 * variant with the Jacobian at the interval's start. Returns ã at every path time.
 */
export function leanAdjointEuler(options: LeanAdjointEulerOptions): AdjointSolution {
  const where = 'leanAdjointEuler';
  const { drift, path, terminal, runningCostGrad } = options;
  requireFunction(where, 'drift', drift, '(x: Tensor2D, t: number) => Tensor2D');
  if (runningCostGrad !== undefined) {
    requireFunction(where, 'runningCostGrad', runningCostGrad, '(x: Tensor2D, t: number) => Tensor2D');
  }
  const times = checkPath(where, path, terminal);
  const shape: [number, number] = [terminal.shape[0], terminal.shape[1]];
  return backwardSweep(where, times, terminal, (k, next) => {
    const t = times[k + 1]!;
    const x = path.states[k + 1]!;
    let rate = vectorJacobianProduct((u) => drift(u, t), x, next, `${where}: drift at t = ${t}`);
    if (runningCostGrad !== undefined) {
      const grad = runningCostGrad(x, t);
      requireBatch(where, `runningCostGrad(x, ${t})`, grad, shape);
      rate = tf.add(rate, grad);
    }
    return tf.add(next, tf.mul(rate, t - times[k]!));
  });
}
