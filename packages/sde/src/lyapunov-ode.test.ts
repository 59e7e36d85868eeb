import { Matrix } from '@bridgekit/core';
import { logLogSlope } from '@bridgekit/core/testing';
import { describe, expect, it } from 'vitest';
import { odeTransition } from './lyapunov-ode.js';

const fTv = (t: number) =>
  Matrix.from([
    [-1 + 0.5 * Math.sin(2 * t), 0.8 * t],
    [-0.6 * Math.cos(t), -0.4 - t * t],
  ]);
const gTv = (t: number) => Matrix.diag([1 + t, 0.5 + 0.5 * Math.cos(t)]);

describe('odeTransition (RK4 on Φ and the Lyapunov ODE)', () => {
  it('matches the closed-form time-varying scalar OU kernel', () => {
    // dx = −½β x dt + √β dW, β(t) = 1 + t: Φ = e^{−B/2}, Q = 1 − e^{−B} with B = ∫ₛᵗβ.
    const beta = (t: number) => 1 + t;
    const { phi, cov } = odeTransition(
      (t) => Matrix.from([[-0.5 * beta(t)]]),
      (t) => Matrix.from([[beta(t)]]),
      0.2,
      1.4,
      1000,
    );
    const b = 1.4 - 0.2 + (1.4 ** 2 - 0.2 ** 2) / 2;
    expect(Math.abs(phi.get(0, 0) - Math.exp(-b / 2))).toBeLessThan(1e-12);
    expect(Math.abs(cov.get(0, 0) + Math.expm1(-b))).toBeLessThan(1e-12);
  });

  it('converges with order 4 on a smooth time-varying non-commuting system', () => {
    const ref = odeTransition(fTv, gTv, 0, 1.5, 4096);
    const steps = [8, 16, 32, 64];
    const covErr = steps.map((n) => odeTransition(fTv, gTv, 0, 1.5, n).cov.sub(ref.cov).maxAbs());
    const phiErr = steps.map((n) => odeTransition(fTv, gTv, 0, 1.5, n).phi.sub(ref.phi).maxAbs());
    expect(logLogSlope(steps, covErr)).toBeGreaterThan(-4.3);
    expect(logLogSlope(steps, covErr)).toBeLessThan(-3.7);
    expect(logLogSlope(steps, phiErr)).toBeGreaterThan(-4.3);
    expect(logLogSlope(steps, phiErr)).toBeLessThan(-3.7);
  });

  it('returns a symmetric covariance and Φ = I over an empty interval', () => {
    const same = odeTransition(fTv, gTv, 0.5, 0.5, 3);
    expect(same.phi.sub(Matrix.eye(2)).maxAbs()).toBe(0);
    expect(same.cov.maxAbs()).toBe(0);
    const { cov } = odeTransition(fTv, gTv, 0, 1, 50);
    expect(cov.get(0, 1)).toBe(cov.get(1, 0));
  });

  it('names the bad argument', () => {
    expect(() => odeTransition(fTv, gTv, 0.8, 0.2, 10)).toThrow(/s must be ≤ t/);
    expect(() => odeTransition(fTv, gTv, 0, 1, 0)).toThrow(/steps must be a positive integer, got 0/);
    expect(() => odeTransition(() => new Matrix(2, 3), gTv, 0, 1, 4)).toThrow(
      /f\(s\) must be a square matrix/,
    );
  });
});
