import { Matrix } from '@bridgekit/core';
import { logLogSlope } from '@bridgekit/core/testing';
import { describe, expect, it } from 'vitest';
import { odeTransition } from './lyapunov-ode.js';
import { vanLoanStep, vanLoanTransition } from './van-loan.js';

// A smooth, non-commuting, time-varying 2×2 system (F(s) and F(t) do not commute).
const fTv = (t: number) =>
  Matrix.from([
    [-1 + 0.5 * Math.sin(2 * t), 0.8 * t],
    [-0.6 * Math.cos(t), -0.4 - t * t],
  ]);
const gTv = (t: number) => Matrix.diag([1 + t, 0.5 + 0.5 * Math.cos(t)]);

describe('vanLoanStep', () => {
  it('reproduces the scalar OU kernel Φ = e^{−ah}, Q = q(1 − e^{−2ah})/(2a)', () => {
    const a = 0.7;
    const q = 1.3;
    for (const h of [1e-3, 0.3, 2, 25]) {
      const { phi, cov } = vanLoanStep(Matrix.from([[-a]]), Matrix.from([[q]]), h);
      expect(phi.get(0, 0)).toBeCloseTo(Math.exp(-a * h), 14);
      expect(Math.abs(cov.get(0, 0) - (q * -Math.expm1(-2 * a * h)) / (2 * a))).toBeLessThan(1e-14);
    }
  });

  it('stays accurate over very long steps (halving + doubling) where one exponential loses digits', () => {
    // CLD's F₀ (M = ¼, Γ = 1) is a Jordan block at −2: one unguarded 4×4 exponential over Δτ = 60
    // leaves ≈ 1e-9 error in Q; the guarded step must reach the stationary diag(1, ¼) to rounding.
    const cldF = Matrix.from([
      [0, 4],
      [-1, -4],
    ]);
    for (const dt of [20, 60, 200]) {
      const { phi, cov } = vanLoanStep(cldF, Matrix.diag([0, 2]), dt);
      expect(cov.sub(Matrix.diag([1, 0.25])).maxAbs()).toBeLessThan(1e-14);
      // Φ = e^{−2Δτ}[[1 + 2Δτ, 4Δτ], [−Δτ, 1 − 2Δτ]]: ≈ 1e-10 relative accuracy even at e^{−400}.
      expect(Math.abs(phi.get(0, 1) / (4 * dt * Math.exp(-2 * dt)) - 1)).toBeLessThan(1e-10);
    }
    const f = Matrix.from([
      [-2, 1],
      [0, -1],
    ]);
    const { cov } = vanLoanStep(f, Matrix.diag([1, 2]), 100);
    // Stationary covariance solves FΣ + ΣFᵀ + Q = 0: Σ₂₂ = 1, Σ₁₂ = 1/3, Σ₁₁ = (1 + 2/3)/4.
    expect(
      cov
        .sub(
          Matrix.from([
            [5 / 12, 1 / 3],
            [1 / 3, 1],
          ]),
        )
        .maxAbs(),
    ).toBeLessThan(1e-14);
  });

  it('returns Φ = I, Q = 0 for dt = 0', () => {
    const { phi, cov } = vanLoanStep(fTv(0.3), gTv(0.3), 0);
    expect(phi.sub(Matrix.eye(2)).maxAbs()).toBe(0);
    expect(cov.maxAbs()).toBe(0);
  });

  it('names the bad argument', () => {
    expect(() => vanLoanStep(new Matrix(2, 3), Matrix.eye(2), 1)).toThrow(
      /f must be a square matrix, got 2×3/,
    );
    expect(() => vanLoanStep(Matrix.eye(2), Matrix.eye(3), 1)).toThrow(/ggt must be 2×2/);
    expect(() => vanLoanStep(Matrix.eye(2), Matrix.eye(2), -1)).toThrow(
      /dt must be a finite number ≥ 0, got -1/,
    );
  });
});

describe('vanLoanTransition', () => {
  it('is exact for constant coefficients whatever the number of steps', () => {
    const f = fTv(0.4);
    const g = gTv(0.4);
    const one = vanLoanStep(f, g, 1.7);
    const many = vanLoanTransition(
      () => f,
      () => g,
      0.2,
      1.9,
      37,
    );
    expect(many.phi.sub(one.phi).maxAbs()).toBeLessThan(1e-13);
    expect(many.cov.sub(one.cov).maxAbs()).toBeLessThan(1e-13);
  });

  it('converges with order 2 (midpoint rule) on a time-varying system', () => {
    const ref = odeTransition(fTv, gTv, 0, 1.5, 2000);
    const steps = [8, 16, 32, 64, 128];
    const covErr = steps.map((n) => vanLoanTransition(fTv, gTv, 0, 1.5, n).cov.sub(ref.cov).maxAbs());
    const phiErr = steps.map((n) => vanLoanTransition(fTv, gTv, 0, 1.5, n).phi.sub(ref.phi).maxAbs());
    expect(logLogSlope(steps, covErr)).toBeGreaterThan(-2.3);
    expect(logLogSlope(steps, covErr)).toBeLessThan(-1.7);
    expect(logLogSlope(steps, phiErr)).toBeGreaterThan(-2.3);
    expect(logLogSlope(steps, phiErr)).toBeLessThan(-1.7);
  });

  it('composes exactly on a shared grid (semigroup of the discrete recursion)', () => {
    // [0.1, 1.3] in 24 steps has the same intervals as [0.1, 0.7] and [0.7, 1.3] in 12 steps each.
    const whole = vanLoanTransition(fTv, gTv, 0.1, 1.3, 24);
    const a = vanLoanTransition(fTv, gTv, 0.1, 0.7, 12);
    const b = vanLoanTransition(fTv, gTv, 0.7, 1.3, 12);
    expect(b.phi.mul(a.phi).sub(whole.phi).maxAbs()).toBeLessThan(1e-13);
    const composed = b.phi.mul(a.cov).mul(b.phi.transpose()).add(b.cov);
    expect(composed.sub(whole.cov).maxAbs()).toBeLessThan(1e-13);
  });

  it('rejects s > t and non-integer steps by name', () => {
    expect(() => vanLoanTransition(fTv, gTv, 1, 0.5, 4)).toThrow(/s must be ≤ t.*s = 1 > t = 0.5/);
    expect(() => vanLoanTransition(fTv, gTv, 0, 1, 2.5)).toThrow(/steps must be a positive integer, got 2.5/);
  });
});
