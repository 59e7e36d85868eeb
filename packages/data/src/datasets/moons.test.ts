import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { column, expectWithinSe, mean } from '../testing/monte-carlo.test-helper.js';
import { moons } from './moons.js';

const N = 100_000;
const TOL = 2e-5;

/** The noise-free arm points of torchdyn/sklearn's moons: ⌊n/2⌋ outer, then the inner arm. */
function armPoints(n: number): { ax: Float64Array; ay: Float64Array } {
  const nOut = Math.floor(n / 2);
  const ax = new Float64Array(n);
  const ay = new Float64Array(n);
  const grid = (count: number, i: number) => (count === 1 ? 0 : (Math.PI * i) / (count - 1));
  for (let i = 0; i < nOut; i++) {
    ax[i] = Math.cos(grid(nOut, i));
    ay[i] = Math.sin(grid(nOut, i));
  }
  for (let i = 0; i < n - nOut; i++) {
    ax[nOut + i] = 1 - Math.cos(grid(n - nOut, i));
    ay[nOut + i] = 0.5 - Math.sin(grid(n - nOut, i));
  }
  return { ax, ay };
}

function variance(v: ArrayLike<number>): number {
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return s / v.length;
}

/**
 * Shifts u ∈ [0, 0.2] (within TOL) with p − (u, u) on the unit half-circle centred at c, on the side
 * sign·(y − c_y) ≥ 0: roots of |p − c − (u, u)|² = 1.
 */
function shiftsOntoArm(px: number, py: number, cx: number, cy: number, side: 1 | -1): number[] {
  const qx = px - cx;
  const qy = py - cy;
  const b = qx + qy;
  const disc = b * b - 2 * (qx * qx + qy * qy - 1);
  if (disc < -TOL) return [];
  const root = Math.sqrt(Math.max(disc, 0));
  return [(b - root) / 2, (b + root) / 2].filter(
    (u) => u >= -TOL && u <= 0.2 + TOL && side * (qy - u) >= -TOL,
  );
}

describe('moons (TorchCFM sample_moons: torchdyn generate_moons(n, 0.2)·3 − 1)', () => {
  const points = moons(N, new Rng(61));
  // Undo the ×3 − 1 map.
  const px = column(points, 2, 0).map((v) => (v + 1) / 3);
  const py = column(points, 2, 1).map((v) => (v + 1) / 3);
  const { ax, ay } = armPoints(N);

  it('puts every point on an arm shifted by (u, u), u ∈ [0, 0.2): ⌊n/2⌋ on the outer arm, the rest on the inner', () => {
    let outer = 0;
    let inner = 0;
    for (let i = 0; i < N; i++) {
      const onOuter = shiftsOntoArm(px[i]!, py[i]!, 0, 0, 1).length > 0;
      const onInner = shiftsOntoArm(px[i]!, py[i]!, 1, 0.5, -1).length > 0;
      if (onOuter === onInner)
        throw new Error(`row ${i} (${px[i]}, ${py[i]}): outer ${onOuter}, inner ${onInner}`);
      if (onOuter) outer++;
      else inner++;
    }
    expect(outer).toBe(N / 2);
    expect(inner).toBe(N / 2);
  });

  it('adds the same shift to x and y: the multiset of x − y is exactly that of the noise-free grid', () => {
    const got = px.map((v, i) => v - py[i]!).sort();
    const want = ax.map((v, i) => v - ay[i]!).sort();
    let worst = 0;
    for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(worst).toBeLessThan(TOL);
  });

  it('draws the shift u from Unif[0, 0.2): mean 0.1, variance 0.2²/12, read off x + y', () => {
    // x + y = a_x + a_y + 2u with the arm points a fixed by the grid.
    const s = px.map((v, i) => v + py[i]!);
    const a = ax.map((v, i) => v + ay[i]!);
    const sdU = 0.2 / Math.sqrt(12);
    expectWithinSe('E u', (mean(s) - mean(a)) / 2, 0.1, sdU / Math.sqrt(N));
    // var(s) = var(a) + 4 var(u) + 4 cov(a, u); the last two fluctuate at the stated SE.
    const varU = (0.2 ** 4 / 80 - (0.04 / 12) ** 2) / N;
    const cov = (variance(a) * sdU ** 2) / N;
    expectWithinSe('Var u', (variance(s) - variance(a)) / 4, 0.04 / 12, Math.sqrt(varU + cov));
  });

  it('shuffles the rows so every prefix holds both arms', () => {
    const first = px.slice(0, 100).map((v, i) => (shiftsOntoArm(v, py[i]!, 0, 0, 1).length > 0 ? 1 : 0));
    const outer = first.reduce((a, b) => a + b, 0);
    expect(outer).toBeGreaterThan(20);
    expect(outer).toBeLessThan(80);
  });

  it("with noiseModel 'sklearn' adds isotropic N(0, 0.2²): exact grid means, variances and covariance", () => {
    const g = moons(N, new Rng(62), { noiseModel: 'sklearn' });
    const x = column(g, 2, 0).map((v) => (v + 1) / 3);
    const y = column(g, 2, 1).map((v) => (v + 1) / 3);
    const s2 = 0.04;
    expectWithinSe('E x', mean(x), mean(ax), Math.sqrt(s2 / N));
    expectWithinSe('E y', mean(y), mean(ay), Math.sqrt(s2 / N));
    expectWithinSe(
      'Var x',
      variance(x),
      variance(ax) + s2,
      Math.sqrt((4 * variance(ax) * s2 + 2 * s2 * s2) / N),
    );
    expectWithinSe(
      'Var y',
      variance(y),
      variance(ay) + s2,
      Math.sqrt((4 * variance(ay) * s2 + 2 * s2 * s2) / N),
    );
    const mx = mean(x);
    const my = mean(y);
    const cov = mean(x.map((v, i) => (v - mx) * (y[i]! - my)));
    const gx = mean(ax);
    const gy = mean(ay);
    const gridCov = mean(ax.map((v, i) => (v - gx) * (ay[i]! - gy)));
    expectWithinSe('Cov(x, y)', cov, gridCov, Math.sqrt((s2 * (variance(ax) + variance(ay)) + s2 * s2) / N));
  });

  it('handles tiny n like numpy.linspace (n = 1: one inner point at angle 0), is deterministic, validates options', () => {
    expect(Array.from(moons(1, new Rng(0), { noise: 0 }))).toEqual([
      Math.fround(0 * 3 - 1),
      Math.fround(0.5 * 3 - 1),
    ]);
    const three = moons(3, new Rng(0), { noise: 0 });
    const rows = [0, 1, 2].map((i) => `${three[2 * i]},${three[2 * i + 1]}`).sort();
    // Outer arm: 1 point at angle 0 → (1, 0); inner: angles 0 and π → (0, 0.5) and (2, 0.5); then ×3 − 1.
    expect(rows).toEqual(['-1,0.5', '2,-1', '5,0.5'].sort());
    expect(moons(100, new Rng(1))).toEqual(moons(100, new Rng(1)));
    expect(moons(100, new Rng(1))).not.toEqual(moons(100, new Rng(2)));
    expect(() => moons(10, new Rng(1), { noise: -0.1 })).toThrow(
      /moons: options\.noise must be a finite number >= 0/,
    );
    expect(() => moons(10, new Rng(1), { noiseModel: 'gauss' as 'sklearn' })).toThrow(
      /options\.noiseModel must be 'torchdyn' or 'sklearn', got "gauss"/,
    );
  });

  it("with placement 'iid' draws arm ~ Bernoulli(½) and angle ~ Unif[0, π) per point, on the same arms", () => {
    const g = moons(N, new Rng(63), { placement: 'iid', noise: 0 });
    let outer = 0;
    const phis: number[] = [];
    for (let i = 0; i < N; i++) {
      const x = (g[2 * i]! + 1) / 3;
      const y = (g[2 * i + 1]! + 1) / 3;
      const onOuter = Math.abs(x * x + y * y - 1) < 1e-5 && y >= -1e-6;
      const onInner = Math.abs((x - 1) ** 2 + (y - 0.5) ** 2 - 1) < 1e-5 && y <= 0.5 + 1e-6;
      if (onOuter === onInner) throw new Error(`row ${i} (${x}, ${y}): outer ${onOuter}, inner ${onInner}`);
      if (onOuter) {
        outer++;
        phis.push(Math.atan2(Math.max(y, 0), x));
      }
    }
    // Binomial(N, ½): SE √(N/4); the angle Unif[0, π): mean π/2, SE π/√(12·count).
    expectWithinSe('outer count', outer, N / 2, Math.sqrt(N / 4));
    expectWithinSe('E φ', mean(phis), Math.PI / 2, Math.PI / Math.sqrt(12 * phis.length));
    expectWithinSe(
      'P(φ < π/4)',
      mean(phis.map((p) => (p < Math.PI / 4 ? 1 : 0))),
      0.25,
      Math.sqrt(0.1875 / phis.length),
    );
    // A grid draw has exactly N/2 per arm; the iid draw is not a permutation of it.
    expect(outer).not.toBe(N / 2);
    expect(() => moons(10, new Rng(1), { placement: 'random' as 'iid' })).toThrow(
      /options\.placement must be 'grid' or 'iid', got "random"/,
    );
  });
});
