import { tf } from '@bridgekit/core';

/**
 * 2×2 average pooling with stride 2: y[b,i,j,c] = ¼·Σ_{p,q∈{0,1}} x[b, 2i+p, 2j+q, c] for x [B, H, W, C]
 * with H, W even.
 *
 * Written as a reshape and a mean rather than tf.avgPool because the wasm backend has no
 * AvgPoolGrad kernel; a mean's gradient is a broadcast, which every backend has.
 */
export function avgPool2(x: tf.Tensor4D): tf.Tensor4D {
  if (x.rank !== 4)
    throw new RangeError(`avgPool2: x must be [B, H, W, C], got shape [${x.shape.join(', ')}]`);
  const [b, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) {
    throw new RangeError(`avgPool2: height and width must be even, got ${h}×${w}`);
  }
  return tf.tidy(
    () =>
      tf.reshape(tf.mean(tf.reshape(x, [b * (h / 2), 2, w / 2, 2, c]), [1, 3]), [
        b,
        h / 2,
        w / 2,
        c,
      ]) as tf.Tensor4D,
  );
}
