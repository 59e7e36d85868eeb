import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import {
  centralMoment,
  column,
  expectMean,
  expectVariance,
  expectWithinSe,
  mean,
  meanSe,
  simpson,
} from '../testing/monte-carlo.test-helper.js';
import { spiral } from './spiral.js';

const N = 100_000;

// θ = √U·3π − π/2 with U uniform: with s = √U, E g(θ) = ∫₀¹ g(3πs − π/2)·2s ds.
function expectation(g: (theta: number) => number): number {
  return simpson((s) => g(3 * Math.PI * s - Math.PI / 2) * 2 * s);
}

describe('spiral (VSDM data.py Spiral)', () => {
  const points = spiral(N, new Rng(11));
  const x = column(points, 2, 0);
  const y = column(points, 2, 1);

  it('has the exact means and variances of 0.4·((r cos θ, r sin θ) + 0.25 z)', () => {
    const ex = 0.4 * expectation((t) => (t + Math.PI) * Math.cos(t));
    const ey = 0.4 * expectation((t) => (t + Math.PI) * Math.sin(t));
    const exx = 0.16 * (expectation((t) => ((t + Math.PI) * Math.cos(t)) ** 2) + 0.0625);
    const eyy = 0.16 * (expectation((t) => ((t + Math.PI) * Math.sin(t)) ** 2) + 0.0625);
    expectMean('x', x, ex);
    expectMean('y', y, ey);
    expectVariance('x', x, exx - ex * ex);
    expectVariance('y', y, eyy - ey * ey);
  });

  it('has E|p/0.4|² = E r² + 2·0.25² = 6.75π² + 0.125', () => {
    const r2 = x.map((xi, i) => (xi / 0.4) ** 2 + (y[i]! / 0.4) ** 2);
    expectWithinSe('E|q|²', mean(r2), 6.75 * Math.PI ** 2 + 0.125, meanSe(r2));
  });

  it('puts every point near the arm r = θ + π, with radial spread ≈ the 0.25 noise', () => {
    // Undo the 0.4 scaling; the radius of a noise-free point at polar angle φ is φ + π + 2πk for
    // the k that keeps θ = φ + 2πk in [−π/2, 5π/2]; the noise is 0.25 per axis.
    let sumSq = 0;
    let worst = 0;
    for (let i = 0; i < N; i++) {
      const qx = x[i]! / 0.4;
      const qy = y[i]! / 0.4;
      const radius = Math.hypot(qx, qy);
      const phi = Math.atan2(qy, qx);
      let best = Number.POSITIVE_INFINITY;
      for (let k = -1; k <= 2; k++)
        best = Math.min(best, Math.abs(radius - (phi + 2 * Math.PI * k + Math.PI)));
      sumSq += best * best;
      worst = Math.max(worst, best);
    }
    const msr = sumSq / N;
    expect(msr).toBeGreaterThan(0.058);
    expect(msr).toBeLessThan(0.07);
    expect(worst).toBeLessThan(6 * 0.25);
  });

  it('stretches exactly: yScalar 8 multiplies y by 8 and leaves x unchanged (same seed)', () => {
    const stretched = spiral(N, new Rng(11), { yScalar: 8 });
    for (let i = 0; i < N; i++) {
      if (stretched[2 * i] !== points[2 * i] || stretched[2 * i + 1] !== 8 * points[2 * i + 1]!) {
        throw new Error(
          `row ${i}: (${stretched[2 * i]}, ${stretched[2 * i + 1]}) vs (${points[2 * i]}, ${points[2 * i + 1]})`,
        );
      }
    }
    const sd = (v: Float64Array) => Math.sqrt(centralMoment(v, 2));
    expect(sd(column(stretched, 2, 1)) / sd(y)).toBeCloseTo(8, 12);
    const wide = spiral(1000, new Rng(11), { xScalar: 2 });
    const base = spiral(1000, new Rng(11));
    expect(Array.from({ length: 1000 }, (_, i) => wide[2 * i]! / base[2 * i]!).every((r) => r === 2)).toBe(
      true,
    );
  });

  it('is deterministic per seed', () => {
    expect(spiral(500, new Rng(3))).toEqual(spiral(500, new Rng(3)));
    expect(spiral(500, new Rng(3))).not.toEqual(spiral(500, new Rng(4)));
  });

  it('refuses bad n and bad scalars, naming them', () => {
    expect(() => spiral(-1, new Rng(0))).toThrow(/spiral: n must be a non-negative integer.*-1/);
    expect(() => spiral(2.5, new Rng(0))).toThrow(/n must be a non-negative integer.*2\.5/);
    expect(() => spiral(4, new Rng(0), { yScalar: 0 })).toThrow(
      /options\.yScalar must be a finite number > 0, got 0/,
    );
    expect(() => spiral(4, new Rng(0), { xScalar: Number.NaN })).toThrow(/options\.xScalar/);
    expect(spiral(0, new Rng(0))).toHaveLength(0);
  });

  it('draws the arm parameter as 3π√U + π/2: recovered ((θ + π − π/2)/3π)² is uniform on [0, 1]', () => {
    // Recover θ + π of each point as the arm radius nearest to it at its polar angle; the angular
    // noise (≈ 0.25/r) is symmetric to first order, so the recovered U has mean 1/2 and variance 1/12.
    const u = x.map((xi, i) => {
      const qx = xi / 0.4;
      const qy = y[i]! / 0.4;
      const radius = Math.hypot(qx, qy);
      const phi = Math.atan2(qy, qx);
      let arm = Number.NaN;
      for (let k = -1; k <= 2; k++) {
        const cand = phi + 2 * Math.PI * k + Math.PI;
        if (!(Math.abs(radius - arm) <= Math.abs(radius - cand))) arm = cand;
      }
      return ((arm - Math.PI / 2) / (3 * Math.PI)) ** 2;
    });
    expectMean('U', u, 0.5);
    expectVariance('U', u, 1 / 12);
  });
});
