import { tf } from '@bridgekit/core';
import type { Reward } from './reward.js';
import { describe, requireBatch, requireFunction } from './validate.js';

/**
 * A {@link Reward} from its value alone: `gradient(x)` is ∇ₓ Σ_b r(x_b) by tfjs autodiff, which is the
 * per-row gradient because each r(x_b) depends on row b only. `value` is checked to return one number
 * per row ([B]). Write `valueFn` with the second-order-safe ops of @bridgekit/core (`silu`, `tanh`,
 * `matmul`, …) if its gradient will itself be differentiated.
 */
export function rewardFromValue(name: string, valueFn: (x: tf.Tensor2D) => tf.Tensor1D): Reward {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`rewardFromValue: name must be a non-empty string, got ${describe(name)}`);
  }
  requireFunction('rewardFromValue', 'valueFn', valueFn, '(x: Tensor2D) => Tensor1D');
  const value = (x: tf.Tensor2D): tf.Tensor1D => {
    requireBatch(`reward ${name}`, 'x', x);
    const r = valueFn(x);
    if (!(r instanceof tf.Tensor) || r.rank !== 1 || r.shape[0] !== x.shape[0]) {
      throw new RangeError(
        `reward ${name}: value(x) must return a [B] tensor with one reward per row (B = ${x.shape[0]}), got ${describe(r)}`,
      );
    }
    return r;
  };
  return {
    name,
    value,
    gradient(x: tf.Tensor2D): tf.Tensor2D {
      requireBatch(`reward ${name}`, 'x', x);
      return tf.tidy(() => tf.grad((u: tf.Tensor) => tf.sum(value(u as tf.Tensor2D)))(x) as tf.Tensor2D);
    },
  };
}
