import { tf } from '@bridgekit/core';

/**
 * ASBS FourierMLP time features: with ω = linspace(omegaMin, omegaMax, C) (a constant) and the
 * learned phase φ [C], returns [sin(ω·t + φ), cos(ω·t + φ)] of shape [B, 2C] for t [B]
 * (Liu et al. 2025, `TimeEmbed`; defaults ω ∈ [0.1, 100]).
 */
export function fourierFeatures(
  t: tf.Tensor1D,
  phase: tf.Tensor1D,
  omegaMin = 0.1,
  omegaMax = 100,
): tf.Tensor2D {
  if (phase.rank !== 1) {
    throw new RangeError(`fourierFeatures: phase must be rank 1 [C], got shape [${phase.shape.join(', ')}]`);
  }
  const c = phase.shape[0];
  const omega = Float32Array.from(linspace(omegaMin, omegaMax, c));
  return tf.tidy(() => {
    const args = tf.add(tf.mul(tf.reshape(t, [-1, 1]), tf.tensor2d(omega, [1, c])), phase);
    return tf.concat([tf.sin(args), tf.cos(args)], 1) as tf.Tensor2D;
  });
}

/** n points from a to b inclusive, in float64 (n = 1 gives [a]). */
export function linspace(a: number, b: number, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`linspace: n must be a positive integer, got ${n}`);
  if (n === 1) return Float64Array.of(a);
  return Float64Array.from({ length: n }, (_, k) => a + ((b - a) * k) / (n - 1));
}
