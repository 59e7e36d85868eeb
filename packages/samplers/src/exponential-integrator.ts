import { applyBlockMatrix, cholesky, Matrix, solve, sqrtmPsd, tf } from '@bridgekit/core';
import type { LinearGaussianSde, ScoreFn } from '@bridgekit/sde';
import { checkModel, defineSampler, type SampleOptions, type Sampler, type StepSolver } from './sampler.js';

/** The model of {@link exponentialIntegrator}: a linear Gaussian SDE and the score of its marginals. */
export interface LinearScoreModel {
  readonly sde: LinearGaussianSde;
  readonly score: ScoreFn;
}

/** Options of {@link exponentialIntegrator}. */
export interface ExponentialIntegratorOptions extends SampleOptions {
  /**
   * Stochasticity η ∈ [0, 1] (default 0): 0 = deterministic DDIM-type update, 1 = ancestral
   * sampling from the exact Gaussian posterior (DDPM for VP). Any η > 0 needs `seed`, `rng` or `noise`.
   */
  readonly eta?: number;
}

/**
 * The host-side coefficients of one step x' = (A ⊗ I)x + (B ⊗ I)s(x, t) + (R ⊗ I)ξ.
 * Exposed for tests and for callers who want to inspect a schedule; every matrix is n×n float64.
 */
export interface ExponentialStepCoefficients {
  /** A = M_{t'}M_t⁻¹ = Φ(t', t): the mean map from t back to t'. */
  readonly stateCoef: Matrix;
  /** B = A·Σ_t − C·L_tᵀ: the score coefficient (C = L_{t'} for η = 0, Σ_{t'}Φ(t, t')ᵀL_t⁻ᵀ for η = 1). */
  readonly scoreCoef: Matrix;
  /** R = η·P^{1/2}, P the posterior covariance of x_{t'} given x_t and x₀; zero for η = 0. */
  readonly noiseCoef: Matrix;
}

/**
 * Coefficients of the exponential-integrator step from t down to t' (see {@link exponentialIntegrator}).
 *
 * With M_t = Φ(t, 0), Σ_t = M_tΣ₀M_tᵀ + Q(t, 0) = L_tL_tᵀ and the Tweedie estimate
 * x̂₀ = M_t⁻¹(x_t + Σ_t s), the residual x_t − M_t x̂₀ = −Σ_t s and the noise estimate
 * ε̂ = L_t⁻¹(x_t − M_t x̂₀) = −L_tᵀs, so every update x' = M_{t'}x̂₀ + Cε̂ + ηP^{1/2}ξ is affine in
 * (x_t, s) with the coefficients returned here.
 */
export function exponentialStepCoefficients(
  sde: LinearGaussianSde,
  t: number,
  tNext: number,
  eta: number,
): ExponentialStepCoefficients {
  const where = 'exponentialIntegrator';
  const n = sde.blocks;
  const { mean: m, cov: sigma } = marginal(sde, t);
  const { mean: mNext, cov: sigmaNext } = marginal(sde, tNext);
  let stateCoef: Matrix;
  try {
    // M_{t'}M_t⁻¹ = (M_t⁻ᵀ M_{t'}ᵀ)ᵀ.
    stateCoef = solve(m.transpose(), mNext.transpose()).transpose();
  } catch (error) {
    throw new RangeError(
      `${where}: the mean map Φ(t, 0) of ${sde.name} at t = ${t} is singular, so x₀ cannot be predicted from ` +
        `x_t by Tweedie's formula; this sampler needs an invertible Φ(t, 0) (${(error as Error).message})`,
    );
  }
  let l: Matrix;
  try {
    l = cholesky(sigma);
  } catch (error) {
    throw new RangeError(
      `${where}: the marginal covariance Σ_t of ${sde.name} at t = ${t} is not positive definite; every grid time ` +
        `but the last must have Σ_t ≻ 0 (t > 0) (${(error as Error).message})`,
    );
  }
  const aSigma = stateCoef.mul(sigma);
  if (eta === 0) {
    const lNext = psdCholesky(sigmaNext);
    return { stateCoef, scoreCoef: aSigma.sub(lNext.mul(l.transpose())), noiseCoef: Matrix.zeros(n) };
  }
  // Posterior of x_{t'} given x_t and x₀: prior N(M_{t'}x₀, Σ_{t'}), likelihood x_t | x_{t'} ~ N(Φx_{t'}, Q).
  const { phi, cov: q } = sde.transition(tNext, t);
  // Gain K = Σ_{t'}Φᵀ Σ_t⁻¹ = (Σ_t⁻¹ Φ Σ_{t'})ᵀ, Σ_t and Σ_{t'} symmetric.
  const gain = solve(sigma, phi.mul(sigmaNext)).transpose();
  const residual = Matrix.eye(n).sub(gain.mul(phi));
  // Joseph form: a sum of two PSD terms, so P stays PSD where Σ_{t'} − KΦΣ_{t'} would cancel.
  const post = residual
    .mul(sigmaNext)
    .mul(residual.transpose())
    .add(gain.mul(q).mul(gain.transpose()))
    .symmetrize();
  const noiseCoef = sqrtmPsd(post).scale(eta);
  if (eta === 1) {
    // C·L_tᵀ = Σ_{t'}Φᵀ = KΣ_t: the posterior mean M_{t'}x̂₀ + K(x_t − M_t x̂₀).
    return { stateCoef, scoreCoef: aSigma.sub(gain.mul(sigma)), noiseCoef };
  }
  const c = psdCholesky(sigmaNext.sub(post.scale(eta * eta)));
  return { stateCoef, scoreCoef: aSigma.sub(c.mul(l.transpose())), noiseCoef };
}

/**
 * Exponential integrator for a linear Gaussian SDE with a score (DDIM-type; Song, Meng & Ermon 2021
 * generalised to matrix kernels as in VSDM/CLD samplers), integrating from high t down to low t.
 *
 * Each step predicts x̂₀ = E[x₀ | x_t] by Tweedie's formula with the exact kernel,
 * x̂₀ = M_t⁻¹(x_t + Σ_t s(x_t, t)) blockwise, then moves to t' < t:
 * - η = 0: x_{t'} = M_{t'}x̂₀ + L_{t'}L_t⁻¹(x_t − M_t x̂₀) (DDIM for VP);
 * - η = 1: x_{t'} ~ p(x_{t'} | x_t, x₀ = x̂₀) exactly, mean M_{t'}x̂₀ + Σ_{t'}Φ(t,t')ᵀΣ_t⁻¹(x_t − M_t x̂₀),
 *   covariance Σ_{t'} − Σ_{t'}Φ(t,t')ᵀΣ_t⁻¹Φ(t,t')Σ_{t'} (the DDPM posterior for VP);
 * - 0 < η < 1: noise η²P and coefficient C = chol(Σ_{t'} − η²P) on ε̂ (the DDIM family; for n > 1
 *   the η = 1 member uses the posterior-mean coefficient, an orthogonal rotation of ε̂ away from the
 *   Cholesky one, so every member keeps x_{t'} | x₀ ~ N(M_{t'}x₀, Σ_{t'})).
 * All n×n algebra is float64 on the host (core's Matrix, cholesky, solve) and is applied with
 * `applyBlockMatrix`: one score evaluation per step.
 *
 * Requirements: Φ(t, 0) invertible at every grid time but the last, and Σ_t ≻ 0 there (t > 0); the
 * grid must be strictly decreasing with times ≥ 0, and may end at 0 (then the last step returns x̂₀).
 * A random initial state (initialCov Σ₀ ≠ 0, e.g. CLD velocities) is handled by taking x₀ to be the
 * deterministic part of X₀ and Σ_t = M_tΣ₀M_tᵀ + Q(t, 0), the marginal of `@bridgekit/sde`; the
 * score must be that of the full marginal p_t either way.
 */
export const exponentialIntegratorSolver: StepSolver<LinearScoreModel, ExponentialIntegratorOptions> = {
  name: 'exponentialIntegrator',
  kind: 'linear',
  order: 1,
  nfePerStep: 1,
  validate(model, shape, timeGrid, options) {
    const where = 'exponentialIntegrator';
    checkModel(where, model, ['score'], 'an object { sde: LinearGaussianSde, score: (x, t) => tensor }');
    checkModel(
      where,
      model.sde,
      ['transition', 'initialCov'],
      'an object whose sde is a LinearGaussianSde (with transition(s, t) and initialCov())',
    );
    const n = model.sde.blocks;
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new RangeError(`${where}: model.sde.blocks must be an integer ≥ 1, got ${String(n)}`);
    }
    if (shape[1] % n !== 0) {
      throw new RangeError(
        `${where}: x has ${shape[1]} columns, which is not a multiple of the ${n} blocks of ${model.sde.name}; ` +
          `x must be [batch, ${n}·m]`,
      );
    }
    if (!(timeGrid[1]! < timeGrid[0]!)) {
      throw new RangeError(
        `${where}: timeGrid must be strictly decreasing (it integrates from noise at high t down to data at t ≈ 0), ` +
          `got timeGrid[0] = ${timeGrid[0]}, timeGrid[1] = ${timeGrid[1]}`,
      );
    }
    const last = timeGrid[timeGrid.length - 1]!;
    if (last < 0)
      throw new RangeError(`${where}: timeGrid must stay at t ≥ 0 (the SDE starts at t = 0), got ${last}`);
    const eta = options.eta;
    if (eta !== undefined && !(typeof eta === 'number' && eta >= 0 && eta <= 1)) {
      throw new RangeError(`${where}: options.eta must be a number in [0, 1], got ${String(eta)}`);
    }
  },
  isStochastic: (options) => (options.eta ?? 0) > 0,
  step(model, x, t, tNext, context) {
    const eta = context.options.eta ?? 0;
    const { stateCoef, scoreCoef, noiseCoef } = exponentialStepCoefficients(model.sde, t, tNext, eta);
    const s = model.score(x, t);
    const mean = tf.add(applyBlockMatrix(x, stateCoef), applyBlockMatrix(s, scoreCoef)) as tf.Tensor2D;
    if (eta === 0 || context.denoise) return { x: mean, nfe: 1 };
    return { x: tf.add(mean, applyBlockMatrix(context.noise(), noiseCoef)), nfe: 1 };
  },
};

/** The exponential integrator with the shared sampler signature; see {@link exponentialIntegratorSolver}. */
export const exponentialIntegrator: Sampler<LinearScoreModel, ExponentialIntegratorOptions> =
  defineSampler(exponentialIntegratorSolver);

/** x_t | x₀ ~ N((M_t ⊗ I)x₀, Σ_t ⊗ I) with M_t = Φ(t, 0), Σ_t = M_tΣ₀M_tᵀ + Q(t, 0). */
function marginal(sde: LinearGaussianSde, t: number): { mean: Matrix; cov: Matrix } {
  const { phi, cov: q } = sde.transition(0, t);
  const cov = phi.mul(sde.initialCov()).mul(phi.transpose()).add(q).symmetrize();
  return { mean: phi, cov };
}

/**
 * Lower-triangular L with A = LLᵀ for a symmetric positive semidefinite A: a pivot within rounding
 * of zero gives a zero column (Σ_{t'} = 0 when the grid ends at t = 0, or the position block of a
 * momentum SDE started at rest), where a plain Cholesky would throw.
 */
function psdCholesky(a: Matrix): Matrix {
  const n = a.rows;
  const s = a.symmetrize().data;
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(s[i * n + i]!));
  const tol = 64 * Number.EPSILON * scale;
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let pivot = s[j * n + j]!;
    for (let k = 0; k < j; k++) pivot -= l[j * n + k]! ** 2;
    if (!(pivot >= -tol)) {
      throw new RangeError(
        `exponentialIntegrator: a covariance is not positive semidefinite (pivot ${j} is ${pivot}); ` +
          'the SDE kernels returned an invalid Σ',
      );
    }
    if (pivot <= tol) continue;
    const d = Math.sqrt(pivot);
    l[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let sum = s[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = sum / d;
    }
  }
  return new Matrix(n, n, l);
}
