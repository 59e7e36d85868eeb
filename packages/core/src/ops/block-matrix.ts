import * as tf from '@tensorflow/tfjs';
import type { Matrix } from '../linalg/matrix.js';
import { matmul } from './matmul.js';

/**
 * Applies (K ⊗ I_m) to every row of x: the state of n·m coordinates is read as n blocks of m
 * coordinates (block i = columns i·m … (i+1)·m − 1), and out_i = Σ_k K_ik x_k blockwise.
 *
 * This is how an n×n linear-SDE matrix (a d×d VSDM drift with m = 1, the 2×2 position–velocity
 * matrix of critically damped Langevin with m = d, or a scalar VP coefficient with n = 1) acts on a
 * batch without ever forming the (n·m)×(n·m) Kronecker product.
 */
export function applyBlockMatrix(x: tf.Tensor2D, k: Matrix): tf.Tensor2D {
  if (!k.isSquare) throw new RangeError(`k must be square, got ${k.rows}×${k.cols}`);
  const [batch, width] = x.shape;
  const n = k.rows;
  if (width % n !== 0) {
    throw new RangeError(`x has ${width} columns, which is not a multiple of the matrix size ${n}`);
  }
  const m = width / n;
  return tf.tidy(() => {
    if (n === 1) return tf.mul(x, k.data[0]!) as tf.Tensor2D;
    const kt = tf.tensor2d(Float32Array.from(k.transpose().data), [n, n]);
    if (m === 1) return matmul(x, kt);
    // [B, n, m] → [B, m, n] → [B·m, n] · Kᵀ → back.
    const blocks = tf.reshape(tf.transpose(tf.reshape(x, [batch, n, m]), [0, 2, 1]), [
      batch * m,
      n,
    ]) as tf.Tensor2D;
    const mixed = matmul(blocks, kt);
    return tf.reshape(tf.transpose(tf.reshape(mixed, [batch, m, n]), [0, 2, 1]), [
      batch,
      width,
    ]) as tf.Tensor2D;
  });
}
