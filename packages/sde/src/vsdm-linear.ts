import { Matrix } from '@bridgekit/core';
import { assertFinite, assertSquare } from './kernel-checks.js';
import { LinearSde } from './linear-sde.js';
import type { Schedule } from './schedule.js';

const WHERE = 'variationalLinearSde';

/** Options of {@link variationalLinearSde} (§2.2). */
export interface VariationalLinearSdeOptions {
  /** β(t) (VSDM: power-VP, β_min 0.1, β_max 10, r 1.7). */
  readonly schedule: Schedule;
  /** The variational score matrix A (d×d) or A(t). */
  readonly a: Matrix | ((t: number) => Matrix);
  /** c(t) in A_t = c(t)·A (the official time-dependent A); forces the Van Loan path. */
  readonly timeFactor?: (t: number) => number;
  /** Van Loan intervals per unit time when the kernel is not exact (see {@link LinearSde}). */
  readonly stepsPerUnitTime?: number;
  readonly name?: string;
}

/**
 * The VSDM forward SDE dx = −½β_t D_t x dt + √β_t dW with D_t = I − 2A_t (§2.2), i.e. F(t) =
 * β_t(A_t − ½I), GGᵀ = β_t I, as a {@link LinearSde} with n = d blocks of width m = 1.
 *
 * A constant A (no timeFactor) uses the exact time change (F₀ = A − ½I, Q₀ = I over τ = B(t),
 * equivalent to the matrix-fraction form of §1.2 item 4). A_t = c(t)A or a function A(t) uses the
 * midpoint Van Loan recursion — never the single exponential of the integrated generator, which is
 * wrong for the covariance once A + Aᵀ ≠ 0 varies in time (§9 T4). `kernelMethod` on the result says
 * which path is in force.
 */
export function variationalLinearSde(options: VariationalLinearSdeOptions): LinearSde {
  const { schedule, a, timeFactor } = options;
  if (timeFactor !== undefined && typeof timeFactor !== 'function') {
    throw new TypeError(`${WHERE}: timeFactor must be a function of t, got ${typeof timeFactor}`);
  }
  const common = {
    name: options.name ?? `vsdm-linear(${schedule.name})`,
    ...(options.stepsPerUnitTime === undefined ? {} : { stepsPerUnitTime: options.stepsPerUnitTime }),
  };
  let aAt: (t: number) => Matrix;
  if (a instanceof Matrix) {
    assertSquare(WHERE, 'a', a);
    assertFinite(WHERE, 'a', a);
    if (timeFactor === undefined) {
      // Static A: F(t) = β(t)(A − ½I), GGᵀ = β(t)I is a pure time change of a constant SDE.
      const d = a.rows;
      return new LinearSde({
        ...common,
        timeChange: { schedule, f0: a.sub(Matrix.scalar(d, 0.5)), q0: Matrix.eye(d) },
      });
    }
    aAt = (t) => a.scale(timeFactor(t));
  } else if (typeof a === 'function') {
    aAt = timeFactor === undefined ? a : (t) => a(t).scale(timeFactor(t));
  } else {
    throw new TypeError(
      `${WHERE}: a must be a Matrix or a function of t returning a d×d Matrix, got ${typeof a}`,
    );
  }
  const a0 = aAt(0);
  assertSquare(WHERE, 'a(0)', a0);
  const d = a0.rows;
  const half = Matrix.scalar(d, 0.5);
  const eye = Matrix.eye(d);
  return new LinearSde({
    ...common,
    driftMatrix: (t) => {
      const at = aAt(t);
      assertSquare(WHERE, `a(${t})`, at, d);
      return at.sub(half).scale(schedule.beta(t));
    },
    diffusionCov: (t) => eye.scale(schedule.beta(t)),
  });
}
