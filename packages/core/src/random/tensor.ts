import { tf } from '../tf.js';
import type { Rng } from './rng.js';

/**
 * A float32 tensor of standard normals drawn on the host from `rng`, so the same seed gives the
 * same tensor on every backend (the draw consumes rng.normal(size) — see Rng for the layout).
 */
export function normalTensor<R extends tf.Rank>(rng: Rng, shape: number[]): tf.Tensor<R> {
  return tf.tensor<tf.Rank>(rng.normalFloat32(sizeOf(shape, 'shape')), shape) as tf.Tensor<R>;
}

/** A float32 tensor of uniforms in [0, 1) drawn on the host from `rng`. */
export function uniformTensor<R extends tf.Rank>(rng: Rng, shape: number[]): tf.Tensor<R> {
  return tf.tensor<tf.Rank>(rng.uniformFloat32(sizeOf(shape, 'shape')), shape) as tf.Tensor<R>;
}

function sizeOf(shape: number[], name: string): number {
  let size = 1;
  for (const [i, d] of shape.entries()) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${name}[${i}] must be a non-negative integer, got ${d}`);
    }
    size *= d;
  }
  return size;
}
