import { Rng, tf } from '@bridgekit/core';
import { checkTimeGrid } from './time-grid.js';

/**
 * What a step solver integrates: 'sde' = an Itô SDE (drift + diffusion, needs noise), 'ode' = a
 * vector field, 'linear' = a linear Gaussian SDE with a score, stepped with its exact kernels.
 */
export type SolverKind = 'sde' | 'ode' | 'linear';

/** Standard normal noise of the given [batch, dim] shape: the injection point for tests. */
export type NoiseFn = (shape: readonly [number, number]) => tf.Tensor2D;

/** What `onStep` receives after every step. */
export interface StepInfo {
  /** 0-based index of the step just taken. */
  readonly step: number;
  /** Number of steps of the run (timeGrid.length − 1). */
  readonly steps: number;
  /** The time the step started from. */
  readonly t: number;
  /** The time the step reached. */
  readonly tNext: number;
  /** The state at tNext. Valid only during the callback: `tf.clone` it to keep it. */
  readonly x: tf.Tensor2D;
}

/** Options every sampler accepts (k-diffusion style: one options bag for every sampler). */
export interface SampleOptions {
  /**
   * Seeded host generator for the noise of stochastic samplers (consumed: it advances). Noise is
   * drawn on the host, so a seed gives bit-identical samples on every backend. Give exactly one of
   * `rng` and `seed` to a stochastic sampler; deterministic samplers ignore both.
   */
  readonly rng?: Rng;
  /** Seed for a fresh {@link Rng}; the alternative to `rng`. */
  readonly seed?: number;
  /** Overrides `rng`/`seed`: called once per noisy step for a standard normal tensor of x's shape. */
  readonly noise?: NoiseFn;
  /** Called after every step with the new state (see {@link StepInfo}). */
  readonly onStep?: (info: StepInfo) => void;
  /**
   * Download the trajectory to the host: `true` = every grid time, `{ every: k }` = grid indices
   * 0, k, 2k, … and always the last one.
   */
  readonly record?: boolean | { readonly every: number };
  /**
   * Stochastic samplers only. 'noise' (default): the last step is an ordinary step; 'denoise': it
   * adds no noise and returns the mean of the step (score_sde's `denoise=True`).
   */
  readonly finalStep?: 'noise' | 'denoise';
}

/** A recorded trajectory, on the host. */
export interface Trajectory {
  /** The grid times at which states were recorded. */
  readonly t: Float64Array;
  /** One row-major [batch·dim] array per recorded time. */
  readonly states: Float32Array[];
  /** [batch, dim] of every state. */
  readonly shape: readonly [number, number];
}

/** What every sampler returns. The caller owns `x` and must dispose it. */
export interface SampleResult {
  readonly x: tf.Tensor2D;
  /** Model evaluations made per sample (drift, velocity or score calls; diffusion calls are not counted). */
  readonly nfe: number;
  readonly steps: number;
  readonly trajectory?: Trajectory;
}

/** What a solver's `step` sees besides the model and the state. */
export interface StepContext<O extends SampleOptions = SampleOptions> {
  readonly step: number;
  readonly steps: number;
  /** The run's options, validated (solver-specific ones such as `eta` included). */
  readonly options: O;
  /** True on the last step when `finalStep` is 'denoise': the step must add no noise. */
  readonly denoise: boolean;
  /** A fresh standard normal tensor of x's shape (created in the step's tidy scope). */
  noise(): tf.Tensor2D;
}

/** The new state and the model evaluations a step made. */
export interface StepResult {
  readonly x: tf.Tensor2D;
  readonly nfe: number;
}

/**
 * One step of an integrator (diffrax's solver contract): a value that declares its kind and order
 * and maps (x, t) to (x', t'). `step` runs inside a `tf.tidy` owned by the driver, so it may leave
 * intermediates undisposed; it must not dispose `x`.
 */
export interface StepSolver<M, O extends SampleOptions = SampleOptions> {
  readonly name: string;
  readonly kind: SolverKind;
  /**
   * Declared order: weak order for SDE solvers, global order for ODE solvers (for 'linear' solvers,
   * the order in the step size of the deterministic member).
   */
  readonly order: number;
  /** Model evaluations per step, as `step` reports them. */
  readonly nfePerStep: number;
  /** Throws a TypeError/RangeError naming the argument when the model, grid or options do not fit. */
  validate(model: M, shape: readonly [number, number], timeGrid: readonly number[], options: O): void;
  /** Whether this run draws noise (then `rng`, `seed` or `noise` is required). */
  isStochastic(options: O): boolean;
  step(model: M, x: tf.Tensor2D, t: number, tNext: number, context: StepContext<O>): StepResult;
}

/**
 * A sampler: the shared k-diffusion signature `(model, x, timeGrid, options) → SampleResult`, with
 * the step solver attached as `sampler.solver`.
 */
export interface Sampler<M, O extends SampleOptions = SampleOptions> {
  (model: M, x: tf.Tensor2D, timeGrid: readonly number[], options?: O): SampleResult;
  readonly solver: StepSolver<M, O>;
}

/** Thrown when a state first contains NaN or ±Inf; names the step and its times. */
export class NonFiniteStateError extends Error {
  readonly step: number;
  readonly t: number;
  readonly tNext: number;

  constructor(sampler: string, step: number, steps: number, t: number, tNext: number) {
    super(
      `${sampler}: the state became non-finite (NaN or ±Inf) at step ${step} of ${steps}, ` +
        `from t = ${t} to t = ${tNext}; check the model at t = ${t} (a score that blows up near t = 0, ` +
        'or a step too large for a stiff drift)',
    );
    this.name = 'NonFiniteStateError';
    this.step = step;
    this.t = t;
    this.tNext = tNext;
  }
}

/** Builds the sampler function of a step solver. */
export function defineSampler<M, O extends SampleOptions = SampleOptions>(
  solver: StepSolver<M, O>,
): Sampler<M, O> {
  const sample = (model: M, x: tf.Tensor2D, timeGrid: readonly number[], options?: O): SampleResult =>
    runSampler(solver, model, x, timeGrid, options ?? ({} as O));
  Object.defineProperty(sample, 'name', { value: solver.name });
  Object.defineProperty(sample, 'solver', { value: solver, enumerable: true });
  return sample as Sampler<M, O>;
}

/**
 * Throws a TypeError unless `model` is an object with the named methods; `what` describes the
 * expected contract in the message.
 */
export function checkModel(where: string, model: unknown, methods: readonly string[], what: string): void {
  const missing =
    typeof model !== 'object' || model === null
      ? methods
      : methods.filter((m) => typeof (model as Record<string, unknown>)[m] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(
      `${where}: model must be ${what}; got ${describe(model)} without ${missing.map((m) => `${m}()`).join(', ')}`,
    );
  }
}

/**
 * The shared integration loop: validates, steps through the grid inside one `tf.tidy` per step,
 * checks every new state for NaN/Inf, reports progress and records the trajectory.
 */
function runSampler<M, O extends SampleOptions>(
  solver: StepSolver<M, O>,
  model: M,
  x: tf.Tensor2D,
  timeGrid: readonly number[],
  options: O,
): SampleResult {
  const where = solver.name;
  checkState(where, x);
  checkTimeGrid(where, 'timeGrid', timeGrid);
  checkOptions(where, options);
  const shape: [number, number] = [x.shape[0], x.shape[1]];
  solver.validate(model, shape, timeGrid, options);
  const steps = timeGrid.length - 1;
  const noise = solver.isStochastic(options) ? noiseSource(where, options, shape) : undefinedNoise(where);
  if (!allFinite(x))
    throw new RangeError(`${where}: x contains NaN or ±Inf; the initial state must be finite`);

  const every = options.record === true ? 1 : options.record ? options.record.every : 0;
  const recordedT: number[] = [];
  const recordedStates: Float32Array[] = [];
  if (every > 0) {
    recordedT.push(timeGrid[0]!);
    recordedStates.push(download(x));
  }

  const denoiseLast = options.finalStep === 'denoise';
  let current = x;
  let nfe = 0;
  try {
    for (let i = 0; i < steps; i++) {
      const t = timeGrid[i]!;
      const tNext = timeGrid[i + 1]!;
      const context: StepContext<O> = {
        step: i,
        steps,
        options,
        denoise: denoiseLast && i === steps - 1,
        noise,
      };
      const prev = current;
      let stepNfe = 0;
      const next = tf.tidy(() => {
        const result = solver.step(model, prev, t, tNext, context);
        stepNfe = result.nfe;
        // A tensor that was not created in this scope (e.g. x itself) would be disposed as `prev`
        // on the next step; give the loop a copy it owns.
        return result.x === prev ? tf.clone(result.x) : result.x;
      });
      nfe += stepNfe;
      current = next;
      if (prev !== x) prev.dispose();
      if (current.rank !== 2 || current.shape[0] !== shape[0] || current.shape[1] !== shape[1]) {
        throw new RangeError(
          `${where}: step ${i} (t = ${t} → ${tNext}) produced a state of shape [${current.shape.join(', ')}], ` +
            `expected [${shape.join(', ')}]; the model must return tensors of x's shape`,
        );
      }
      if (!allFinite(current)) throw new NonFiniteStateError(where, i, steps, t, tNext);
      if (every > 0 && ((i + 1) % every === 0 || i === steps - 1)) {
        recordedT.push(tNext);
        recordedStates.push(download(current));
      }
      options.onStep?.({ step: i, steps, t, tNext, x: current });
    }
  } catch (error) {
    if (current !== x) current.dispose();
    throw error;
  }
  const result: SampleResult = { x: current, nfe, steps };
  if (every === 0) return result;
  return { ...result, trajectory: { t: Float64Array.from(recordedT), states: recordedStates, shape } };
}

/** Cheap finiteness check: one reduction and one scalar download; exact check only if the sum is not finite. */
function allFinite(x: tf.Tensor2D): boolean {
  const sum = tf.tidy(() => tf.sum(x));
  const s = sum.dataSync()[0]!;
  sum.dispose();
  if (Number.isFinite(s)) return true;
  // A sum of huge finite values can overflow float32; only a non-finite entry is an error.
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(x))));
  const anyBad = bad.dataSync()[0]! !== 0;
  bad.dispose();
  return !anyBad;
}

/** A host copy of the state (the cpu backend's dataSync returns its own buffer, which must not be shared). */
function download(x: tf.Tensor2D): Float32Array {
  return (x.dataSync() as Float32Array).slice();
}

function checkState(where: string, x: unknown): asserts x is tf.Tensor2D {
  if (!(x instanceof tf.Tensor)) {
    throw new TypeError(`${where}: x must be a tf.Tensor2D of shape [batch, dim], got ${describe(x)}`);
  }
  if (x.isDisposed) throw new TypeError(`${where}: x has been disposed; pass a live tf.Tensor2D`);
  if (x.rank !== 2) {
    throw new TypeError(
      `${where}: x must be a rank-2 tensor [batch, dim], got rank ${x.rank} with shape [${x.shape.join(', ')}]`,
    );
  }
  if (x.dtype !== 'float32') throw new TypeError(`${where}: x must have dtype float32, got ${x.dtype}`);
}

function checkOptions(where: string, options: SampleOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options must be an object or undefined, got ${describe(options)}`);
  }
  const { rng, seed, noise, onStep, record, finalStep } = options;
  if (rng !== undefined && !(rng instanceof Rng)) {
    throw new TypeError(`${where}: options.rng must be an Rng from @bridgekit/core, got ${describe(rng)}`);
  }
  if (seed !== undefined && !(typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0)) {
    throw new RangeError(`${where}: options.seed must be a non-negative safe integer, got ${describe(seed)}`);
  }
  if (noise !== undefined && typeof noise !== 'function') {
    throw new TypeError(
      `${where}: options.noise must be a function (shape) => tf.Tensor2D, got ${describe(noise)}`,
    );
  }
  if (onStep !== undefined && typeof onStep !== 'function') {
    throw new TypeError(
      `${where}: options.onStep must be a function (info) => void, got ${describe(onStep)}`,
    );
  }
  if (record !== undefined && typeof record !== 'boolean') {
    const every = typeof record === 'object' && record !== null ? record.every : undefined;
    if (!(typeof every === 'number' && Number.isSafeInteger(every) && every >= 1)) {
      throw new RangeError(
        `${where}: options.record must be a boolean or { every: k } with an integer k ≥ 1, got ${describe(record)}`,
      );
    }
  }
  if (finalStep !== undefined && finalStep !== 'noise' && finalStep !== 'denoise') {
    throw new RangeError(
      `${where}: options.finalStep must be 'noise' or 'denoise', got ${describe(finalStep)}`,
    );
  }
}

/** The per-step noise of a stochastic run: injected, or host normals from the seeded Rng. */
function noiseSource(where: string, options: SampleOptions, shape: [number, number]): () => tf.Tensor2D {
  const { noise } = options;
  if (noise !== undefined) {
    return () => {
      const z = noise(shape);
      if (
        !(z instanceof tf.Tensor) ||
        z.shape.length !== 2 ||
        z.shape[0] !== shape[0] ||
        z.shape[1] !== shape[1]
      ) {
        throw new RangeError(
          `${where}: options.noise must return a tf.Tensor2D of shape [${shape.join(', ')}], got ${describe(z)}`,
        );
      }
      return z;
    };
  }
  if (options.rng !== undefined && options.seed !== undefined) {
    throw new RangeError(`${where}: pass exactly one of options.rng and options.seed, got both`);
  }
  const rng = options.rng ?? (options.seed !== undefined ? new Rng(options.seed) : undefined);
  if (rng === undefined) {
    throw new TypeError(
      `${where} is stochastic: pass options.seed (a non-negative integer) or options.rng (an Rng) ` +
        '(or options.noise) so that its noise is reproducible',
    );
  }
  const size = shape[0] * shape[1];
  return () => tf.tensor2d(rng.normalFloat32(size), shape);
}

function undefinedNoise(where: string): () => tf.Tensor2D {
  return () => {
    throw new Error(`${where}: this run is deterministic but its step asked for noise (a solver bug)`);
  };
}

function describe(value: unknown): string {
  if (value instanceof tf.Tensor) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
