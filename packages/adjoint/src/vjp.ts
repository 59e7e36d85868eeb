import { tf } from '@bridgekit/core';
import { describe, requireBatch } from './validate.js';

/**
 * The vector–Jacobian product (∂f/∂x)ᵀv of a batch map f: [B, D] → [B, D'] at x, as one reverse-mode
 * pass of tfjs autodiff: ∇ₓ⟨v, f(x)⟩ (algorithms.md §1.5). For a map that acts row by row (a drift, a
 * sampler step) row b of the result is J_f(x_b)ᵀ v_b.
 *
 * f may ignore x (a zero drift): its Jacobian is then 0 instead of tfjs's "cannot compute gradient"
 * error. Runs in its own tidy scope; the caller owns the result.
 */
export function vectorJacobianProduct(
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  x: tf.Tensor2D,
  v: tf.Tensor2D,
  where = 'vectorJacobianProduct',
): tf.Tensor2D {
  requireBatch(where, 'x', x);
  return tf.tidy(() => {
    const grad = tf.grad((u: tf.Tensor) => {
      const y = f(u as tf.Tensor2D);
      if (!(y instanceof tf.Tensor) || y.rank !== v.rank || y.shape.some((s, i) => s !== v.shape[i])) {
        throw new RangeError(
          `${where}: the function returned ${describe(y)}, but the cotangent has shape [${v.shape.join(', ')}]; ` +
            'it must map [B, D] to a tensor of the cotangent’s shape',
        );
      }
      // + 0·Σu keeps the tape connected to x when f does not depend on it (then Jᵀv = 0).
      return tf.add(y, tf.mul(tf.sum(u), 0));
    });
    return grad(x, v) as tf.Tensor2D;
  });
}
