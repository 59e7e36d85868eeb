import { tf } from '@bridgekit/core';

/**
 * Group normalisation (Wu & He 2018): for x [B, H, W, C] (or [B, C]) the C channels are split
 * into G groups of C/G; each (sample, group) is normalised over its channels and positions,
 * x̂ = (x − μ)/√(σ² + eps) with the biased variance σ², then y = x̂·scale + bias per channel.
 * Equals PyTorch's `nn.GroupNorm(G, C, eps)` on NCHW data.
 */
export function groupNorm<T extends tf.Tensor>(
  x: T,
  scale: tf.Tensor1D,
  bias: tf.Tensor1D,
  groups: number,
  eps = 1e-5,
): T {
  if (x.rank !== 2 && x.rank !== 4) {
    throw new RangeError(`groupNorm: x must be [B, H, W, C] or [B, C], got shape [${x.shape.join(', ')}]`);
  }
  const c = x.shape[x.rank - 1]!;
  if (!Number.isInteger(groups) || groups < 1 || c % groups !== 0) {
    throw new RangeError(
      `groupNorm: groups must be a positive integer dividing the ${c} channels, got ${groups}`,
    );
  }
  const b = x.shape[0]!;
  const positions = x.rank === 4 ? x.shape[1]! * x.shape[2]! : 1;
  const perGroup = c / groups;
  const count = positions * perGroup;
  return tf.tidy(() => {
    // Statistics go through [B, C] and [B, G]; every full-size op broadcasts only a [B, 1, C]
    // tensor, because broadcasting a [B, 1, G, 1] one is ~3× slower on wasm.
    const x3 = tf.reshape(x, [b, positions, c]);
    const perChannel = (groupValues: tf.Tensor) =>
      tf.reshape(tf.mul(tf.reshape(groupValues, [b, groups, 1]), tf.ones([1, 1, perGroup])), [b, 1, c]);
    const groupMean = (t: tf.Tensor) =>
      tf.div(tf.sum(tf.reshape(tf.sum(t, 1), [b, groups, perGroup]), 2), count);
    const centred = tf.sub(x3, perChannel(groupMean(x3)));
    const invStd = perChannel(tf.rsqrt(tf.add(groupMean(tf.square(centred)), eps)));
    const y = tf.add(tf.mul(centred, tf.mul(invStd, scale)), bias);
    return tf.reshape(y, x.shape) as T;
  });
}
