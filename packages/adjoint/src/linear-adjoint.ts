import { applyBlockMatrix, Matrix, tf } from '@bridgekit/core';
import type { GaussianTransition, TransitionOptions } from '@bridgekit/sde';
import type { AdjointSolution } from './adjoint-path.js';
import { allFinite, describe, requireBatch } from './validate.js';

/**
 * What the closed form needs of a linear SDE dX = (F(t) ⊗ I_m)X dt + …: its block count n and its exact
 * transition Φ(t, s) (every `LinearGaussianSde` of @bridgekit/sde: `vpSde`, `brownianSde`,
 * `eamLinearBaseSde`, `LinearSde`, …).
 */
export interface LinearAdjointSde {
  readonly name: string;
  readonly blocks: number;
  transition(s: number, t: number, options?: TransitionOptions): GaussianTransition;
}

/** Options of {@link linearAdjoint}. */
export interface LinearAdjointOptions {
  readonly sde: LinearAdjointSde;
  /** Increasing times t_0 < … < t_K at which ã is wanted; the terminal condition holds at t_K. */
  readonly times: ArrayLike<number>;
  /** ã(t_K) = ∇g(X_{t_K}), [B, n·m]. */
  readonly terminal: tf.Tensor2D;
  /** Passed to `sde.transition` (e.g. `{ method: 'ode', steps }` for a `LinearSde`). */
  readonly transitionOptions?: TransitionOptions;
}

/** ã at every requested time, and the float64 propagators Φ(t_K, t_k)ᵀ that produced it. */
export interface LinearAdjointSolution extends AdjointSolution {
  /** `propagators[k]` = Φ(t_K, t_k)ᵀ, n×n float64 (the identity at k = K). */
  readonly propagators: Matrix[];
}

/**
 * Φ(tEnd, t)ᵀ, n×n float64: the propagator of the lean adjoint of a linear drift, ã_t = (Φ(tEnd, t)ᵀ ⊗ I_m)ã_{tEnd}
 * (algorithms.md §1.5, §9 T9; e.g. e^{−½∫ₜ¹β} for VP, 1 for Brownian motion, t/(t²+(1−t)²) for EAM's base
 * with tEnd = 1, T11).
 */
export function adjointPropagator(
  sde: LinearAdjointSde,
  t: number,
  tEnd: number,
  transitionOptions?: TransitionOptions,
): Matrix {
  checkSde('adjointPropagator', sde);
  if (!(Number.isFinite(t) && Number.isFinite(tEnd) && t <= tEnd)) {
    throw new RangeError(
      `adjointPropagator: t and tEnd must be finite times with t ≤ tEnd, got t = ${t}, tEnd = ${tEnd}`,
    );
  }
  if (t === tEnd) return Matrix.eye(sde.blocks);
  const { phi } =
    transitionOptions === undefined ? sde.transition(t, tEnd) : sde.transition(t, tEnd, transitionOptions);
  if (!(phi instanceof Matrix) || phi.rows !== sde.blocks || phi.cols !== sde.blocks) {
    throw new RangeError(
      `adjointPropagator: ${sde.name}.transition(${t}, ${tEnd}).phi must be a ${sde.blocks}×${sde.blocks} Matrix, got ${describe(phi)}`,
    );
  }
  return phi.transpose();
}

/**
 * The closed-form lean adjoint of a linear drift b = (F(t) ⊗ I_m)x with no running cost,
 * ã(t_k) = (Φ(t_K, t_k)ᵀ ⊗ I_m) ã(t_K), from the SDE's exact transition (algorithms.md §1.5, §9 T9): no
 * path and no backward integration. The state is n blocks of m coordinates, as in `LinearSde` (D6).
 * One `sde.transition` per time; the caller owns every tensor in `adjoints`.
 */
export function linearAdjoint(options: LinearAdjointOptions): LinearAdjointSolution {
  const where = 'linearAdjoint';
  const { sde, terminal, transitionOptions } = options;
  checkSde(where, sde);
  if (options.times === undefined || typeof options.times.length !== 'number' || options.times.length === 0) {
    throw new RangeError(
      `${where}: times must be a non-empty array of increasing times, got ${describe(options.times)}`,
    );
  }
  const times = Float64Array.from(options.times);
  for (let k = 0; k < times.length; k++) {
    if (!Number.isFinite(times[k]!) || (k > 0 && !(times[k]! > times[k - 1]!))) {
      throw new RangeError(
        `${where}: times must be finite and increase strictly (the terminal condition holds at the last one), ` +
          `got times[${k}] = ${times[k]}${k > 0 ? ` after ${times[k - 1]}` : ''}`,
      );
    }
  }
  requireBatch(where, 'terminal', terminal);
  if (terminal.shape[1] % sde.blocks !== 0) {
    throw new RangeError(
      `${where}: terminal has ${terminal.shape[1]} columns, which is not a multiple of ${sde.name}'s ${sde.blocks} blocks`,
    );
  }
  if (!allFinite(terminal)) throw new RangeError(`${where}: terminal contains NaN or ±Inf`);
  const last = times.length - 1;
  const tEnd = times[last]!;
  const propagators = Array.from(times, (t) => adjointPropagator(sde, t, tEnd, transitionOptions));
  const adjoints: tf.Tensor2D[] = [];
  for (let k = 0; k <= last; k++) {
    adjoints.push(k === last ? tf.clone(terminal) : applyBlockMatrix(terminal, propagators[k]!));
  }
  return { times, adjoints, propagators };
}

function checkSde(where: string, sde: LinearAdjointSde): void {
  if (typeof sde !== 'object' || sde === null || typeof sde.transition !== 'function') {
    throw new TypeError(
      `${where}: sde must be a linear SDE with blocks and transition(s, t) (a LinearGaussianSde of @bridgekit/sde), got ${describe(sde)}`,
    );
  }
  if (!Number.isInteger(sde.blocks) || sde.blocks < 1) {
    throw new RangeError(`${where}: sde.blocks must be a positive integer, got ${describe(sde.blocks)}`);
  }
}
