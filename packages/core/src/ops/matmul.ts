import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-grad.js';

/**
 * Matrix product a·b whose gradients call explicit transposes: da = dy·bᵀ, db = aᵀ·dy.
 *
 * TensorFlow.js's own MatMul gradient uses the transposed-operand kernels, which are about 11×
 * slower on the wasm backend; materialising the transpose first takes MLP training from ~8 to ~38
 * steps/s there. The gradient is itself built from `matmul`, so second-order gradients work too.
 */
export function matmul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return matmulOp(a, b);
}

const matmulOp = customOp<tf.Tensor2D>(([a, b], save) => {
  const a2 = a as tf.Tensor2D;
  const b2 = b as tf.Tensor2D;
  if (a2.rank !== 2 || b2.rank !== 2) {
    throw new RangeError(`matmul expects rank-2 tensors, got ranks ${a2.rank} and ${b2.rank}`);
  }
  if (a2.shape[1] !== b2.shape[0]) {
    throw new RangeError(`matmul: inner dimensions differ (${a2.shape.join('×')} · ${b2.shape.join('×')})`);
  }
  save([a2, b2]);
  return {
    value: tf.matMul(a2, b2),
    gradFunc: (dy, saved) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [matmul(dy, tf.transpose(sb)), matmul(tf.transpose(sa), dy)];
    },
  };
});

/** Affine layer x·W + b (b optional), built on {@link matmul}. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D {
  const y = matmul(x, w);
  return b === undefined ? y : (tf.add(y, b) as tf.Tensor2D);
}
