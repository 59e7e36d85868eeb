import { tf } from '@bridgekit/core';

/**
 * Sinusoidal time embedding, ADM's `timestep_embedding` (as used by VSDM): with s = t·timeScale,
 * half = ⌊dim/2⌋ and f_k = exp(−ln(maxPeriod)·k/half) for k = 0 … half − 1, returns
 * [cos(s·f_0) … cos(s·f_{half−1}), sin(s·f_0) … sin(s·f_{half−1})] (+ a zero column if dim is odd).
 * t is [B]; the result is [B, dim].
 *
 * The frequencies (times timeScale) are computed in float64 on the host, so only t·f_k is rounded.
 */
export function sinusoidalEmbedding(
  t: tf.Tensor1D,
  dim: number,
  maxPeriod = 10_000,
  timeScale = 1,
): tf.Tensor2D {
  if (!Number.isInteger(dim) || dim < 2) {
    throw new RangeError(`sinusoidalEmbedding: dim must be an integer ≥ 2, got ${dim}`);
  }
  if (!(maxPeriod > 0) || !Number.isFinite(maxPeriod)) {
    throw new RangeError(`sinusoidalEmbedding: maxPeriod must be a positive number, got ${maxPeriod}`);
  }
  const half = Math.floor(dim / 2);
  const freqs = Float32Array.from(
    { length: half },
    (_, k) => timeScale * Math.exp((-Math.log(maxPeriod) * k) / half),
  );
  return tf.tidy(() => {
    const args = tf.mul(tf.reshape(t, [-1, 1]), tf.tensor2d(freqs, [1, half]));
    const parts = [tf.cos(args), tf.sin(args)];
    if (dim % 2 === 1) parts.push(tf.zeros([t.shape[0], 1]));
    return tf.concat(parts, 1) as tf.Tensor2D;
  });
}
