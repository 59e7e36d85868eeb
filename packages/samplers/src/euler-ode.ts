import { tf } from '@bridgekit/core';
import type { VectorField } from '@bridgekit/sde';
import { checkModel, defineSampler, type Sampler, type StepSolver } from './sampler.js';

const VECTOR_FIELD =
  'a VectorField with a velocity(x, t) method (e.g. probabilityFlow(sde, score) from @bridgekit/sde)';

/**
 * Explicit Euler for dx/dt = v(x, t): x_{k+1} = x_k + h v(x_k, t_k), h = t_{k+1} − t_k signed.
 * Global order 1; one velocity evaluation per step.
 */
export const eulerOdeSolver: StepSolver<VectorField> = {
  name: 'eulerOde',
  kind: 'ode',
  order: 1,
  nfePerStep: 1,
  validate: (model) => checkModel('eulerOde', model, ['velocity'], VECTOR_FIELD),
  isStochastic: () => false,
  step(field, x, t, tNext) {
    const h = tNext - t;
    return { x: tf.add(x, tf.mul(field.velocity(x, t), h)), nfe: 1 };
  },
};

/** Euler for a vector field with the shared sampler signature; see {@link eulerOdeSolver}. */
export const eulerOde: Sampler<VectorField> = defineSampler(eulerOdeSolver);
