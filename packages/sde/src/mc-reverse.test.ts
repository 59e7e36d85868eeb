/**
 * §9 T16 (Nelson / shared marginals): for Gaussian data under a VP SDE, the reverse-time SDE and the
 * probability-flow ODE started from the exact t = 1 marginal must both reproduce the closed-form marginal at
 * t = 0.5. Local Euler(–Maruyama) loops on 1e5 paths in D = 2 (no samplers package). Pass criterion per
 * entry of the mean and covariance: |MC − closed form| ≤ 4 SE + allowance, the allowance being the exact
 * discretisation bias of the scheme (the score of Gaussian data is affine, so the Euler moments obey a
 * closed float64 recursion); and |MC − exact Euler moments| ≤ 4 SE with no allowance.
 */
import { initBackend, inv, Matrix, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pushForwardMixture } from './gaussian-mixture.js';
import { gaussianMixtureSample } from './gaussian-mixture-sample.js';
import { gaussianMixtureScore } from './gaussian-mixture-score.js';
import { linearSchedule } from './linear-schedule.js';
import { probabilityFlow } from './probability-flow.js';
import { reverseTimeSde } from './reverse-time-sde.js';
import type { State } from './sde.js';
import { FastNormals, sampleMoments } from './test-support.test-helper.js';
import { vpSde } from './vp-sde.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const PATHS = 100_000;
const STEPS = 250; // Δt = 0.002 on [0.5, 1]; β ≤ 10 gives βΔt ≤ 0.02
// A moderate schedule keeps the data visible at t = 0.5 (Φ² ≈ 0.28), so the covariance check has power.
const schedule = linearSchedule({ betaMin: 0.1, betaMax: 10 });
const sde = vpSde({ schedule });
const data = {
  weights: [1],
  means: [[3, -1]],
  covs: [
    [
      [2, 0.8],
      [0.8, 1],
    ],
  ],
};
const score = gaussianMixtureScore(sde, data);

/** Closed-form N(m_t, S_t) of the data pushed to time t. */
function exactAt(t: number): { mean: number[]; cov: Matrix } {
  const pushed = pushForwardMixture(sde, data, t);
  return { mean: [...pushed.means[0]!], cov: Matrix.from(pushed.covs[0]!) };
}

/**
 * Integrates from t = 1 down to t = 0.5 with x ← x − Δt·drift(x, t) (+ g√Δt ξ), drift evaluated at the step's
 * upper time, and carries the exact moments of that scheme: with drift = Ax + c,
 * m ← (I − ΔtA)m − Δt c and C ← (I − ΔtA)C(I − ΔtA)ᵀ + g²Δt I. For the reverse SDE
 * A = −½β + βS⁻¹, c = −βS⁻¹m_t; for the flow A = −½β + ½βS⁻¹, c = −½βS⁻¹m_t.
 */
function integrate(
  drift: (x: State, t: number) => State,
  noiseWeight: 0 | 1,
  normals: FastNormals,
): { mc: { mean: number[]; cov: number[][] }; euler: { mean: number[]; cov: Matrix } } {
  const start = exactAt(1);
  let x = gaussianMixtureSample(pushForwardMixture(sde, data, 1), PATHS, new Rng(31));
  let mean = Matrix.from(start.mean.map((v) => [v]));
  let cov = start.cov;
  const dt = 0.5 / STEPS;
  const buffer = new Float32Array(2 * PATHS);
  for (let k = 0; k < STEPS; k++) {
    const t = 1 - k * dt;
    const beta = schedule.beta(t);
    const { mean: mt, cov: st } = exactAt(t);
    const precision = inv(st);
    const scoreWeight = noiseWeight === 1 ? beta : 0.5 * beta;
    const a = Matrix.scalar(2, -0.5 * beta).add(precision.scale(scoreWeight));
    const c = precision.mul(Matrix.from(mt.map((v) => [v]))).scale(-scoreWeight);
    const step = Matrix.eye(2).sub(a.scale(dt));
    mean = step.mul(mean).sub(c.scale(dt));
    cov = step
      .mul(cov)
      .mul(step.transpose())
      .add(Matrix.scalar(2, noiseWeight * beta * dt));
    const g = sde.diffusion(t);
    const noise = noiseWeight === 1 ? tf.tensor2d(normals.fill(buffer), [PATHS, 2]) : undefined;
    const next = tf.tidy(() => {
      const moved = tf.sub(x, tf.mul(drift(x, t), dt));
      return (noise === undefined ? moved : tf.add(moved, tf.mul(noise, g * Math.sqrt(dt)))) as State;
    });
    noise?.dispose();
    x.dispose();
    x = next;
  }
  const mc = sampleMoments(x.dataSync(), 2);
  x.dispose();
  return { mc, euler: { mean: [mean.get(0, 0), mean.get(1, 0)], cov: cov.symmetrize() } };
}

function check(label: string, result: ReturnType<typeof integrate>, allowanceCap: number): void {
  const exact = exactAt(0.5);
  const s = exact.cov;
  for (let i = 0; i < 2; i++) {
    const se = Math.sqrt(s.get(i, i) / PATHS);
    const bias = Math.abs(result.euler.mean[i]! - exact.mean[i]!);
    expect(bias, `${label}: mean[${i}] Euler bias`).toBeLessThan(allowanceCap);
    expect(Math.abs(result.mc.mean[i]! - exact.mean[i]!), `${label}: mean[${i}] vs closed form`).toBeLessThan(
      4 * se + bias,
    );
    expect(
      Math.abs(result.mc.mean[i]! - result.euler.mean[i]!),
      `${label}: mean[${i}] vs Euler`,
    ).toBeLessThan(4 * se);
    for (let j = 0; j < 2; j++) {
      const seCov = Math.sqrt((s.get(i, i) * s.get(j, j) + s.get(i, j) ** 2) / PATHS);
      const biasCov = Math.abs(result.euler.cov.get(i, j) - s.get(i, j));
      expect(biasCov, `${label}: cov[${i}][${j}] Euler bias`).toBeLessThan(allowanceCap);
      expect(
        Math.abs(result.mc.cov[i]![j]! - s.get(i, j)),
        `${label}: cov[${i}][${j}] vs closed form`,
      ).toBeLessThan(4 * seCov + biasCov);
      expect(
        Math.abs(result.mc.cov[i]![j]! - result.euler.cov.get(i, j)),
        `${label}: cov[${i}][${j}] vs Euler`,
      ).toBeLessThan(4 * seCov);
    }
  }
}

describe('§9 T16: reverse SDE and probability-flow ODE share the VP marginals of Gaussian data', () => {
  it('reverse-time SDE (EM, 250 steps, 1e5 paths) from the exact t = 1 marginal matches N(m₀.₅, S₀.₅) at t = 0.5', () => {
    const reverse = reverseTimeSde(sde, score);
    // Allowance cap 0.01: the computed EM bias must itself be small, or the check would be vacuous.
    check(
      'reverse SDE',
      integrate((x, t) => reverse.drift(x, t), 1, new FastNormals(new Rng(41))),
      0.01,
    );
  });

  it('probability-flow ODE (Euler, 250 steps, 1e5 paths) matches the same marginal', () => {
    const flow = probabilityFlow(sde, score);
    check(
      'PF-ODE',
      integrate((x, t) => flow.velocity(x, t), 0, new FastNormals(new Rng(42))),
      0.01,
    );
  });
});
