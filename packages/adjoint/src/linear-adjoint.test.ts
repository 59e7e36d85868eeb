import { initBackend, Matrix, Rng, tf } from '@bridgekit/core';
import { relativeError } from '@bridgekit/core/testing';
import { brownianSde, eamLinearBaseSde, linearSchedule, vpSde } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjointPropagator, type LinearAdjointSde, linearAdjoint } from './linear-adjoint.js';
import { fNonCommuting, nonCommutingSde, rk4BackwardAdjoint } from './linear-drift.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('linearAdjoint: ã_t = (Φ(1,t)ᵀ ⊗ I) ã_1 (T9)', () => {
  it('VP: ã_t = e^{−½∫ₜ¹β} ã_1 in float64 (1e-12) and on the tensors (float32)', () => {
    const schedule = linearSchedule({ betaMin: 0.1, betaMax: 20 });
    const sde = vpSde({ schedule });
    const times = [0, 0.25, 0.37, 0.9, 1];
    const a1 = new Rng(1).normalFloat32(6);
    const terminal = tf.tensor2d(a1, [3, 2]);
    const { adjoints, propagators } = linearAdjoint({ sde, times, terminal });
    times.forEach((t, k) => {
      const exact = Math.exp(-0.5 * (schedule.integral(1) - schedule.integral(t)));
      expect(Math.abs(propagators[k]!.get(0, 0) - exact)).toBeLessThan(1e-12 * exact);
      const got = adjoints[k]!.dataSync();
      for (let i = 0; i < 6; i++)
        expect(Math.abs(got[i]! - exact * a1[i]!)).toBeLessThan(1e-6 * Math.abs(exact * a1[i]!) + 1e-12);
    });
    expect(propagators[0]!.get(0, 0)).toBeCloseTo(Math.exp(-5.025), 12); // T1's mean scale 0.0065716
    tf.dispose([...adjoints, terminal]);
  });

  it('no drift (Brownian motion): ã is constant', () => {
    const terminal = tf.tensor2d([[1.5, -2]]);
    const { adjoints, propagators } = linearAdjoint({
      sde: brownianSde({ sigma: 0.3 }),
      times: [0, 0.4, 1],
      terminal,
    });
    for (const p of propagators) expect(p.get(0, 0)).toBe(1);
    for (const a of adjoints) expect(Array.from(a.dataSync())).toEqual([1.5, -2]);
    tf.dispose([...adjoints, terminal]);
  });

  it("EAM's linear base: Φ(1, t) = t/(t²+(1−t)²) = 0.2941176, 1, 1.0975610 at t = 0.2, 0.5, 0.9 (T11)", () => {
    const sde = eamLinearBaseSde();
    expect(adjointPropagator(sde, 0.2, 1).get(0, 0)).toBeCloseTo(0.2941176, 7);
    expect(adjointPropagator(sde, 0.5, 1).get(0, 0)).toBeCloseTo(1, 12);
    expect(adjointPropagator(sde, 0.9, 1).get(0, 0)).toBeCloseTo(1.097561, 7);
  });

  it('non-commuting 2×2 F(t): Φ(1,t)ᵀ equals the backward adjoint ODE solved by RK4 to 1e-8', () => {
    for (const t of [0, 0.3, 0.75]) {
      const ode = rk4BackwardAdjoint(fNonCommuting, Matrix.eye(2), t, 1, 2000);
      const exact = adjointPropagator(nonCommutingSde, t, 1, { method: 'ode', steps: 2000 });
      expect(exact.sub(ode).maxAbs()).toBeLessThan(1e-8);
      // The transpose matters: F is not symmetric, so Φ itself is far from the adjoint's propagator.
      expect(exact.transpose().sub(ode).maxAbs()).toBeGreaterThan(1e-2);
      // The SDE's default kernel (midpoint Van Loan, 256 steps per unit time) is within its O(h²) error.
      expect(adjointPropagator(nonCommutingSde, t, 1).sub(ode).maxAbs()).toBeLessThan(1e-5);
    }
  });

  it('acts on n blocks of m coordinates (K ⊗ I_m, D6) with the terminal condition at the last time', () => {
    const a = new Rng(2).normalFloat32(2 * 6); // B = 2, n = 2 blocks of m = 3
    const terminal = tf.tensor2d(a, [2, 6]);
    const times = [0.1, 0.6, 0.8];
    const { adjoints, propagators } = linearAdjoint({ sde: nonCommutingSde, times, terminal });
    const p = adjointPropagator(nonCommutingSde, 0.1, 0.8);
    expect(propagators[0]!.sub(p).maxAbs()).toBe(0);
    expect(propagators[2]!.sub(Matrix.eye(2)).maxAbs()).toBe(0);
    const want = new Float64Array(12);
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 3; j++)
          want[b * 6 + i * 3 + j] = p.get(i, 0) * a[b * 6 + j]! + p.get(i, 1) * a[b * 6 + 3 + j]!;
    expect(relativeError(adjoints[0]!.dataSync(), want)).toBeLessThan(1e-6);
    expect(Array.from(adjoints[2]!.dataSync())).toEqual(Array.from(a));
    tf.dispose([...adjoints, terminal]);
  });

  it('errors name the argument', () => {
    const terminal = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => linearAdjoint({ sde: nonCommutingSde, times: [0, 1], terminal })).toThrow(
      /terminal has 3 columns, which is not a multiple of non-commuting's 2 blocks/,
    );
    expect(() => linearAdjoint({ sde: brownianSde({ sigma: 1 }), times: [0.5, 0.2], terminal })).toThrow(
      /times must be finite and increase strictly .* got times\[1\] = 0\.2 after 0\.5/,
    );
    expect(() => linearAdjoint({ sde: {} as LinearAdjointSde, times: [0, 1], terminal })).toThrow(
      /sde must be a linear SDE with blocks and transition/,
    );
    expect(() => adjointPropagator(brownianSde({ sigma: 1 }), 0.7, 0.2)).toThrow(
      /t ≤ tEnd, got t = 0\.7, tEnd = 0\.2/,
    );
    terminal.dispose();
  });
});
