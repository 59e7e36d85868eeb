import { tf } from '@bridgekit/core';

/**
 * 2× nearest-neighbour upsampling: y[b, i, j, c] = x[b, ⌊i/2⌋, ⌊j/2⌋, c], from [B, H, W, C] to
 * [B, 2H, 2W, C].
 *
 * Written as reshapes and concatenations of rank ≤ 3 because the wasm backend has no
 * ResizeNearestNeighborGrad kernel and tfjs's Tile gradient stops at rank 5; a concatenation's
 * gradient is a pair of slices, which every backend has.
 */
export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  if (x.rank !== 4)
    throw new RangeError(`upsample2: x must be [B, H, W, C], got shape [${x.shape.join(', ')}]`);
  const [b, h, w, c] = x.shape;
  return tf.tidy(() => {
    const cols = tf.reshape(x, [b * h * w, 1, c]);
    const wide = tf.reshape(tf.concat([cols, cols], 1), [b * h, 1, 2 * w * c]);
    return tf.reshape(tf.concat([wide, wide], 1), [b, 2 * h, 2 * w, c]) as tf.Tensor4D;
  });
}
