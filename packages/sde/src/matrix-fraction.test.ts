import { expm, Matrix } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { LinearSde } from './linear-sde.js';
import { odeTransition } from './lyapunov-ode.js';
import { matrixFractionCov } from './matrix-fraction.js';
import { powerSchedule } from './power-schedule.js';

// §9 T3: VSDM static A, power-VP schedule β_min 0.1, β_max 10, r 1.7.
const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const a = Matrix.from([
  [0.3, 0.2],
  [-0.1, 0.1],
]);
const d = Matrix.eye(2).sub(a.scale(2));
const f = (t: number) => d.scale(-0.5 * schedule.beta(t));
const ggt = (t: number) => Matrix.eye(2).scale(schedule.beta(t));

function expectMatrix(actual: Matrix, expected: number[][], tol: number): void {
  expect(actual.sub(Matrix.from(expected)).maxAbs()).toBeLessThan(tol);
}

describe('matrixFractionCov (VSDM form, §1.2 item 4)', () => {
  it('T3: Σ₁ and M₁ = expm(−½B(1)D) match the reference digits', () => {
    const b1 = schedule.integral(1);
    expectMatrix(
      matrixFractionCov(d, b1),
      [
        [1.990075, 0.07059],
        [0.07059, 1.173496],
      ],
      1e-6,
    );
    expectMatrix(
      expm(d.scale(-0.5 * b1)),
      [
        [0.419206, 0.237638],
        [-0.118819, 0.181568],
      ],
      1e-6,
    );
  });

  it('T3: equals the Lyapunov ODE (RK4, many steps) to 1e-10 at several times', () => {
    for (const t of [0.3, 1]) {
      const ode = odeTransition(f, ggt, 0, t, 4000);
      expect(matrixFractionCov(d, schedule.integral(t)).sub(ode.cov).maxAbs()).toBeLessThan(1e-10);
    }
  });

  it('T3: equals the time-change Van Loan kernel of LinearSde to 1e-10 (the two exact forms agree)', () => {
    const sde = new LinearSde({ timeChange: { schedule, f0: d.scale(-0.5), q0: Matrix.eye(2) } });
    for (const t of [0.05, 0.5, 1]) {
      expect(matrixFractionCov(d, schedule.integral(t)).sub(sde.transition(0, t).cov).maxAbs()).toBeLessThan(
        1e-10,
      );
    }
  });

  it('is zero at B = 0 and (1 − e^{−B})I for D = I (VP)', () => {
    expect(matrixFractionCov(d, 0).maxAbs()).toBe(0);
    const vp = matrixFractionCov(Matrix.eye(3), 2.5);
    expect(vp.sub(Matrix.eye(3).scale(-Math.expm1(-2.5))).maxAbs()).toBeLessThan(1e-14);
  });

  it('names the bad argument', () => {
    expect(() => matrixFractionCov(new Matrix(2, 3), 1)).toThrow(
      /matrixFractionCov: d must be a square matrix, got 2×3/,
    );
    expect(() => matrixFractionCov(d, -1)).toThrow(
      /matrixFractionCov: b .* must be a finite number ≥ 0, got -1/,
    );
  });
});
