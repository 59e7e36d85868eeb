import { type Rng, tf } from '@bridgekit/core';
import type { RegressionRows } from './eam-targets.js';
import { memorylessSigma2, type Velocity } from './memoryless-flow.js';
import { requireBatch, requireFunction } from './validate.js';

/**
 * Adjoint Matching's timestep subsampling (the SD1.5 code, algorithms.md §4.5): for each of `paths`
 * trajectories on a grid of K + 1 times, `perPath` distinct step indices from 1 … K−1 (t = 0, where σ is
 * infinite, and t = 1, where it is 0, carry no loss), half from the first 60% of those steps and half
 * from the rest. Returns, per step index k, the paths whose loss includes time k. With perPath ≥ K − 1
 * every interior step of every path is used.
 */
export function subsampleTimesteps(steps: number, paths: number, perPath: number, rng: Rng): number[][] {
  if (!Number.isSafeInteger(steps) || steps < 2) {
    throw new RangeError(`subsampleTimesteps: steps must be an integer ≥ 2, got ${steps}`);
  }
  if (!Number.isSafeInteger(paths) || paths < 0) {
    throw new RangeError(`subsampleTimesteps: paths must be a non-negative integer, got ${paths}`);
  }
  if (!Number.isSafeInteger(perPath) || perPath < 1) {
    throw new RangeError(`subsampleTimesteps: perPath must be a positive integer, got ${perPath}`);
  }
  const interior = Array.from({ length: steps - 1 }, (_, i) => i + 1);
  const byStep: number[][] = Array.from({ length: steps + 1 }, () => []);
  const split = Math.max(1, Math.round(0.6 * interior.length));
  const early = interior.slice(0, split);
  const late = interior.slice(split);
  for (let p = 0; p < paths; p++) {
    // With perPath ≥ K − 1 the two halves are taken whole: every interior step.
    const fromLate = Math.min(late.length, Math.floor(perPath / 2));
    const fromEarly = Math.min(early.length, perPath - fromLate);
    const chosen = [
      ...pick(early, fromEarly, rng),
      ...pick(late, Math.min(late.length, perPath - fromEarly), rng),
    ];
    for (const k of chosen) byStep[k]!.push(p);
  }
  return byStep;
}

/** `count` distinct entries of `from` (partial Fisher–Yates on a copy). */
function pick(from: readonly number[], count: number, rng: Rng): number[] {
  const a = [...from];
  const draws = rng.uniform(count);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(draws[i]! * (a.length - i));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, count);
}

/** Options of {@link adjointMatchingRows}. */
export interface AdjointMatchingRowsOptions {
  /** The simulated states X_k, [B, D] per grid time (from {@link sampleMemorylessFlow}). */
  readonly states: readonly tf.Tensor2D[];
  /** The grid t_0 < … < t_K. */
  readonly times: ArrayLike<number>;
  /** The lean adjoint ã_k per grid time, [B, D]. */
  readonly adjoints: readonly tf.Tensor2D[];
  /** The pretrained (frozen) velocity. */
  readonly baseVelocity: Velocity;
  /** Per grid index, the paths whose loss includes it ({@link subsampleTimesteps}). */
  readonly picks: readonly (readonly number[])[];
}

/**
 * Adjoint Matching's regression rows (algorithms.md §4.3). The loss ‖u_θ + σã‖² with the control
 * u = 2(v_θ − v_base)/σ of the memoryless flow SDE is, per row,
 *
 *     (4/σ²)·‖ v_θ(X_k, t_k) − [ v_base(X_k, t_k) − (σ_k²/2)·ã_k ] ‖²,
 *
 * a weighted velocity regression: target v_base − ((1−t)/t)·ã, weight 4/σ² = 2t/(1−t). The states and
 * adjoints are the method's data, the base velocity the frozen pretrained model; the model being trained
 * does not enter.
 */
export function adjointMatchingRows(options: AdjointMatchingRowsOptions): RegressionRows {
  const where = 'adjointMatchingRows';
  const { states, times, adjoints, baseVelocity, picks } = options;
  requireFunction(where, 'baseVelocity', baseVelocity, '(x: Tensor2D, t: number) => Tensor2D');
  if (states.length !== times.length || adjoints.length !== times.length || picks.length !== times.length) {
    throw new RangeError(
      `${where}: states, adjoints and picks must have one entry per time (${times.length}), got ` +
        `${states.length}, ${adjoints.length} and ${picks.length}`,
    );
  }
  const dim = states[0]!.shape[1];
  let rows = 0;
  for (const p of picks) rows += p.length;
  const x = new Float32Array(rows * dim);
  const t = new Float32Array(rows);
  const target = new Float32Array(rows * dim);
  const weight = new Float32Array(rows);
  let r = 0;
  for (let k = 0; k < times.length; k++) {
    const chosen = picks[k]!;
    if (chosen.length === 0) continue;
    const tk = times[k]!;
    if (!(tk > 0 && tk < 1)) {
      throw new RangeError(`${where}: picks[${k}] selects t = ${tk}; only times in (0, 1) carry a loss`);
    }
    requireBatch(where, `states[${k}]`, states[k], [-1, dim]);
    requireBatch(where, `adjoints[${k}]`, adjoints[k], [states[k]!.shape[0], dim]);
    const half = memorylessSigma2(tk) / 2;
    const { xs, ts } = tf.tidy(() => {
      const index = tf.tensor1d([...chosen], 'int32');
      const xk = tf.gather(states[k]!, index);
      const ak = tf.gather(adjoints[k]!, index);
      const tgt = tf.sub(baseVelocity(xk as tf.Tensor2D, tk), tf.mul(ak, half));
      return { xs: xk.dataSync(), ts: tgt.dataSync() };
    });
    x.set(xs, r * dim);
    target.set(ts, r * dim);
    t.fill(tk, r, r + chosen.length);
    weight.fill(2 / half, r, r + chosen.length); // 4/σ² = 2t/(1−t)
    r += chosen.length;
  }
  return { x, t, target, weight };
}
