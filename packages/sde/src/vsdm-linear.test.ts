import { expm, Matrix, solve } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { odeTransition } from './lyapunov-ode.js';
import { powerSchedule } from './power-schedule.js';
import { variationalLinearSde } from './vsdm-linear.js';

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const a = Matrix.from([
  [0.3, 0.2],
  [-0.1, 0.1],
]);
const c = (t: number) => Math.exp(Math.sin(3 * t));

function expectMatrix(actual: Matrix, expected: number[][], tol: number): void {
  expect(actual.sub(Matrix.from(expected)).maxAbs()).toBeLessThan(tol);
}

describe('variationalLinearSde (VSDM forward SDE, §2.2)', () => {
  it('uses the exact time change for a static A and Van Loan for a time-dependent one', () => {
    expect(variationalLinearSde({ schedule, a }).kernelMethod).toBe('time-change');
    expect(variationalLinearSde({ schedule, a, timeFactor: c }).kernelMethod).toBe('van-loan');
    expect(variationalLinearSde({ schedule, a: () => a }).kernelMethod).toBe('van-loan');
  });

  it('has F(t) = −½β(t)(I − 2A_t) and GGᵀ = β(t)I', () => {
    const sde = variationalLinearSde({ schedule, a, timeFactor: c });
    const t = 0.6;
    const d = Matrix.eye(2).sub(a.scale(2 * c(t)));
    expect(
      sde
        .driftMatrix(t)
        .sub(d.scale(-0.5 * schedule.beta(t)))
        .maxAbs(),
    ).toBeLessThan(1e-15);
    expect(
      sde
        .diffusionCov(t)
        .sub(Matrix.eye(2).scale(schedule.beta(t)))
        .maxAbs(),
    ).toBe(0);
  });

  it('T3: Σ₁ and M₁ for a static A', () => {
    const { phi, cov } = variationalLinearSde({ schedule, a }).transition(0, 1);
    expectMatrix(
      cov,
      [
        [1.990075, 0.07059],
        [0.07059, 1.173496],
      ],
      1e-6,
    );
    expectMatrix(
      phi,
      [
        [0.419206, 0.237638],
        [-0.118819, 0.181568],
      ],
      1e-6,
    );
  });

  it('T2: A ≡ 0 is the VP kernel Φ = e^{−B/2}I, Σ = (1 − e^{−B})I', () => {
    const { phi, cov } = variationalLinearSde({ schedule, a: Matrix.zeros(3) }).transition(0, 0.8);
    const b = schedule.integral(0.8);
    expect(phi.sub(Matrix.eye(3).scale(Math.exp(-b / 2))).maxAbs()).toBeLessThan(1e-14);
    expect(cov.sub(Matrix.eye(3).scale(-Math.expm1(-b))).maxAbs()).toBeLessThan(1e-14);
  });

  it('T4: A_t = e^{sin 3t}A gives the ODE covariance, NOT the single-exponential-of-the-integral shortcut', () => {
    const sde = variationalLinearSde({ schedule, a, timeFactor: c });
    const { cov } = sde.transition(0, 1);
    expectMatrix(
      cov,
      [
        [4.304, -0.269],
        [-0.269, 1.404],
      ],
      5e-4,
    );
    // Van Loan with enough steps agrees with the independent RK4 reference to 1e-6.
    const ref = odeTransition(
      (t) => sde.driftMatrix(t),
      (t) => sde.diffusionCov(t),
      0,
      1,
      8000,
    );
    expect(sde.transition(0, 1, { steps: 4096 }).cov.sub(ref.cov).maxAbs()).toBeLessThan(1e-6);

    // The pitfall (official code): one matrix-fraction exponential of the INTEGRATED generator
    // ∫₀¹β(s)[[−½D(s), I], [0, ½D(s)ᵀ]] ds, with ∫βc by fine midpoint quadrature.
    const k = 20000;
    let betaC = 0;
    for (let i = 0; i < k; i++) betaC += (schedule.beta((i + 0.5) / k) * c((i + 0.5) / k)) / k;
    const b1 = schedule.integral(1);
    const eye = Matrix.eye(2);
    const generator = Matrix.zeros(4)
      .withBlock(0, 0, eye.scale(-0.5 * b1).add(a.scale(betaC)))
      .withBlock(0, 2, eye.scale(b1))
      .withBlock(2, 2, eye.scale(0.5 * b1).sub(a.transpose().scale(betaC)));
    const big = expm(generator);
    const shortcut = solve(big.block(2, 2, 2, 2).transpose(), big.block(0, 2, 2, 2).transpose()).transpose();
    expectMatrix(
      shortcut,
      [
        [5.599, -0.372],
        [-0.372, 1.546],
      ],
      5e-4,
    );
    expect(cov.sub(shortcut).maxAbs()).toBeGreaterThan(1);
  });

  it('T4: the mean is still expm(∫F) because the D_t commute (§2.2)', () => {
    const sde = variationalLinearSde({ schedule, a, timeFactor: c });
    const k = 20000;
    let betaC = 0;
    for (let i = 0; i < k; i++) betaC += (schedule.beta((i + 0.5) / k) * c((i + 0.5) / k)) / k;
    const integral = a.scale(betaC).sub(Matrix.eye(2).scale(0.5 * schedule.integral(1)));
    expect(sde.transition(0, 1, { steps: 2048 }).phi.sub(expm(integral)).maxAbs()).toBeLessThan(1e-6);
  });

  it('accepts A as a function of t (optionally scaled by a time factor)', () => {
    const viaFactor = variationalLinearSde({ schedule, a, timeFactor: c }).transition(0.2, 0.7);
    const viaFunction = variationalLinearSde({ schedule, a: (t) => a.scale(c(t)) }).transition(0.2, 0.7);
    const viaBoth = variationalLinearSde({
      schedule,
      a: (t) => a.scale(c(t) / 2),
      timeFactor: () => 2,
    }).transition(0.2, 0.7);
    expect(viaFunction.cov.sub(viaFactor.cov).maxAbs()).toBeLessThan(1e-14);
    expect(viaBoth.cov.sub(viaFactor.cov).maxAbs()).toBeLessThan(1e-13);
  });

  it('validates its arguments by name', () => {
    expect(() => variationalLinearSde({ schedule, a: new Matrix(2, 3) })).toThrow(
      /variationalLinearSde: a must be a square matrix, got 2×3/,
    );
    expect(() => variationalLinearSde({ schedule, a: () => new Matrix(3, 2) })).toThrow(
      /a\(0\) must be a square matrix/,
    );
    const grows = variationalLinearSde({ schedule, a: (t) => (t < 0.5 ? a : Matrix.eye(3)) });
    expect(() => grows.driftMatrix(0.9)).toThrow(/a\(0.9\) must be 2×2/);
    expect(() =>
      variationalLinearSde({ schedule, a, timeFactor: 3 as unknown as (t: number) => number }),
    ).toThrow(/variationalLinearSde: timeFactor must be a function of t, got number/);
  });
});
