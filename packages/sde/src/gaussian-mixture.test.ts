import { initBackend, inv, Matrix, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mixtureMoments, pushForwardMixture } from './gaussian-mixture.js';
import { gaussianMixtureSample } from './gaussian-mixture-sample.js';
import { gaussianMixtureLogDensity, gaussianMixtureScore } from './gaussian-mixture-score.js';
import { linearSchedule } from './linear-schedule.js';
import { LinearSde } from './linear-sde.js';
import { ringMixture } from './ring-mixture.js';
import type { State } from './sde.js';
import { sampleMoments } from './test-support.test-helper.js';
import { veSde } from './ve-sde.js';
import { vpSde } from './vp-sde.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const vp = vpSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) });
const coupled = new LinearSde({
  name: 'coupled-2x2',
  timeChange: {
    schedule: linearSchedule({ betaMin: 0.5, betaMax: 3 }),
    f0: Matrix.from([
      [-0.3, 1.2],
      [-0.8, -0.4],
    ]),
    q0: Matrix.diag([1, 0.1]),
  },
});
const skewed = {
  weights: [2, 1, 1],
  means: [
    [-2, 1],
    [1.5, 0.5],
    [0, -3],
  ],
  covs: [
    [
      [1, 0.3],
      [0.3, 0.5],
    ],
    [
      [0.4, -0.1],
      [-0.1, 0.8],
    ],
    [
      [0.2, 0],
      [0, 0.2],
    ],
  ],
};

const points = () =>
  tf.tensor2d([
    [0.3, -1.2],
    [2.5, 0.7],
    [-1, 1],
    [4, 0.1],
    [-3.5, -3],
  ]) as State;

describe('gaussianMixtureScore', () => {
  const cases = [
    ['ring mixture under VP', vp, ringMixture()],
    ['skewed mixture under VP', vp, skewed],
    ['skewed mixture under VE', veSde({ sigmaMin: 0.01, sigmaMax: 5 }), skewed],
    ['skewed mixture under a coupled 2-block SDE', coupled, skewed],
  ] as const;
  for (const [label, sde, mixture] of cases) {
    it(`${label}: equals tf.grad of the log density`, () => {
      const score = gaussianMixtureScore(sde, mixture);
      const logp = gaussianMixtureLogDensity(sde, mixture);
      const x = points();
      for (const t of [0.02, 0.3, 0.8]) {
        const analytic = score(x, t);
        const auto = tf.grad((z: tf.Tensor) => tf.sum(logp(z as State, t)))(x);
        const a = analytic.dataSync();
        const b = auto.dataSync();
        let scale = 1;
        for (const v of b) scale = Math.max(scale, Math.abs(v));
        for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(2e-5 * scale);
        tf.dispose([analytic, auto]);
      }
      x.dispose();
    });
  }

  it('for one component equals −Σ⁻¹(x − μ) with μ = Φm, Σ = Φ²C + Q·I', () => {
    const one = { weights: [1], means: [[1, -2]], covs: [skewed.covs[0]!] };
    const score = gaussianMixtureScore(vp, one);
    const logp = gaussianMixtureLogDensity(vp, one);
    const x = points();
    const xv = x.dataSync();
    for (const t of [0.05, 0.5]) {
      const { phi, cov } = vp.transition(0, t);
      const f = phi.get(0, 0);
      const sigma = Matrix.from(one.covs[0]!)
        .scale(f * f)
        .add(Matrix.scalar(2, cov.get(0, 0)));
      const p = inv(sigma);
      const got = score(x, t).dataSync();
      const lp = logp(x, t).dataSync();
      for (let b = 0; b < 5; b++) {
        const d0 = xv[2 * b]! - f * 1;
        const d1 = xv[2 * b + 1]! + f * 2;
        expect(got[2 * b]).toBeCloseTo(-(p.get(0, 0) * d0 + p.get(0, 1) * d1), 4);
        expect(got[2 * b + 1]).toBeCloseTo(-(p.get(1, 0) * d0 + p.get(1, 1) * d1), 4);
        const quad = d0 * (p.get(0, 0) * d0 + p.get(0, 1) * d1) + d1 * (p.get(1, 0) * d0 + p.get(1, 1) * d1);
        const det = sigma.get(0, 0) * sigma.get(1, 1) - sigma.get(0, 1) ** 2;
        expect(lp[b]).toBeCloseTo(-0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI), 4);
      }
    }
    x.dispose();
  });

  it('leaves no tensors behind and rejects a wrong width or a singular density', () => {
    const score = gaussianMixtureScore(vp, skewed);
    const x = points();
    const before = tf.memory().numTensors;
    score(x, 0.5).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const wide = tf.zeros([2, 3]) as State;
    expect(() => score(wide, 0.5)).toThrow(/x must be a \[B, 2\] tensor, got \[2, 3\]/);
    const point = {
      weights: [1],
      means: [[0, 0]],
      covs: [
        [
          [0, 0],
          [0, 0],
        ],
      ],
    };
    expect(() => gaussianMixtureScore(vp, point)(x, 0)).toThrow(/component 0 is singular/);
    tf.dispose([x, wide]);
  });
});

describe('mixture helpers', () => {
  it('pushForwardMixture at t = 0 is the normalized mixture; mixtureMoments uses the law of total variance', () => {
    const pushed = pushForwardMixture(vp, skewed, 0);
    expect(pushed.weights).toEqual([0.5, 0.25, 0.25]);
    expect(pushed.means).toEqual(skewed.means);
    expect(pushed.covs).toEqual(skewed.covs);
    const { mean, cov } = mixtureMoments({ weights: [1, 1], means: [[-1], [1]], covs: [[[0.5]], [[0.5]]] });
    expect(mean[0]).toBeCloseTo(0, 15);
    expect(cov[0]![0]).toBeCloseTo(1.5, 15);
  });

  it('gaussianMixtureSample has the mixture moments within 4 SE (1e5 samples) and is reproducible', () => {
    const n = 100_000;
    const x = gaussianMixtureSample(skewed, n, new Rng(7));
    const small = gaussianMixtureSample(skewed, 10, new Rng(7));
    const again = gaussianMixtureSample(skewed, 10, new Rng(7));
    expect(Array.from(again.dataSync())).toEqual(Array.from(small.dataSync()));
    const { mean, cov } = sampleMoments(x.dataSync(), 2);
    const exact = mixtureMoments(skewed);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(mean[i]! - exact.mean[i]!)).toBeLessThan(4 * Math.sqrt(exact.cov[i]![i]! / n));
      for (let j = 0; j < 2; j++) {
        // Var of a sample covariance entry ≤ E[(x_i x_j)²]/n; the bound below uses the Gaussian value ×3 as headroom
        // for the mixture's heavier tails.
        const se = Math.sqrt((3 * (exact.cov[i]![i]! * exact.cov[j]![j]! + exact.cov[i]![j]! ** 2)) / n);
        expect(Math.abs(cov[i]![j]! - exact.cov[i]![j]!)).toBeLessThan(4 * se);
      }
    }
    tf.dispose([x, small, again]);
  });

  it('ringMixture puts equal weights on a circle', () => {
    const ring = ringMixture({ components: 4, radius: 2, std: 0.1 });
    expect(ring.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(ring.means[1]![0]).toBeCloseTo(0, 15);
    expect(ring.means[1]![1]).toBeCloseTo(2, 15);
    expect(ring.covs[0]).toEqual([
      [0.010000000000000002, 0],
      [0, 0.010000000000000002],
    ]);
    expect(() => ringMixture({ components: 0 })).toThrow(/components must be a positive integer, got 0/);
  });

  it('validates mixtures with messages naming the field', () => {
    const bad = (patch: object) => () => gaussianMixtureScore(vp, { ...skewed, ...patch });
    expect(bad({ weights: [1, -1, 1] })).toThrow(/mixture.weights\[1\] must be a finite number > 0, got -1/);
    expect(bad({ means: [[0, 0], [0], [0, 0]] })).toThrow(/mixture.means\[1\] has length 1, expected 2/);
    expect(
      bad({
        covs: [
          [
            [1, 0.5],
            [0, 1],
          ],
          skewed.covs[1],
          skewed.covs[2],
        ],
      }),
    ).toThrow(/covs\[0\] must be symmetric/);
    expect(
      bad({
        covs: [
          [
            [1, 2],
            [2, 1],
          ],
          skewed.covs[1],
          skewed.covs[2],
        ],
      }),
    ).toThrow(/covs\[0\].*not positive semidefinite/);
    expect(() => gaussianMixtureSample(skewed, 1.5, new Rng(1))).toThrow(
      /n must be a non-negative integer, got 1.5/,
    );
    const odd = {
      weights: [1],
      means: [[0, 0, 0]],
      covs: [
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      ],
    };
    expect(() => gaussianMixtureScore(coupled, odd)).toThrow(
      /dimension 3 must be a multiple of .*blocks = 2/,
    );
  });
});
