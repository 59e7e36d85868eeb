import { tf } from '@bridgekit/core';
import type { VectorField } from '@bridgekit/sde';
import { checkModel, defineSampler, type Sampler, type StepSolver } from './sampler.js';

const VECTOR_FIELD =
  'a VectorField with a velocity(x, t) method (e.g. probabilityFlow(sde, score) from @bridgekit/sde)';

/**
 * Heun's method (explicit trapezoidal rule): x̃ = x_k + h v(x_k, t_k), then
 * x_{k+1} = x_k + (h/2)(v(x_k, t_k) + v(x̃, t_{k+1})), h signed.
 *
 * Global order 2 and exactly 2 velocity evaluations on every step, the last one included (unlike
 * k-diffusion's Heun, which falls back to Euler when stepping to σ = 0).
 */
export const heunOdeSolver: StepSolver<VectorField> = {
  name: 'heunOde',
  kind: 'ode',
  order: 2,
  nfePerStep: 2,
  validate: (model) => checkModel('heunOde', model, ['velocity'], VECTOR_FIELD),
  isStochastic: () => false,
  step(field, x, t, tNext) {
    const h = tNext - t;
    const v1 = field.velocity(x, t);
    const predictor = tf.add(x, tf.mul(v1, h)) as tf.Tensor2D;
    const v2 = field.velocity(predictor, tNext);
    return { x: tf.add(x, tf.mul(tf.add(v1, v2), h / 2)), nfe: 2 };
  },
};

/** Heun for a vector field with the shared sampler signature; see {@link heunOdeSolver}. */
export const heunOde: Sampler<VectorField> = defineSampler(heunOdeSolver);
