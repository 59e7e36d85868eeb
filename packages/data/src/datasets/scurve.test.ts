import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import {
  column,
  expectMean,
  expectVariance,
  expectWithinSe,
  mean,
  meanSe,
} from '../testing/monte-carlo.test-helper.js';
import { scurve } from './scurve.js';

const N = 100_000;
const NOISE = 0.05;

describe('scurve (TorchCFM runner: sklearn make_s_curve(noise=0.05)[:, [0, 2]]·1.5)', () => {
  const points = scurve(N, new Rng(71));
  // Undo the 1.5 scale: q = (sin t + 0.05 z₁, sign(t)(cos t − 1) + 0.05 z₂), t ~ Unif[−1.5π, 1.5π].
  const qx = column(points, 2, 0).map((v) => v / 1.5);
  const qy = column(points, 2, 1).map((v) => v / 1.5);

  it('has the exact moments of sklearn’s S-curve: E = 0, Var x = ½ + σ², E y² = 3/2 + 4/(3π) + σ², Cov = −1/(3π)', () => {
    expectMean('x', qx, 0);
    expectMean('y', qy, 0);
    expectVariance('x', qx, 0.5 + NOISE ** 2);
    expectVariance('y', qy, 1.5 + 4 / (3 * Math.PI) + NOISE ** 2);
    const mx = mean(qx);
    const my = mean(qy);
    const products = qx.map((v, i) => (v - mx) * (qy[i]! - my));
    expectWithinSe('Cov(x, y)', mean(products), -1 / (3 * Math.PI), meanSe(products));
  });

  it('lies on two unit-circle arcs (centres (0, ±1)) with radial noise of sd 0.05', () => {
    // Away from the junction at the origin, y > 0 belongs to the t < 0 arc (centre (0, 1)) and
    // y < 0 to the t > 0 arc (centre (0, −1)); E r² = σ² − σ⁴/4 + O(σ⁶). Selecting on the noisy y
    // adds a small positive bias (≈ +0.5 SE over 20 seeds), well inside the 4-SE band.
    const residual2: number[] = [];
    let worst = 0;
    for (let i = 0; i < N; i++) {
      const y = qy[i]!;
      if (Math.abs(y) < 0.3) continue;
      const r = Math.hypot(qx[i]!, y - Math.sign(y)) - 1;
      residual2.push(r * r);
      worst = Math.max(worst, Math.abs(r));
    }
    expect(residual2.length).toBeGreaterThan(0.8 * N);
    expectWithinSe('E r²', mean(residual2), NOISE ** 2, meanSe(residual2));
    expect(worst).toBeLessThan(6 * NOISE);
  });

  it('spans [−1.5, 1.5] × [−3, 3] up to the noise, and the options change noise and scale', () => {
    const x = column(points, 2, 0);
    const y = column(points, 2, 1);
    expect(Math.max(...x.map(Math.abs))).toBeLessThan(1.5 * (1 + 6 * NOISE));
    expect(Math.max(...y.map(Math.abs))).toBeLessThan(1.5 * (2 + 6 * NOISE));
    const clean = scurve(1000, new Rng(1), { noise: 0, scale: 1 });
    for (let i = 0; i < 1000; i++) {
      const cx = clean[2 * i]!;
      const cy = clean[2 * i + 1]!;
      expect(Math.abs(Math.hypot(cx, cy - Math.sign(cy)) - 1)).toBeLessThan(1e-6);
    }
  });

  it('is deterministic per seed and validates its options', () => {
    expect(scurve(100, new Rng(1))).toEqual(scurve(100, new Rng(1)));
    expect(scurve(100, new Rng(1))).not.toEqual(scurve(100, new Rng(2)));
    expect(() => scurve(10, new Rng(1), { noise: Number.POSITIVE_INFINITY })).toThrow(
      /scurve: options\.noise/,
    );
    expect(() => scurve(10, new Rng(1), { scale: -1 })).toThrow(
      /scurve: options\.scale must be a finite number > 0/,
    );
  });
});
