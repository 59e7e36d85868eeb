import { tf } from '@bridgekit/core';
import { allFinite, describe, requireBatch } from './validate.js';

/**
 * A recorded trajectory the adjoint is integrated along: increasing times t_0 < … < t_K (forward time,
 * algorithms.md §0) and the batch x_k = X_{t_k} at each, batch-first [B, D]. The tensors stay the
 * caller's; solvers never dispose them.
 */
export interface AdjointPath {
  readonly times: ArrayLike<number>;
  readonly states: readonly tf.Tensor2D[];
}

/**
 * The lean adjoint ã at every path time: `adjoints[k]` is ã(t_k), [B, D], with `adjoints[K]` a copy of
 * the terminal condition. The caller owns (and disposes) every tensor in `adjoints`.
 */
export interface AdjointSolution {
  readonly times: Float64Array;
  readonly adjoints: tf.Tensor2D[];
}

/** Checks a path and a terminal condition against each other; returns the times as float64. */
export function checkPath(where: string, path: AdjointPath, terminal: tf.Tensor2D): Float64Array {
  if (typeof path !== 'object' || path === null) {
    throw new TypeError(`${where}: path must be an object { times, states }, got ${describe(path)}`);
  }
  const { states } = path;
  if (path.times === undefined || typeof path.times.length !== 'number') {
    throw new TypeError(
      `${where}: path.times must be an array of increasing times, got ${describe(path.times)}`,
    );
  }
  const times = Float64Array.from(path.times);
  if (times.length === 0) throw new RangeError(`${where}: path.times must hold at least one time, got []`);
  for (let k = 0; k < times.length; k++) {
    if (!Number.isFinite(times[k]!)) {
      throw new RangeError(`${where}: path.times[${k}] must be a finite number, got ${times[k]}`);
    }
    if (k > 0 && !(times[k]! > times[k - 1]!)) {
      throw new RangeError(
        `${where}: path.times must increase strictly (forward time; the solver runs it backward), ` +
          `got times[${k - 1}] = ${times[k - 1]} and times[${k}] = ${times[k]}`,
      );
    }
  }
  if (!Array.isArray(states) || states.length !== times.length) {
    throw new RangeError(
      `${where}: path.states must hold one [B, D] tensor per time (${times.length}), got ${describe(states)}`,
    );
  }
  requireBatch(where, 'terminal', terminal);
  const shape: [number, number] = [terminal.shape[0], terminal.shape[1]];
  for (let k = 0; k < states.length; k++) requireBatch(where, `path.states[${k}]`, states[k], shape);
  return times;
}

/**
 * The backward sweep shared by the step-by-step solvers: ã_K = terminal, then ã_k = update(k, ã_{k+1})
 * for k = K−1 … 0, each in its own tidy scope, stopping with a RangeError that names the step when ã
 * stops being finite.
 */
export function backwardSweep(
  where: string,
  times: Float64Array,
  terminal: tf.Tensor2D,
  update: (k: number, next: tf.Tensor2D) => tf.Tensor2D,
): AdjointSolution {
  const last = times.length - 1;
  const adjoints = new Array<tf.Tensor2D>(times.length);
  adjoints[last] = tf.clone(terminal);
  try {
    if (!allFinite(terminal)) throw new RangeError(`${where}: terminal contains NaN or ±Inf`);
    for (let k = last - 1; k >= 0; k--) {
      const next = adjoints[k + 1]!;
      const a = tf.tidy(() => {
        const out = update(k, next);
        // A sweep owns each of its tensors once, even if an update hands back its input.
        return out === next ? tf.clone(out) : out;
      });
      adjoints[k] = a;
      if (!allFinite(a)) {
        throw new RangeError(
          `${where}: the adjoint became non-finite (NaN or ±Inf) at step ${last - k} of ${last}, from ` +
            `t = ${times[k + 1]} back to t = ${times[k]}; check the drift's Jacobian there (a drift that ` +
            'blows up near t = 0, or a step too large for a stiff drift)',
        );
      }
    }
  } catch (error) {
    for (const a of adjoints) a?.dispose();
    throw error;
  }
  return { times, adjoints };
}
