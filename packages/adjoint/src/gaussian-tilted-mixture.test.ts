import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { gaussianTilt } from './gaussian-tilt.js';
import { gaussianTiltedMixture } from './gaussian-tilted-mixture.js';
import { tiltWeights, weightedMean } from './importance.test-helper.js';

/** Two overlapping components, one with a full covariance, in 2-D. */
const base = {
  weights: [0.3, 0.7],
  means: [
    [-1, 0.5],
    [1.2, -0.3],
  ],
  covs: [
    [
      [0.5, 0.2],
      [0.2, 0.4],
    ],
    [
      [0.3, 0],
      [0, 0.6],
    ],
  ],
};
const a = 0.8;
const c = [1.5, 1];
const lambda = 1.3;

/** n draws of the base mixture (component labels too), float64 on the host. */
function drawBase(n: number, rng: Rng): { x: Float64Array; label: Int32Array } {
  const u = rng.uniform(n);
  const z = rng.normal(2 * n);
  const x = new Float64Array(2 * n);
  const label = new Int32Array(n);
  const chol = base.covs.map((cv) => {
    const l00 = Math.sqrt(cv[0]![0]!);
    const l10 = cv[1]![0]! / l00;
    return [l00, l10, Math.sqrt(cv[1]![1]! - l10 * l10)];
  });
  for (let i = 0; i < n; i++) {
    const k = u[i]! < base.weights[0]! ? 0 : 1;
    const [l00, l10, l11] = chol[k]!;
    label[i] = k;
    x[2 * i] = base.means[k]![0]! + l00! * z[2 * i]!;
    x[2 * i + 1] = base.means[k]![1]! + l10! * z[2 * i]! + l11! * z[2 * i + 1]!;
  }
  return { x, label };
}

describe('gaussianTiltedMixture: a Gaussian mixture tilted by r = −(a/2)‖x − c‖²', () => {
  it('matches importance weights e^{λr} on 2·10⁵ base draws: component masses, means and covariances (4 SE)', () => {
    const n = 200_000;
    const { x, label } = drawBase(n, new Rng(21));
    const rewards = Float64Array.from(
      { length: n },
      (_, i) => -0.5 * a * ((x[2 * i]! - c[0]!) ** 2 + (x[2 * i + 1]! - c[1]!) ** 2),
    );
    const w = tiltWeights(rewards, lambda);
    const tilted = gaussianTiltedMixture(base, { a, c, lambda });
    for (let k = 0; k < 2; k++) {
      const mass = weightedMean(w, (i) => (label[i] === k ? 1 : 0));
      expect(Math.abs(mass.mean - tilted.weights[k]!)).toBeLessThan(4 * mass.se);
      // within component k: E[x | k] and E[x xᵀ | k] under the tilt
      const inK = Float64Array.from(w, (v, i) => (label[i] === k ? v : 0));
      const total = inK.reduce((s, v) => s + v, 0);
      const wk = inK.map((v) => v / total);
      for (let r = 0; r < 2; r++) {
        const m = weightedMean(wk, (i) => x[2 * i + r]!);
        expect(Math.abs(m.mean - tilted.means[k]![r]!)).toBeLessThan(4 * m.se);
      }
      const mu = tilted.means[k]!;
      const cross = weightedMean(wk, (i) => (x[2 * i]! - mu[0]!) * (x[2 * i + 1]! - mu[1]!));
      expect(Math.abs(cross.mean - tilted.covs[k]![0]![1]!)).toBeLessThan(4 * cross.se);
      const v0 = weightedMean(wk, (i) => (x[2 * i]! - mu[0]!) ** 2);
      expect(Math.abs(v0.mean - tilted.covs[k]![0]![0]!)).toBeLessThan(4 * v0.se);
    }
  });

  it('is gaussianTilt for one isotropic component, and the base (weights normalised) at λ = 0', () => {
    const one = {
      weights: [2],
      means: [[0.7, -0.4]],
      covs: [
        [
          [0.25, 0],
          [0, 0.25],
        ],
      ],
    };
    const t = gaussianTiltedMixture(one, { a: 2, c: [-1, 0.8], lambda: 1.5 });
    const exact = gaussianTilt({ mean: [0.7, -0.4], variance: 0.25, a: 2, c: [-1, 0.8], lambda: 1.5 });
    expect(t.weights).toEqual([1]);
    for (let r = 0; r < 2; r++) {
      expect(t.means[0]![r]).toBeCloseTo(exact.mean[r]!, 12);
      expect(t.covs[0]![r]![r]).toBeCloseTo(exact.variance[r]!, 12);
    }
    const same = gaussianTiltedMixture(base, { a, c, lambda: 0 });
    expect(same.weights).toEqual([0.3, 0.7]);
    expect(same.means).toEqual(base.means);
  });

  it('names the bad argument', () => {
    expect(() => gaussianTiltedMixture(base, { a: 0, c, lambda })).toThrow(
      /gaussianTiltedMixture: a must be/,
    );
    expect(() => gaussianTiltedMixture(base, { a, c, lambda: -1 })).toThrow(/lambda must be/);
    expect(() => gaussianTiltedMixture(base, { a, c: [1, 2, 3], lambda })).toThrow(/c/);
  });
});
