import { tf } from '@bridgekit/core';
import type { VelocityFn } from './memoryless-flow-sde.js';
import type { State } from './sde.js';
import { requireFinite, requirePositive, requireUnitTime } from './validate.js';

/** Options of {@link gaussianFlowVelocity}: the data law N(m, s²I). */
export interface GaussianFlowVelocityOptions {
  /** m: one number for every coordinate, or one per coordinate. */
  readonly mean: number | readonly number[];
  /** s > 0, the same for every coordinate. */
  readonly std: number;
}

/**
 * The exact flow-matching velocity for data N(m, s²I) and the interpolant x_t = t·x₁ + (1−t)ε:
 * v(x,t) = m + (t s² − (1−t)) / (t²s² + (1−t)²) · (x − t m) (algorithms.md §9 T13; per coordinate).
 *
 * With m = 0, s = 1 it is the velocity v_lin = (2t−1)/(t²+(1−t)²)·x of EAM's linear base (§8.1). At t = 1
 * the denominator is s² > 0, so v is finite on all of [0, 1].
 */
export function gaussianFlowVelocity(options: GaussianFlowVelocityOptions): VelocityFn {
  const { mean, std } = options;
  requirePositive('gaussianFlowVelocity', 'std', std);
  const means = typeof mean === 'number' ? [mean] : Array.from(mean);
  if (means.length === 0) throw new RangeError('gaussianFlowVelocity: mean must not be an empty array');
  for (const [i, m] of means.entries()) {
    requireFinite('gaussianFlowVelocity', typeof mean === 'number' ? 'mean' : `mean[${i}]`, m);
  }
  const s2 = std * std;
  return (x: State, t: number): State => {
    requireUnitTime('gaussianFlowVelocity', 't', t);
    const d = x.shape[1];
    if (means.length !== 1 && means.length !== d) {
      throw new RangeError(`gaussianFlowVelocity: x has ${d} columns but mean has ${means.length} entries`);
    }
    const gain = (t * s2 - (1 - t)) / (t * t * s2 + (1 - t) * (1 - t));
    return tf.tidy(() => {
      const m = means.length === 1 ? tf.scalar(means[0]!) : tf.tensor2d(means, [1, d]);
      // v = m + gain·(x − t m) = gain·x + (1 − gain·t)·m
      return tf.add(tf.mul(x, gain), tf.mul(m, 1 - gain * t)) as State;
    });
  };
}
