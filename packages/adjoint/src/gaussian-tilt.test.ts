import { initBackend, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianTilt } from './gaussian-tilt.js';
import { gaussianTiltReward } from './gaussian-tilt-reward.js';
import { tiltWeights, weightedMean } from './importance.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('gaussianTilt: N(m, s²)·e^{λr}, r = −(a/2)(x − c)² (T12)', () => {
  it("gives T22's tilted law: m = 0.7, s = 0.5, a = 2, c = −1, λ = 1.5 ⇒ N(−0.2/7, 1/7)", () => {
    const p = gaussianTilt({ mean: 0.7, variance: 0.25, a: 2, c: -1, lambda: 1.5 });
    expect(p.mean[0]).toBeCloseTo(-0.2 / 7, 14);
    expect(p.variance[0]).toBeCloseTo(1 / 7, 14);
  });

  it('works per coordinate and returns the base at λ = 0', () => {
    const p = gaussianTilt({ mean: [0, 1], variance: [1, 0.25], a: 1, c: [0.5, -1], lambda: 2 });
    expect(p.mean[0]).toBeCloseTo(1 / 3, 14);
    expect(p.mean[1]).toBeCloseTo(1 / 3, 14);
    expect(p.variance[0]).toBeCloseTo(1 / 3, 14);
    expect(p.variance[1]).toBeCloseTo(1 / 6, 14);
    expect(gaussianTilt({ mean: [0.3, -2], variance: 0.5, a: 3, c: 1, lambda: 0 })).toEqual({
      mean: [0.3, -2],
      variance: [0.5, 0.5],
    });
  });

  it('agrees with importance weights e^{λ r(x)} on 2·10⁵ base draws (4 standard errors)', () => {
    const base = { mean: [0.7, -0.4], std: [0.5, 1.2] };
    const a = 2;
    const c = [-1, 0.8];
    const lambda = 1.5;
    const exact = gaussianTilt({ mean: base.mean, variance: base.std.map((s) => s * s), a, c, lambda });
    const n = 200_000;
    const z = new Rng(9).normal(2 * n);
    const xs = Float64Array.from(z, (v, i) => base.mean[i % 2]! + base.std[i % 2]! * v);
    const x = tf.tensor2d(Float32Array.from(xs), [n, 2]);
    const r = gaussianTiltReward({ a, c }).value(x);
    const w = tiltWeights(r.dataSync(), lambda);
    for (let j = 0; j < 2; j++) {
      const mean = weightedMean(w, (i) => xs[2 * i + j]!);
      expect(Math.abs(mean.mean - exact.mean[j]!)).toBeLessThan(4 * mean.se);
      const variance = weightedMean(w, (i) => (xs[2 * i + j]! - exact.mean[j]!) ** 2);
      expect(Math.abs(variance.mean - exact.variance[j]!)).toBeLessThan(4 * variance.se);
      expect(mean.se).toBeLessThan(0.01); // the check is sharp enough to see a wrong formula
    }
    tf.dispose([x, r]);
  });

  it('errors name the argument', () => {
    expect(() => gaussianTilt({ mean: 0, variance: [1, 0], a: 1, c: 0, lambda: 1 })).toThrow(
      /gaussianTilt: variance\[1\] must be a finite number > 0, got 0/,
    );
    expect(() => gaussianTilt({ mean: [0, 1, 2], variance: [1, 1], a: 1, c: 0, lambda: 1 })).toThrow(
      /variance must be one number or 3 numbers \(one per coordinate\), got 2/,
    );
    expect(() => gaussianTilt({ mean: 0, variance: 1, a: 1, c: 0, lambda: -1 })).toThrow(
      /lambda must be a finite number ≥ 0/,
    );
  });
});

describe('gaussianTiltReward', () => {
  it('value −(a/2)‖x − c‖² and gradient −a(x − c) match the formula and finite differences', () => {
    const reward = gaussianTiltReward({ a: 1.7, c: [0.5, -1, 2] });
    const xs = Float64Array.from(new Rng(3).normalFloat32(4 * 3));
    const x = tf.tensor2d(Float32Array.from(xs), [4, 3]);
    const value = reward.value(x);
    const gradient = reward.gradient(x);
    expect(value.shape).toEqual([4]);
    const c = [0.5, -1, 2];
    const host = (y: Float64Array) => y.reduce((s, v, i) => s - 0.85 * (v - c[i % 3]!) ** 2, 0);
    for (let b = 0; b < 4; b++) {
      expect(value.dataSync()[b]).toBeCloseTo(host(xs.slice(3 * b, 3 * b + 3)), 5);
    }
    expect(relativeError(gradient.dataSync(), fdGradient(host, xs))).toBeLessThan(1e-5);
    tf.dispose([x, value, gradient]);
  });

  it('errors name the argument', () => {
    expect(() => gaussianTiltReward({ a: 0, c: 0 })).toThrow(
      /gaussianTiltReward: a must be a finite number > 0, got 0/,
    );
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => gaussianTiltReward({ a: 1, c: [0, 1] }).value(x)).toThrow(
      /x must have shape \[B, 2\], got \[2, 3\]/,
    );
    x.dispose();
  });
});
