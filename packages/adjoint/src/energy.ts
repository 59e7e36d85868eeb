import { normalTensor, type Rng, tf } from '@bridgekit/core';
import { describe, requireBatch } from './validate.js';

/**
 * An energy E: R^D → R, on batches: the target law of Adjoint Sampling and ASBS is ν(x) ∝ e^{−E(x)},
 * and ASBM's prior is the energy-defined p_prior ∝ e^{−E} (algorithms.md §5–§7). Methods take x of
 * shape [B, D], leave it undisposed and return new tensors the caller owns.
 */
export interface Energy {
  readonly name: string;
  /** E(x) per row, [B]. */
  value(x: tf.Tensor2D): tf.Tensor1D;
  /** ∇ₓE(x) per row, [B, D]. */
  gradient(x: tf.Tensor2D): tf.Tensor2D;
  /**
   * n exact draws from e^{−E} in R^dim, when the energy can be sampled directly (a Gaussian can):
   * ASBM generates from its prior by this, so a prior energy needs it.
   */
  sample?(n: number, dim: number, rng: Rng): tf.Tensor2D;
}

/** Options of {@link gaussianEnergy}. */
export interface GaussianEnergyOptions {
  /** Standard deviation σ_p > 0 of every coordinate (default 1). */
  readonly std?: number;
}

/** The Gaussian energy E(x) = ‖x‖²/(2σ_p²): ASBM's natural prior N(0, σ_p² I) (§7.1), sampled exactly. */
export function gaussianEnergy(options: GaussianEnergyOptions = {}): Energy {
  const std = options.std ?? 1;
  if (!(typeof std === 'number' && Number.isFinite(std) && std > 0)) {
    throw new RangeError(`gaussianEnergy: std must be a finite number > 0, got ${describe(std)}`);
  }
  const precision = 1 / (std * std);
  return {
    name: std === 1 ? 'gaussian' : `gaussian(std=${std})`,
    value(x) {
      requireBatch('gaussianEnergy.value', 'x', x);
      return tf.tidy(() => tf.mul(tf.sum(tf.square(x), 1), 0.5 * precision) as tf.Tensor1D);
    },
    gradient(x) {
      requireBatch('gaussianEnergy.gradient', 'x', x);
      return tf.mul(x, precision) as tf.Tensor2D;
    },
    sample(n, dim, rng) {
      return tf.tidy(() => tf.mul(normalTensor<tf.Rank.R2>(rng, [n, dim]), std) as tf.Tensor2D);
    },
  };
}
