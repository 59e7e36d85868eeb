import { tf } from '@bridgekit/core';
import type { Reward } from './reward.js';
import { perCoordinate, requireBatch, requirePositive } from './validate.js';

/** Options of {@link gaussianTiltReward}: r(x) = −(a/2)‖x − c‖². */
export interface GaussianTiltRewardOptions {
  /** Curvature a > 0. */
  readonly a: number;
  /** Centre c: one number for every coordinate, or one per coordinate. */
  readonly c: number | readonly number[];
}

/** The quadratic reward with its parameters. */
export interface GaussianTiltReward extends Reward {
  readonly a: number;
  readonly c: number | readonly number[];
}

/**
 * The quadratic reward r(x) = −(a/2)‖x − c‖², ∇r = −a(x − c): tilting a Gaussian base by e^{λr} gives a
 * Gaussian again ({@link gaussianTilt}; algorithms.md §9 T12), the analytic toy of AM and EAM (§4.6).
 */
export function gaussianTiltReward(options: GaussianTiltRewardOptions): GaussianTiltReward {
  const where = 'gaussianTiltReward';
  const { a, c } = options;
  requirePositive(where, 'a', a);
  const dims = typeof c === 'number' ? 1 : c.length;
  perCoordinate(where, 'c', c, dims);
  const centre = (x: tf.Tensor2D): tf.Tensor => {
    requireBatch(where, 'x', x, [-1, typeof c === 'number' ? -1 : dims]);
    return typeof c === 'number' ? tf.scalar(c) : tf.tensor2d(Array.from(c), [1, dims]);
  };
  return {
    name: `gaussian-tilt(a=${a}, c=${JSON.stringify(c)})`,
    a,
    c: typeof c === 'number' ? c : Array.from(c),
    value(x: tf.Tensor2D): tf.Tensor1D {
      return tf.tidy(() => tf.mul(tf.sum(tf.square(tf.sub(x, centre(x))), 1), -0.5 * a) as tf.Tensor1D);
    },
    gradient(x: tf.Tensor2D): tf.Tensor2D {
      return tf.tidy(() => tf.mul(tf.sub(x, centre(x)), -a) as tf.Tensor2D);
    },
  };
}
