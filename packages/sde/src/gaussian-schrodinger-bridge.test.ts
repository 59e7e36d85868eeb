import { Matrix, sqrtmPsd } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { constantSchedule } from './constant-schedule.js';
import { brownianBridgeCoupling, vpBridgeCoupling } from './gaussian-schrodinger-bridge.js';
import { linearSchedule } from './linear-schedule.js';

const one = (s0: number, s1: number) => ({
  mean0: [0.3],
  cov0: Matrix.from([[s0 * s0]]),
  mean1: [-1],
  cov1: Matrix.from([[s1 * s1]]),
});

/**
 * Entropic coupling of two discretised 1-D Gaussians under a Gaussian transition kernel
 * k(x0, x1) = N(x1; a·x0, v), by Sinkhorn iterations: an independent check of the closed forms.
 */
function sinkhornCrossCov(s0: number, s1: number, a: number, v: number): number {
  const n = 241;
  const grid = (s: number) => Float64Array.from({ length: n }, (_, i) => -7 * s + (14 * s * i) / (n - 1));
  const x0 = grid(s0);
  const x1 = grid(s1);
  const p = x0.map((x) => Math.exp((-0.5 * x * x) / (s0 * s0)));
  const q = x1.map((x) => Math.exp((-0.5 * x * x) / (s1 * s1)));
  const sp = p.reduce((s, x) => s + x, 0);
  const sq = q.reduce((s, x) => s + x, 0);
  for (let i = 0; i < n; i++) {
    p[i]! /= sp;
    q[i]! /= sq;
  }
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) k[i * n + j] = Math.exp((-0.5 * (x1[j]! - a * x0[i]!) ** 2) / v);
  const u = new Float64Array(n).fill(1);
  const w = new Float64Array(n).fill(1);
  for (let it = 0; it < 5000; it++) {
    let drift = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += k[i * n + j]! * w[j]!;
      const next = p[i]! / s;
      drift = Math.max(drift, Math.abs(next - u[i]!) / Math.max(next, 1e-300));
      u[i] = next;
    }
    if (it > 10 && drift < 1e-12) break;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += k[i * n + j]! * u[i]!;
      w[j] = q[j]! / s;
    }
  }
  let c = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) c += u[i]! * k[i * n + j]! * w[j]! * x0[i]! * x1[j]!;
  return c;
}

describe('Gaussian Schrödinger bridge couplings', () => {
  it('Brownian reference: algorithms.md T15 (s0 = 1, s1 = 0.6, σ = 0.3 → 0.556685) and Sinkhorn', () => {
    expect(brownianBridgeCoupling(one(1, 0.6), 0.09).get(0, 0)).toBeCloseTo(0.556685, 6);
    // Sinkhorn with the BM kernel N(x1; x0, σ²) on the same laws, σ² = 0.5.
    expect(brownianBridgeCoupling(one(1, 0.6), 0.5).get(0, 0)).toBeCloseTo(
      sinkhornCrossCov(1, 0.6, 1, 0.5),
      3,
    );
  });

  it('VP reference: matches Sinkhorn under the OU kernel N(x1; e^{−B/2}x0, 1 − e^{−B})', () => {
    const schedule = constantSchedule(1.5);
    const b = 1.5;
    const got = vpBridgeCoupling(one(1.2, 0.7), schedule).get(0, 0);
    const want = sinkhornCrossCov(1.2, 0.7, Math.exp(-b / 2), -Math.expm1(-b));
    expect(got).toBeCloseTo(want, 3);
    // A strongly mixing reference forgets X₀: the coupling tends to independence.
    expect(
      Math.abs(vpBridgeCoupling(one(1.2, 0.7), linearSchedule({ betaMin: 0.1, betaMax: 40 })).get(0, 0)),
    ).toBeLessThan(0.01);
  });

  it('d-dimensional: σ² → 0 gives the optimal-transport cross-covariance; the result is real and consistent', () => {
    const cov0 = Matrix.from([
      [1, 1],
      [1, 5],
    ]);
    const cov1 = Matrix.from([
      [2, -0.3],
      [-0.3, 0.5],
    ]);
    const ends = { mean0: [-8, 2], cov0, mean1: [0, 0], cov1 };
    const r0 = sqrtmPsd(cov0);
    // OT map T = Σ0^{−1/2}(Σ0^{1/2}Σ1Σ0^{1/2})^{1/2}Σ0^{−1/2}: Cov(X0, T X0) = Σ0 Tᵀ = r0 (r0 Σ1 r0)^{1/2} r0^{−1}.
    const mid = sqrtmPsd(r0.mul(cov1).mul(r0));
    const ot = brownianBridgeCoupling(ends, 1e-9);
    const want = r0
      .mul(mid)
      .mul(
        Matrix.from([
          [1, 0],
          [0, 1],
        ]),
      )
      .mul(invert2(r0));
    for (let i = 0; i < 4; i++) expect(ot.data[i]!).toBeCloseTo(want.data[i]!, 6);
    // The joint covariance [[Σ0, C], [Cᵀ, Σ1]] is positive semidefinite for every σ².
    for (const s2 of [0.01, 1, 10]) {
      const c = brownianBridgeCoupling(ends, s2);
      const schur = cov1.sub(c.transpose().mul(invert2(cov0)).mul(c));
      expect(schur.get(0, 0)).toBeGreaterThan(0);
      expect(schur.get(0, 0) * schur.get(1, 1) - schur.get(0, 1) * schur.get(1, 0)).toBeGreaterThan(0);
    }
  });

  it('refuses mismatched shapes and a non-positive σ², naming the argument', () => {
    expect(() => brownianBridgeCoupling(one(1, 1), 0)).toThrow(/sigma2 must be a finite number > 0, got 0/);
    expect(() => brownianBridgeCoupling({ ...one(1, 1), mean1: [1, 2] }, 1)).toThrow(
      /mean1 must have 1 entries, got 2/,
    );
    expect(() => brownianBridgeCoupling({ ...one(1, 1), cov1: Matrix.eye(2) }, 1)).toThrow(
      /cov1 must be 1×1/,
    );
  });
});

function invert2(m: Matrix): Matrix {
  const det = m.get(0, 0) * m.get(1, 1) - m.get(0, 1) * m.get(1, 0);
  return Matrix.from([
    [m.get(1, 1) / det, -m.get(0, 1) / det],
    [-m.get(1, 0) / det, m.get(0, 0) / det],
  ]);
}
