import { tf } from '@bridgekit/core';
import type { Normalization } from '@bridgekit/data';
import type { Reward } from './reward.js';

/**
 * A reward defined on data coordinates, seen from a model that works on normalised coordinates
 * z = (x − mean)/std: r̃(z) = r(mean + std⊙z), ∇r̃(z) = std⊙∇r(mean + std⊙z). The identity normalisation
 * returns `reward` itself.
 */
export function rewardInModelCoordinates(reward: Reward, normalization: Normalization): Reward {
  if (normalization.kind === 'none') return reward;
  const d = normalization.mean.length;
  const toData = (z: tf.Tensor2D) =>
    tf.add(
      tf.mul(z, tf.tensor2d(normalization.std, [1, d])),
      tf.tensor2d(normalization.mean, [1, d]),
    ) as tf.Tensor2D;
  return {
    name: reward.name,
    value: (z) => tf.tidy(() => reward.value(toData(z))),
    gradient: (z) =>
      tf.tidy(
        () => tf.mul(reward.gradient(toData(z)), tf.tensor2d(normalization.std, [1, d])) as tf.Tensor2D,
      ),
  };
}
