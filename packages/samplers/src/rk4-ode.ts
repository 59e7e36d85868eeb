import { tf } from '@bridgekit/core';
import type { VectorField } from '@bridgekit/sde';
import { checkModel, defineSampler, type Sampler, type StepSolver } from './sampler.js';

const VECTOR_FIELD =
  'a VectorField with a velocity(x, t) method (e.g. probabilityFlow(sde, score) from @bridgekit/sde)';

/**
 * The classical fourth-order Runge–Kutta method: k1 = v(x, t), k2 = v(x + (h/2)k1, t + h/2),
 * k3 = v(x + (h/2)k2, t + h/2), k4 = v(x + h k3, t + h), x' = x + (h/6)(k1 + 2k2 + 2k3 + k4),
 * h signed. Global order 4; 4 velocity evaluations per step.
 */
export const rk4OdeSolver: StepSolver<VectorField> = {
  name: 'rk4Ode',
  kind: 'ode',
  order: 4,
  nfePerStep: 4,
  validate: (model) => checkModel('rk4Ode', model, ['velocity'], VECTOR_FIELD),
  isStochastic: () => false,
  step(field, x, t, tNext) {
    const h = tNext - t;
    const tMid = t + h / 2;
    const k1 = field.velocity(x, t);
    const k2 = field.velocity(tf.add(x, tf.mul(k1, h / 2)) as tf.Tensor2D, tMid);
    const k3 = field.velocity(tf.add(x, tf.mul(k2, h / 2)) as tf.Tensor2D, tMid);
    const k4 = field.velocity(tf.add(x, tf.mul(k3, h)) as tf.Tensor2D, tNext);
    const slope = tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]);
    return { x: tf.add(x, tf.mul(slope, h / 6)), nfe: 4 };
  },
};

/** RK4 for a vector field with the shared sampler signature; see {@link rk4OdeSolver}. */
export const rk4Ode: Sampler<VectorField> = defineSampler(rk4OdeSolver);
