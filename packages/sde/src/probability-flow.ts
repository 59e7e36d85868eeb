import { tf } from '@bridgekit/core';
import { squaredDiffusion } from './reverse-time-sde.js';
import type { ScoreFn, Sde, State, VectorField } from './sde.js';

/** The probability-flow ODE of an SDE, with the pieces it was built from. */
export interface ProbabilityFlow extends VectorField {
  readonly sde: Sde;
  readonly score: ScoreFn;
}

/**
 * The probability-flow ODE dx/dt = f(x,t) − ½g(t)²∇log ρ_t(x), which shares every marginal ρ_t with the
 * SDE dX = f dt + g dW (Song et al. 2021; algorithms.md §1.4 "Probability-flow ODE"; §9 T16).
 *
 * The velocity is an ordinary time derivative, valid on increasing and decreasing grids alike.
 */
export function probabilityFlow(sde: Sde, score: ScoreFn): ProbabilityFlow {
  return {
    name: `probability-flow(${sde.name})`,
    sde,
    score,
    velocity(x: State, t: number): State {
      return tf.tidy(() => {
        const g2 = squaredDiffusion(sde, t, x);
        const halfG2 = typeof g2 === 'number' ? 0.5 * g2 : tf.mul(g2, 0.5);
        return tf.sub(sde.drift(x, t), tf.mul(score(x, t), halfG2)) as State;
      });
    },
  };
}
