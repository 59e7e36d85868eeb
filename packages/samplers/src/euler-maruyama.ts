import { tf } from '@bridgekit/core';
import type { Sde } from '@bridgekit/sde';
import { checkModel, defineSampler, type Sampler, type StepSolver } from './sampler.js';

/**
 * Euler–Maruyama (algorithms.md §1.4): x_{k+1} = x_k + f(x_k, t_k)h + g(t_k, x_k)√|h| ξ_k with the
 * signed step h = t_{k+1} − t_k and ξ_k ~ N(0, I).
 *
 * On a decreasing grid this integrates backward in time, which is how a reverse-time SDE (whose
 * drift f − g²s already carries the score; see `reverseTimeSde` in @bridgekit/sde) is run from
 * noise at t = 1 to data at t ≈ 0. Weak order 1 (strong order ½, 1 for additive noise); one drift
 * evaluation per step. Diffusion calls are not counted as NFE (they involve no model).
 */
export const eulerMaruyamaSolver: StepSolver<Sde> = {
  name: 'eulerMaruyama',
  kind: 'sde',
  order: 1,
  nfePerStep: 1,
  validate(model, _shape, timeGrid) {
    checkModel(
      'eulerMaruyama',
      model,
      ['drift', 'diffusion'],
      'an Sde with drift(x, t) and diffusion(t, x) methods',
    );
    // A reverse-time SDE's drift is written for Δt < 0; on an increasing grid it would amplify noise.
    const direction = (model as { timeDirection?: unknown }).timeDirection;
    if (direction === 'backward' && !(timeGrid[1]! < timeGrid[0]!)) {
      throw new RangeError(
        `eulerMaruyama: model ${model.name} is a reverse-time SDE (timeDirection 'backward'), so timeGrid must be ` +
          `decreasing (e.g. uniformGrid(1, 1e-3, steps)), got timeGrid[0] = ${timeGrid[0]}, timeGrid[1] = ${timeGrid[1]}`,
      );
    }
  },
  isStochastic: () => true,
  step(sde, x, t, tNext, context) {
    const h = tNext - t;
    const mean: tf.Tensor2D = tf.add(x, tf.mul(sde.drift(x, t), h));
    if (context.denoise) return { x: mean, nfe: 1 };
    const g = sde.diffusion(t, x);
    const scale = Math.sqrt(Math.abs(h));
    const kick =
      typeof g === 'number' ? tf.mul(context.noise(), g * scale) : tf.mul(tf.mul(context.noise(), g), scale);
    return { x: tf.add(mean, kick), nfe: 1 };
  },
};

/** Euler–Maruyama with the shared sampler signature; see {@link eulerMaruyamaSolver}. */
export const eulerMaruyama: Sampler<Sde> = defineSampler(eulerMaruyamaSolver);
