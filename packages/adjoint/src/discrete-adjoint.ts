import type { tf } from '@bridgekit/core';
import { type AdjointPath, type AdjointSolution, backwardSweep, checkPath } from './adjoint-path.js';
import { requireFunction } from './validate.js';
import { vectorJacobianProduct } from './vjp.js';

/**
 * A deterministic one-step map x_{k+1} = μ(x_k, t_k, t_{k+1}) on a batch [B, D]: the noise-free part of
 * a sampler step, e.g. forward Euler `(x, t, tNext) => x + (tNext − t)·b(x, t)`.
 */
export type StepMap = (x: tf.Tensor2D, t: number, tNext: number) => tf.Tensor2D;

/** Options of {@link discreteAdjoint}. */
export interface DiscreteAdjointOptions {
  /** The deterministic step map μ whose Jacobians transport the adjoint. */
  readonly step: StepMap;
  /** The recorded trajectory; step k is linearised at x_k (x_K is only checked for its shape). */
  readonly path: AdjointPath;
  /** ã_K = ∇g(x_K), [B, D]. */
  readonly terminal: tf.Tensor2D;
}

/**
 * The exact discrete adjoint of a one-step map (algorithms.md §1.5, the SD1.5 Adjoint Matching code):
 *
 *     ã_k = (∂μ(x_k, t_k, t_{k+1})/∂x_k)ᵀ ã_{k+1},   k = K−1 … 0,
 *
 * one vector–Jacobian product per step. When the path is the map's own rollout (x_{k+1} = μ(x_k)), ã_0 is
 * exactly ∇_{x_0} g(x_K) through the composed steps. For the forward-Euler map μ = x + Δt·b(x, t_k) this is
 * ã_k = ã_{k+1} + Δt·J_b(x_k, t_k)ᵀã_{k+1}: {@link leanAdjointEuler}'s recursion with the Jacobian at the
 * START of each interval instead of its end. Noise added by a stochastic sampler does not enter (it does
 * not depend on x_k). Returns ã at every path time.
 */
export function discreteAdjoint(options: DiscreteAdjointOptions): AdjointSolution {
  const where = 'discreteAdjoint';
  const { step, path, terminal } = options;
  requireFunction(where, 'step', step, '(x: Tensor2D, t: number, tNext: number) => Tensor2D');
  const times = checkPath(where, path, terminal);
  return backwardSweep(where, times, terminal, (k, next) => {
    const t = times[k]!;
    const tNext = times[k + 1]!;
    return vectorJacobianProduct(
      (u) => step(u, t, tNext),
      path.states[k]!,
      next,
      `${where}: step from t = ${t} to ${tNext}`,
    );
  });
}
