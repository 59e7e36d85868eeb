// Driven check: every sampler, fed the exact score of 2-D Gaussian data under the VP SDE and started
// from the exact marginal at t = 1, must reproduce the marginal at t0 = 1e-3 (the data up to ≤ 1.1e-4)
// in mean and covariance within 4 Monte-Carlo standard errors plus a stated discretisation allowance.
import { initBackend, inv, Matrix, Rng, sqrtmPsd, type tf } from '@bridgekit/core';
import {
  gaussianMixtureSample,
  gaussianMixtureScore,
  linearSchedule,
  mixtureMoments,
  probabilityFlow,
  pushForwardMixture,
  reverseTimeSde,
  vpSde,
} from '@bridgekit/sde';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eulerMaruyama } from './euler-maruyama.js';
import { eulerOde } from './euler-ode.js';
import { exponentialIntegrator } from './exponential-integrator.js';
import { heunOde } from './heun-ode.js';
import { sampleMoments } from './models.test-helper.js';
import { rk4Ode } from './rk4-ode.js';
import type { SampleResult } from './sampler.js';
import { uniformGrid } from './time-grid.js';

const n = 20_000;
const t0 = 1e-3;
const data = {
  weights: [1],
  means: [[1, -2]],
  covs: [
    [
      [1, 0.6],
      [0.6, 0.5],
    ],
  ],
};
const sde = vpSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) });
const score = gaussianMixtureScore(sde, data);
const target = mixtureMoments(pushForwardMixture(sde, data, t0));

// MC standard errors for n draws of N(m, C): SE(mean_i) = √(C_ii/n) ≈ (0.0071, 0.0050) and
// SE(cov_ij) = √((C_ii C_jj + C_ij²)/n) ≈ (0.0100, 0.0066, 0.0050) for (11, 12, 22).
const c = target.cov;
const seMean = [0, 1].map((i) => Math.sqrt(c[i]![i]! / n));
const seCov = (i: number, j: number) => Math.sqrt((c[i]![i]! * c[j]![j]! + c[i]![j]! ** 2) / n);

// Allowances: the exact discretisation bias of each run, from propagating the Gaussian's mean and
// covariance through the (affine, for this exact score) step maps in float64, rounded up:
// EM 500 steps |Δmean| ≤ 0.0020, |Δcov| ≤ 0.0027; Euler 500: 0.0014, 0.0005; Heun 100: 0.0003,
// 0.0002; RK4 50: < 1e-5; exponential integrator 500 steps: exact mean, |Δcov| ≤ 0.0071 (η = 0) and
// ≤ 0.0165 (η = 1: ancestral steps drop the Cov(x₀ | x_t) term, which underestimates the variance).
//
// Deterministic samplers are also checked draw by draw: the covariances S_t = e^{−B}C + (1 − e^{−B})I
// all commute, so the exact probability-flow map from t = 1 to t0 is x ↦ μ₀ + S₀^{1/2}S₁^{−1/2}(x − μ₁).
// The same float64 propagation bounds each discrete map's deviation from it by |offset| + ‖ΔA S₁^{1/2}‖·|z|
// for a draw x = μ₁ + S₁^{1/2}z; with |z| ≤ 6 (n·P(|z| > 6) < 3e-4): Euler 0.0067, Heun 0.0020,
// RK4 6e-6 (float32 rounding, ~1e-5 here, dominates), η = 0 integrator 0.024.
interface DrivenCase {
  readonly label: string;
  readonly allowMean: number;
  readonly allowCov: number;
  /** Max |x − exact flow map(x₁)| over draws, for deterministic samplers. */
  readonly pathwise?: number;
  run(x: tf.Tensor2D): SampleResult;
}

const cases: DrivenCase[] = [
  {
    label: 'eulerMaruyama on reverseTimeSde, 500 steps',
    allowMean: 0.003,
    allowCov: 0.004,
    run: (x) => eulerMaruyama(reverseTimeSde(sde, score), x, uniformGrid(1, t0, 500), { seed: 21 }),
  },
  {
    label: 'eulerOde on probabilityFlow, 500 steps',
    allowMean: 0.002,
    allowCov: 0.001,
    pathwise: 0.0075,
    run: (x) => eulerOde(probabilityFlow(sde, score), x, uniformGrid(1, t0, 500)),
  },
  {
    label: 'heunOde on probabilityFlow, 100 steps',
    allowMean: 0.001,
    allowCov: 0.001,
    pathwise: 0.0025,
    run: (x) => heunOde(probabilityFlow(sde, score), x, uniformGrid(1, t0, 100)),
  },
  {
    label: 'rk4Ode on probabilityFlow, 50 steps',
    allowMean: 0.001,
    allowCov: 0.001,
    pathwise: 2e-4,
    run: (x) => rk4Ode(probabilityFlow(sde, score), x, uniformGrid(1, t0, 50)),
  },
  {
    label: 'exponentialIntegrator η = 0, 500 steps',
    allowMean: 0.001,
    allowCov: 0.01,
    pathwise: 0.025,
    run: (x) => exponentialIntegrator({ sde, score }, x, uniformGrid(1, t0, 500), { eta: 0 }),
  },
  {
    label: 'exponentialIntegrator η = 1, 500 steps',
    allowMean: 0.001,
    allowCov: 0.02,
    run: (x) => exponentialIntegrator({ sde, score }, x, uniformGrid(1, t0, 500), { eta: 1, seed: 22 }),
  },
];

/** max over draws and coordinates of |out − (μ₀ + S₀^{1/2}S₁^{−1/2}(x₁ − μ₁))|, in float64. */
function maxFlowMapDeviation(start: ArrayLike<number>, out: ArrayLike<number>): number {
  const p1 = mixtureMoments(pushForwardMixture(sde, data, 1));
  const a = sqrtmPsd(Matrix.from(c)).mul(inv(sqrtmPsd(Matrix.from(p1.cov))));
  let worst = 0;
  for (let b = 0; b < n; b++) {
    const d0 = start[2 * b]! - p1.mean[0]!;
    const d1 = start[2 * b + 1]! - p1.mean[1]!;
    for (let i = 0; i < 2; i++) {
      const exact = target.mean[i]! + a.get(i, 0) * d0 + a.get(i, 1) * d1;
      worst = Math.max(worst, Math.abs(out[2 * b + i]! - exact));
    }
  }
  return worst;
}

describe('every sampler reproduces Gaussian data N((1, −2), [[1, 0.6], [0.6, 0.5]]) from VP noise', () => {
  let x1: tf.Tensor2D;

  beforeAll(async () => {
    await initBackend('wasm');
    x1 = gaussianMixtureSample(pushForwardMixture(sde, data, 1), n, new Rng(20));
  });

  afterAll(() => {
    x1.dispose();
  });

  it('targets the data up to the t0 = 1e-3 marginal offset', () => {
    const d = mixtureMoments(data);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(target.mean[i]! - d.mean[i]!)).toBeLessThan(2e-4);
      for (let j = 0; j < 2; j++) expect(Math.abs(c[i]![j]! - d.cov[i]![j]!)).toBeLessThan(2e-4);
    }
  });

  it.each(cases)('$label', ({ run, allowMean, allowCov, pathwise }) => {
    const result = run(x1);
    const { mean, cov } = sampleMoments(result.x);
    const out = result.x.dataSync().slice();
    result.x.dispose();
    if (pathwise !== undefined) {
      const worst = maxFlowMapDeviation(x1.dataSync(), out);
      expect(worst).toBeLessThan(pathwise);
    }
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(mean[i]! - target.mean[i]!)).toBeLessThan(4 * seMean[i]! + allowMean);
      for (let j = i; j < 2; j++) {
        expect(Math.abs(cov[i]![j]! - c[i]![j]!)).toBeLessThan(4 * seCov(i, j) + allowCov);
      }
    }
  });
});
