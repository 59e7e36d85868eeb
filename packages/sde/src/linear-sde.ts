import { applyBlockMatrix, Matrix, tf } from '@bridgekit/core';
import {
  assertCovariance,
  assertDiagonalPsd,
  assertFinite,
  assertInterval,
  assertSquare,
  assertSteps,
} from './kernel-checks.js';
import { odeTransition } from './lyapunov-ode.js';
import type { Schedule } from './schedule.js';
import type { GaussianTransition, LinearGaussianSde, State } from './sde.js';
import { vanLoanStep, vanLoanTransition } from './van-loan.js';

/**
 * Van Loan midpoint intervals per unit of time when no time change is available (§1.2 item 2).
 *
 * The midpoint error is ≈ C/N². On the stiffest, fastest-varying case of the spec (§9 T4: power
 * schedule with β up to 10, A_t = e^{sin 3t}A) N = 256 on [0, 1] leaves ≈ 9e-5 absolute error on
 * covariance entries of size ≈ 4 (2e-5 relative) — below the precision T4 quotes and far below Monte
 * Carlo noise — and halving N quadruples it; linear-sde.test.ts asserts both. Cost: one 2n×2n expm
 * per step (≈ 0.1 ms for n = 2, ≈ 9 ms for n = 32), so pass `steps` for tighter or cheaper kernels.
 */
export const DEFAULT_STEPS_PER_UNIT_TIME = 256;

const WHERE = 'LinearSde';

/**
 * The time-change structure F(t) = β(t)F₀, G(t)G(t)ᵀ = β(t)Q₀: with τ = B(t) = ∫₀ᵗβ the SDE has
 * constant coefficients, so one Van Loan exponential over Δτ = B(t) − B(s) is exact (§1.2 items 1–2).
 */
export interface TimeChange {
  readonly schedule: Schedule;
  /** F₀, n×n. */
  readonly f0: Matrix;
  /** Q₀, n×n diagonal with a non-negative diagonal. */
  readonly q0: Matrix;
}

/**
 * How a transition is evaluated (§1.2): 'time-change' = one exact Van Loan exponential in τ = B(t),
 * 'van-loan' = midpoint piecewise-constant Van Loan, 'ode' = RK4 on the Φ and Lyapunov ODEs.
 */
export type KernelMethod = 'time-change' | 'van-loan' | 'ode';

/** Per-call options of {@link LinearSde.transition} (§1.2). */
export interface TransitionOptions {
  /** 'auto' (default) = 'time-change' when the SDE has one, else 'van-loan'. */
  readonly method?: 'auto' | KernelMethod;
  /** Intervals for 'van-loan' and 'ode'; default ⌈stepsPerUnitTime·(t − s)⌉ (at least 1). */
  readonly steps?: number;
}

/** Options shared by both ways of building a {@link LinearSde} (§1.2). */
export interface LinearSdeBaseOptions {
  readonly name?: string;
  /** Cov(X₀) per block, n×n (default 0: X₀ given). */
  readonly initialCov?: Matrix;
  /** Van Loan / RK4 intervals per unit time for 'auto' without a time change (default {@link DEFAULT_STEPS_PER_UNIT_TIME}). */
  readonly stepsPerUnitTime?: number;
}

/**
 * Constructor options of {@link LinearSde} (§1.2): either F(t) and GGᵀ(t) as functions of t, or a
 * {@link TimeChange} from which both are derived.
 */
export type LinearSdeOptions = LinearSdeBaseOptions &
  (
    | {
        /** F(t), n×n. */
        readonly driftMatrix: (t: number) => Matrix;
        /** G(t)G(t)ᵀ, n×n diagonal. */
        readonly diffusionCov: (t: number) => Matrix;
        readonly timeChange?: undefined;
      }
    | { readonly timeChange: TimeChange; readonly driftMatrix?: undefined; readonly diffusionCov?: undefined }
  );

/**
 * A linear SDE dX = (F(t) ⊗ I_m) X dt + (G(t) ⊗ I_m) dW with diagonal GGᵀ and its exact Gaussian
 * kernels (§1.2): the state is n blocks of m coordinates, m being whatever width x has.
 *
 * With a {@link TimeChange} every transition is a single exact Van Loan exponential in τ = B(t)
 * (VP, VSDM with a static A, CLD under a β schedule); otherwise it is the midpoint Van Loan recursion
 * with `stepsPerUnitTime` intervals per unit time, and never the exponential of ∫F (§9 T4).
 */
export class LinearSde implements LinearGaussianSde {
  readonly name: string;
  readonly blocks: number;
  /** The method 'auto' resolves to: 'time-change' when a time change was given, else 'van-loan'. */
  readonly kernelMethod: 'time-change' | 'van-loan';
  /** The time-change structure, when the SDE has one. */
  readonly timeChange: TimeChange | undefined;
  readonly stepsPerUnitTime: number;
  private readonly f: (t: number) => Matrix;
  private readonly ggt: (t: number) => Matrix;
  private readonly cov0: Matrix;

  constructor(options: LinearSdeOptions) {
    const { timeChange } = options;
    if (timeChange !== undefined) {
      if (options.driftMatrix !== undefined || options.diffusionCov !== undefined) {
        throw new TypeError(
          'LinearSde: give either timeChange or driftMatrix + diffusionCov, not both (the time change defines F and GGᵀ)',
        );
      }
      const { schedule, f0, q0 } = timeChange;
      assertSquare(WHERE, 'timeChange.f0', f0);
      assertSquare(WHERE, 'timeChange.q0', q0, f0.rows);
      assertFinite(WHERE, 'timeChange.f0', f0);
      assertDiagonalPsd(WHERE, 'timeChange.q0', q0);
      this.f = (t) => f0.scale(schedule.beta(t));
      this.ggt = (t) => q0.scale(schedule.beta(t));
      this.kernelMethod = 'time-change';
      this.blocks = f0.rows;
    } else {
      if (typeof options.driftMatrix !== 'function' || typeof options.diffusionCov !== 'function') {
        throw new TypeError(
          'LinearSde: options.driftMatrix and options.diffusionCov must both be functions of t returning n×n matrices (or give timeChange)',
        );
      }
      this.f = options.driftMatrix;
      this.ggt = options.diffusionCov;
      this.kernelMethod = 'van-loan';
      // n is read off F(0); every later evaluation is checked against it.
      const probe = this.f(0);
      assertSquare(WHERE, 'driftMatrix(0)', probe);
      this.blocks = probe.rows;
      const g0 = this.ggt(0);
      assertSquare(WHERE, 'diffusionCov(0)', g0, this.blocks);
      assertDiagonalPsd(WHERE, 'diffusionCov(0)', g0);
    }
    this.timeChange = timeChange;
    this.name = options.name ?? (timeChange === undefined ? 'linear' : `linear(${timeChange.schedule.name})`);
    this.stepsPerUnitTime = options.stepsPerUnitTime ?? DEFAULT_STEPS_PER_UNIT_TIME;
    if (!(this.stepsPerUnitTime > 0) || !Number.isFinite(this.stepsPerUnitTime)) {
      throw new RangeError(
        `LinearSde: stepsPerUnitTime must be a finite number > 0, got ${this.stepsPerUnitTime}`,
      );
    }
    const n = this.blocks;
    if (options.initialCov === undefined) {
      this.cov0 = Matrix.zeros(n);
    } else {
      assertSquare(WHERE, 'initialCov', options.initialCov, n);
      assertFinite(WHERE, 'initialCov', options.initialCov);
      assertCovariance(WHERE, 'initialCov', options.initialCov);
      this.cov0 = options.initialCov.symmetrize();
    }
  }

  /** F(t), n×n (§1.2). */
  driftMatrix(t: number): Matrix {
    const f = this.f(t);
    assertSquare(WHERE, `driftMatrix(${t})`, f, this.blocks);
    return f;
  }

  /** G(t)G(t)ᵀ, n×n diagonal (§1.2). */
  diffusionCov(t: number): Matrix {
    const g = this.ggt(t);
    assertSquare(WHERE, `diffusionCov(${t})`, g, this.blocks);
    assertDiagonalPsd(WHERE, `diffusionCov(${t})`, g);
    return g;
  }

  /** Cov(X₀) per block, n×n (§3.3: Σ₀ = diag(0, γ₀M) for CLD); zero when X₀ is given. */
  initialCov(): Matrix {
    return this.cov0;
  }

  /** The drift (F(t) ⊗ I_m) x, applied blockwise without forming the Kronecker product (§1.2). */
  drift(x: State, t: number): State {
    return applyBlockMatrix(x, this.driftMatrix(t));
  }

  /**
   * The noise scale (G(t) ⊗ I_m): a number when GGᵀ(t) = c·I, else a [1, n·m] tensor holding
   * √(GGᵀ)ᵢᵢ on the m columns of block i (e.g. zero on the CLD positions) (§1.2, §3.2).
   */
  diffusion(t: number, x: State): number | tf.Tensor {
    const g = this.diffusionCov(t);
    const n = this.blocks;
    const first = g.get(0, 0);
    let isotropic = true;
    for (let i = 1; i < n; i++) if (g.get(i, i) !== first) isotropic = false;
    if (isotropic) return Math.sqrt(first);
    const width = x.shape[1];
    if (width % n !== 0) {
      throw new RangeError(
        `LinearSde.diffusion: x has ${width} columns, which is not a multiple of the number of blocks ${n}`,
      );
    }
    const m = width / n;
    const scales = new Float32Array(width);
    for (let i = 0; i < n; i++) scales.fill(Math.sqrt(g.get(i, i)), i * m, (i + 1) * m);
    return tf.tensor2d(scales, [1, width]);
  }

  /**
   * The Gaussian transition x_t | x_s ~ N((Φ ⊗ I)x_s, Q ⊗ I) for s ≤ t (§1.2), by the method in
   * `options` ('auto' = {@link LinearSde.kernelMethod}).
   */
  transition(s: number, t: number, options: TransitionOptions = {}): GaussianTransition {
    assertInterval('LinearSde.transition', s, t);
    const requested = options.method ?? 'auto';
    const method = requested === 'auto' ? this.kernelMethod : requested;
    if (method === 'time-change') {
      const tc = this.timeChange;
      if (tc === undefined) {
        throw new RangeError(
          `LinearSde.transition: options.method 'time-change' needs an SDE built with a timeChange; this one (${this.name}) supports 'van-loan', 'ode' or 'auto'`,
        );
      }
      const dtau = tc.schedule.integral(t) - tc.schedule.integral(s);
      if (!Number.isFinite(dtau) || dtau < 0) {
        throw new RangeError(
          `LinearSde.transition: B(t) − B(s) of schedule ${tc.schedule.name} must be finite and ≥ 0 (β ≥ 0), got ${dtau} for s = ${s}, t = ${t}`,
        );
      }
      return vanLoanStep(tc.f0, tc.q0, dtau);
    }
    if (method !== 'van-loan' && method !== 'ode') {
      throw new RangeError(
        `LinearSde.transition: options.method must be 'auto', 'time-change', 'van-loan' or 'ode', got ${JSON.stringify(requested)}`,
      );
    }
    // The 1e-9 slack keeps e.g. 256·(0.7 − 0.2) = 128.00000000000003 from rounding up to 129.
    const steps = options.steps ?? Math.max(1, Math.ceil(this.stepsPerUnitTime * (t - s) - 1e-9));
    assertSteps('LinearSde.transition', 'options.steps', steps);
    const f = (u: number) => this.driftMatrix(u);
    const g = (u: number) => this.diffusionCov(u);
    return method === 'van-loan' ? vanLoanTransition(f, g, s, t, steps) : odeTransition(f, g, s, t, steps);
  }
}
