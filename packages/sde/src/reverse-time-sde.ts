import { tf } from '@bridgekit/core';
import type { ScoreFn, Sde, State } from './sde.js';

/** The reverse-time SDE of a forward SDE, with the pieces it was built from. */
export interface ReverseTimeSde extends Sde {
  /** The forward SDE whose marginals this SDE reproduces backward in time. */
  readonly forward: Sde;
  /** The marginal score ∇ log ρ_t of the forward process. */
  readonly score: ScoreFn;
  /** Always 'backward': integrate on a decreasing time grid (Δt < 0). */
  readonly timeDirection: 'backward';
}

/** g(t, x)² as a number or an elementwise tensor (inside the caller's tidy scope). */
export function squaredDiffusion(sde: Sde, t: number, x: State): number | tf.Tensor {
  const g = sde.diffusion(t, x);
  return typeof g === 'number' ? g * g : tf.square(g);
}

/**
 * The reverse-time SDE dX = [f(X,t) − g(t)²∇log ρ_t(X)] dt + g(t) dW̄ of a forward SDE dX = f dt + g dW
 * (Anderson 1982; algorithms.md §1.4 "Reverse-time SDE"; §9 T16). g² is elementwise when the diffusion is
 * a tensor.
 *
 * The drift is written for a *decreasing* time grid: a step from t to t − h (h > 0) is
 * x ← x − h·drift(x, t) + g(t)√h ξ, which is §1.4's x ← x + (−f + g²s)h + g√h ξ. The diffusion is the
 * forward one unchanged.
 */
export function reverseTimeSde(sde: Sde, score: ScoreFn): ReverseTimeSde {
  return {
    name: `reverse-time(${sde.name})`,
    forward: sde,
    score,
    timeDirection: 'backward',
    drift(x: State, t: number): State {
      return tf.tidy(
        () => tf.sub(sde.drift(x, t), tf.mul(score(x, t), squaredDiffusion(sde, t, x))) as State,
      );
    },
    diffusion(t: number, x: State): number | tf.Tensor {
      return sde.diffusion(t, x);
    },
  };
}
