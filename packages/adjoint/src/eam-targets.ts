import { tf } from '@bridgekit/core';
import { linearBaseSpread, type Velocity } from './memoryless-flow.js';
import { requireBatch, requireFinite, requireFunction, requireNonNegative } from './validate.js';

/**
 * Tweedie's estimate of the data score of a flow model at time t < 1 from its velocity (interpolant
 * x_t = t·x₁ + (1−t)ε): s_t(x) = (t·v(x, t) − x)/(1−t) (algorithms.md §4.1, §8.2). The caller owns the result.
 */
export function tweedieScore(velocity: Velocity, x: tf.Tensor2D, t: number): tf.Tensor2D {
  requireFunction('tweedieScore', 'velocity', velocity, '(x: Tensor2D, t: number) => Tensor2D');
  if (!(t >= 0 && t < 1)) {
    throw new RangeError(`tweedieScore: t must be in [0, 1) (the estimate divides by 1 − t), got ${t}`);
  }
  return tf.tidy(() => tf.div(tf.sub(tf.mul(velocity(x, t), t), x), 1 - t)) as tf.Tensor2D;
}

/** Options of {@link eamTerminalGradient}. */
export interface EamTerminalGradientOptions {
  /** Endpoints X₁, [B, D]. */
  readonly x1: tf.Tensor2D;
  /** ∇r(X₁), [B, D]. */
  readonly rewardGradient: tf.Tensor2D;
  /** The reward multiplier λ ≥ 0 of the target p_base·e^{λr}. */
  readonly lambda: number;
  /** The pretrained (frozen) velocity, whose data score enters by Tweedie's formula. */
  readonly baseVelocity: Velocity;
  /** The score is taken at t = 1 − δ, where Tweedie's formula is finite (default 0.1). */
  readonly delta?: number;
  /** s₁^base(x) itself (e.g. {@link fitTerminalScore}'s); when given, Tweedie's formula is not used. */
  readonly baseScore?: (x: tf.Tensor2D) => tf.Tensor2D;
}

/**
 * The gradient of EAM's modified terminal cost g = −λr − log p₁^base + log p₁^lin (algorithms.md §8.2,
 * a derived reference design): ∇g(x) = −λ∇r(x) − s₁^base(x) − x, with s₁^base(x) ≈ (1−δ)·s_{1−δ}((1−δ)x) from Tweedie's
 * formula on the pretrained velocity (the rescaled point removes the O(δ) shrinkage of the plain s_{1−δ}(x)). With this g the control problem over EAM's linear base has the same
 * target as Adjoint Matching's, p* ∝ p_base·e^{λr}. The caller owns the result.
 */
export function eamTerminalGradient(options: EamTerminalGradientOptions): tf.Tensor2D {
  const where = 'eamTerminalGradient';
  const { x1, rewardGradient, lambda, baseVelocity } = options;
  const delta = options.delta ?? 0.1;
  requireBatch(where, 'x1', x1);
  requireBatch(where, 'rewardGradient', rewardGradient, [x1.shape[0], x1.shape[1]]);
  requireNonNegative(where, 'lambda', lambda);
  if (!(delta > 0 && delta < 1)) throw new RangeError(`${where}: delta must be in (0, 1), got ${delta}`);
  return tf.tidy(() => {
    // s₁(x) ≈ (1−δ)·s_{1−δ}((1−δ)x): p_{1−δ} is the law of (1−δ)X₁ + δε, so evaluating its score at the
    // rescaled point leaves only the O(δ²) smoothing bias instead of the O(δ) shrinkage of s_{1−δ}(x).
    const t = 1 - delta;
    const score =
      options.baseScore === undefined
        ? tf.mul(tweedieScore(baseVelocity, tf.mul(x1, t) as tf.Tensor2D, t), t)
        : options.baseScore(x1);
    return tf.sub(tf.neg(tf.add(tf.mul(rewardGradient, lambda), score)), x1) as tf.Tensor2D;
  });
}

/** Regression rows on the host: inputs x [B·D], times t [B], targets [B·D]. */
export interface RegressionRows {
  readonly x: Float32Array;
  readonly t: Float32Array;
  readonly target: Float32Array;
  /** Per-row weight, [B]; omitted means 1. */
  readonly weight?: Float32Array;
}

/** Options of {@link eamRegressionRows}. */
export interface EamRegressionRowsOptions {
  /** Endpoints X₁, row-major [B·D]. */
  readonly x1: ArrayLike<number>;
  /** ∇g(X₁) of {@link eamTerminalGradient}, row-major [B·D]. */
  readonly terminalGradient: ArrayLike<number>;
  readonly dim: number;
  /** One time per row in [0, 1]. */
  readonly t: ArrayLike<number>;
  /** Standard normals, [B·D]. */
  readonly eps: ArrayLike<number>;
}

/**
 * EAM's velocity-space regression rows (algorithms.md §8.3, derived): re-noise each endpoint by the
 * pre-training interpolant X_t = t·X₁ + (1−t)ε (the linear base's exact bridge, X_t | X₁ ~ N(tX₁, (1−t)²I))
 * and regress v_θ(X_t, t) on
 *
 *     [ (2t−1)·X_t − (1−t)·∇g(X₁) ] / (t² + (1−t)²),
 *
 * the closed-form adjoint ã_t = Φ(1, t)∇g(X₁) written as a velocity. No network is involved: the rows are
 * the method's targets, computed apart from the model being trained.
 */
export function eamRegressionRows(options: EamRegressionRowsOptions): RegressionRows {
  const where = 'eamRegressionRows';
  const { x1, terminalGradient, dim, t, eps } = options;
  if (!Number.isSafeInteger(dim) || dim < 1)
    throw new RangeError(`${where}: dim must be a positive integer, got ${dim}`);
  const b = t.length;
  for (const [name, a] of [
    ['x1', x1],
    ['terminalGradient', terminalGradient],
    ['eps', eps],
  ] as const) {
    if (a.length !== b * dim) {
      throw new RangeError(
        `${where}: ${name} must hold t.length × dim = ${b * dim} numbers, got ${a.length}`,
      );
    }
  }
  const x = new Float32Array(b * dim);
  const target = new Float32Array(b * dim);
  const times = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    const ti = t[i]!;
    requireFinite(where, `t[${i}]`, ti);
    if (ti < 0 || ti > 1) throw new RangeError(`${where}: t[${i}] must be in [0, 1], got ${ti}`);
    times[i] = ti;
    const n = linearBaseSpread(ti);
    for (let k = 0; k < dim; k++) {
      const j = i * dim + k;
      const xt = ti * x1[j]! + (1 - ti) * eps[j]!;
      x[j] = xt;
      target[j] = ((2 * ti - 1) * xt - (1 - ti) * terminalGradient[j]!) / n;
    }
  }
  return { x, t: times, target };
}
