import { normalTensor, type Rng, tf } from '@bridgekit/core';
import { uniformGrid } from '@bridgekit/samplers';
import type { ReferenceProcess } from './reference-process.js';
import { requireBatch } from './validate.js';

/** A control û(x, t) in the g²û parameterisation: the controlled drift is a(t)x + g(t)²û(x, t). */
export type Control = (x: tf.Tensor2D, t: number) => tf.Tensor2D;

/** Options of {@link simulateControlled}. */
export interface SimulateControlledOptions {
  readonly reference: ReferenceProcess;
  /** The control; omitted, the reference itself is simulated (exactly). */
  readonly control?: Control;
  /** X₀, [B, D]; stays the caller's. */
  readonly x0: tf.Tensor2D;
  /** Steps on a uniform grid over [0, 1]; also the control evaluations per path. */
  readonly steps: number;
  /** Noise source (consumed). */
  readonly rng: Rng;
  /** Keep every state (for trajectory plots and straightness). */
  readonly record?: boolean;
  /**
   * Also return Z = Σ_k Φ(1, t_{k+1})√V(t_k, t_{k+1}) ξ_k, the reference's share of the noise in X₁: it has
   * mean 0 and is independent of X₀, so Cov(X₀, X₁ − Z) = Cov(X₀, X₁) with a much smaller Monte-Carlo
   * error (a control variate for coupling estimates).
   */
  readonly referenceNoise?: boolean;
}

/** What {@link simulateControlled} returns; the caller owns every tensor. */
export interface ControlledPath {
  readonly x1: tf.Tensor2D;
  readonly times: number[];
  /** Every state from X₀ (a copy) to X₁ (the same tensor as `x1`), when `record` was set. */
  readonly states?: tf.Tensor2D[];
  readonly noise?: tf.Tensor2D;
  /** Control evaluations per path. */
  readonly nfe: number;
}

/**
 * Simulates dX = (a(t)X + g(t)²û(X, t))dt + g(t)dW from X₀ over [0, 1] by the exponential Euler step
 *
 *   X_{k+1} = Φ(t_{k+1}, t_k)(X_k + g(t_k)²û(X_k, t_k)h) + √V(t_k, t_{k+1}) ξ_k,
 *
 * which is the reference's exact transition when û = 0 (so a memoryless reference stays exactly
 * memoryless, and a stiff VP reference is stable at any step count) and first-order in the control.
 */
export function simulateControlled(options: SimulateControlledOptions): ControlledPath {
  const { reference, control, x0, steps, rng } = options;
  requireBatch('simulateControlled', 'x0', x0);
  if (!Number.isSafeInteger(steps) || steps < 1) {
    throw new RangeError(`simulateControlled: steps must be an integer ≥ 1, got ${steps}`);
  }
  const times = uniformGrid(0, 1, steps);
  const shape = x0.shape;
  let x = tf.clone(x0);
  const states = options.record ? [x] : undefined;
  let z = options.referenceNoise ? tf.zeros(shape) : undefined;
  for (let k = 0; k < steps; k++) {
    const t = times[k]!;
    const tNext = times[k + 1]!;
    const phi = reference.transitionScale(t, tNext);
    const sd = Math.sqrt(reference.transitionVariance(t, tNext));
    const g2h = reference.diffusion(t) ** 2 * (tNext - t);
    const xi = normalTensor<tf.Rank.R2>(rng, shape);
    const next = tf.tidy(() => {
      const pushed = control === undefined ? x : tf.add(x, tf.mul(control(x, t), g2h));
      return tf.add(tf.mul(pushed, phi), tf.mul(xi, sd)) as tf.Tensor2D;
    });
    if (z !== undefined) {
      const old = z;
      z = tf.tidy(() => tf.add(tf.mul(old, phi), tf.mul(xi, sd)));
      old.dispose();
    }
    xi.dispose();
    if (states === undefined) x.dispose();
    else states.push(next);
    x = next;
  }
  return {
    x1: x,
    times,
    ...(states === undefined ? {} : { states }),
    ...(z === undefined ? {} : { noise: z as tf.Tensor2D }),
    nfe: control === undefined ? 0 : steps,
  };
}
