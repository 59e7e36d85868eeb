import type { tf } from '@bridgekit/core';

/**
 * A reward r: R^D → R to be maximised by fine-tuning, on batches: the target law is
 * p*(x) ∝ p_base(x)·e^{λ r(x)} (algorithms.md §4.2), and the adjoint's terminal condition is
 * ã_1 = −λ∇r(X_1) (§4.3).
 *
 * Both methods take x of shape [B, D], leave it undisposed, and return new tensors the caller owns.
 * A reward that only has `value` gets its gradient by autodiff from {@link rewardFromValue}.
 */
export interface Reward {
  readonly name: string;
  /** r(x) for every row, [B]. */
  value(x: tf.Tensor2D): tf.Tensor1D;
  /** ∇ₓr(x) for every row, [B, D]. */
  gradient(x: tf.Tensor2D): tf.Tensor2D;
}
