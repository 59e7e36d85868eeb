import { checkDim, checkPoints } from './points.js';

/**
 * A recorded trajectory on the host: `states[k]` holds the n·dim row-major positions of all n paths
 * at time `t[k]` (structurally compatible with `@bridgekit/samplers`' `Trajectory`). The grid may
 * run forwards (t = 0 → 1) or backwards (t = 1 → 0); it must be strictly monotone.
 */
export interface TrajectoryInput {
  readonly t: ArrayLike<number>;
  readonly states: readonly (Float32Array | Float64Array)[];
}

/** Validated view of a trajectory: number of paths, number of steps K, and |Δt_k|. */
interface CheckedTrajectory {
  readonly paths: number;
  readonly steps: number;
  readonly dt: Float64Array;
  readonly duration: number;
}

function checkTrajectory(name: string, trajectory: TrajectoryInput, dim: number): CheckedTrajectory {
  checkDim(dim);
  const { t, states } = trajectory;
  if (states.length < 2) {
    throw new RangeError(`${name}.states has ${states.length} entries; a trajectory needs at least 2 times`);
  }
  if (t.length !== states.length) {
    throw new RangeError(
      `${name}.t has ${t.length} times but ${name}.states has ${states.length}; they must match one to one`,
    );
  }
  const paths = checkPoints(`${name}.states[0]`, states[0]!, dim);
  for (let k = 1; k < states.length; k++) {
    const n = checkPoints(`${name}.states[${k}]`, states[k]!, dim);
    if (n !== paths) {
      throw new RangeError(
        `${name}.states[${k}] has ${n} points but ${name}.states[0] has ${paths}; every state holds the same paths`,
      );
    }
  }
  if (paths === 0) throw new RangeError(`${name} holds 0 paths; at least one is needed`);
  const steps = states.length - 1;
  const dt = new Float64Array(steps);
  const direction = Math.sign(t[1]! - t[0]!);
  for (let k = 0; k < t.length; k++) {
    if (!Number.isFinite(t[k]!)) throw new RangeError(`${name}.t[${k}] is ${t[k]}; times must be finite`);
  }
  for (let k = 0; k < steps; k++) {
    const step = t[k + 1]! - t[k]!;
    if (direction === 0 || Math.sign(step) !== direction) {
      throw new RangeError(
        `${name}.t is not strictly monotone at index ${k}: t[${k}] = ${t[k]}, t[${k + 1}] = ${t[k + 1]}; ` +
          'the grid must strictly increase or strictly decrease',
      );
    }
    dt[k] = Math.abs(step);
  }
  return { paths, steps, dt, duration: Math.abs(t[steps]! - t[0]!) };
}

/**
 * Trajectory straightness (benchmarks.md, algorithms.md §1.10; rectified-flow definition):
 *
 *   S = (1/n) Σ_paths Σ_{k=0}^{K−1} |Δt_k| · ‖(x_{k+1} − x_k)/|Δt_k| − (x_K − x_0)/T‖²,
 *
 * with T = |t_K − t_0| the total duration (T = 1 on the usual [0, 1] grid, where this is exactly
 * E Σ_k Δt ‖(x_{k+1} − x_k)/Δt − (x_K − x_0)‖²). Times enter only through |Δt_k| and T, so a grid
 * running from t = 1 to t = 0 gives the same value as its mirror image. On any grid, uniform or not,
 * S is the exact value of ∫ ‖ẋ(τ) − (x_K − x_0)/T‖² dτ for the piecewise-linear path through the
 * recorded states (each segment weighted by its own duration), which is the energy of the velocity
 * in excess of the constant one: S = Σ_k ‖Δx_k‖²/|Δt_k| − ‖x_K − x_0‖²/T ≥ 0 per path. Hence S = 0
 * exactly when every segment moves with the mean velocity (a straight path at constant speed in the
 * grid's time); a straight path traversed at varying speed, or any curved path, has S > 0.
 * The deviation is accumulated as ‖Δx_k − (|Δt_k|/T)(x_K − x_0)‖²/|Δt_k| in float64, which is
 * exactly 0 when the states are exactly on such a path (e.g. dyadic data).
 */
export function straightness(trajectory: TrajectoryInput, dim: number): number {
  const { paths, steps, dt, duration } = checkTrajectory('trajectory', trajectory, dim);
  const { states } = trajectory;
  const first = states[0]!;
  const last = states[steps]!;
  let total = 0;
  for (let p = 0; p < paths; p++) {
    const base = p * dim;
    let s = 0;
    for (let k = 0; k < steps; k++) {
      const a = states[k]!;
      const b = states[k + 1]!;
      const fraction = dt[k]! / duration;
      let dev2 = 0;
      for (let c = 0; c < dim; c++) {
        const i = base + c;
        const dev = b[i]! - a[i]! - fraction * (last[i]! - first[i]!);
        dev2 += dev * dev;
      }
      s += dev2 / dt[k]!;
    }
    total += s;
  }
  return total / paths;
}

/**
 * Kinetic path energy of the recorded paths: E = (1/n) Σ_paths Σ_k ‖x_{k+1} − x_k‖² / |Δt_k|, the
 * exact ∫ ‖ẋ‖² dt of the piecewise-linear path through the states (any monotone grid, either
 * direction). By Cauchy–Schwarz E ≥ (1/n) Σ ‖x_K − x_0‖²/T, with equality for straight constant-speed
 * paths; on [0, 1] and for a transport map this lower bound is the transport cost of the coupling
 * (x_0, x_K), hence ≥ W2² of the end-point laws.
 */
export function pathEnergy(trajectory: TrajectoryInput, dim: number): number {
  const { paths, steps, dt } = checkTrajectory('trajectory', trajectory, dim);
  const { states } = trajectory;
  let total = 0;
  for (let p = 0; p < paths; p++) {
    const base = p * dim;
    let s = 0;
    for (let k = 0; k < steps; k++) {
      const a = states[k]!;
      const b = states[k + 1]!;
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        const diff = b[base + c]! - a[base + c]!;
        d2 += diff * diff;
      }
      s += d2 / dt[k]!;
    }
    total += s;
  }
  return total / paths;
}

/**
 * Normalised path energy (benchmarks.md): NPE = |E − W2²| / W2², with E = {@link pathEnergy} of the
 * trajectory and `w2sq` the W2² between its end-point laws (e.g. `w2Squared(states[0], states[K])`
 * or against a reference sample), for ODE samplers on a unit-duration grid. NPE = 0 for an
 * OT-optimal map transported along straight constant-speed paths. `w2sq` must be finite and > 0.
 */
export function normalizedPathEnergy(trajectory: TrajectoryInput, dim: number, w2sq: number): number {
  if (!(Number.isFinite(w2sq) && w2sq > 0)) {
    throw new RangeError(
      `w2sq must be a finite positive number (the W2² between the end points), got ${w2sq}`,
    );
  }
  return Math.abs(pathEnergy(trajectory, dim) - w2sq) / w2sq;
}
