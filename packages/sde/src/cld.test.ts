import { initBackend, Matrix, solveLyapunov, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cldSde, cldStationaryCov } from './cld.js';
import { constantSchedule } from './constant-schedule.js';
import { linearSchedule } from './linear-schedule.js';
import { odeTransition } from './lyapunov-ode.js';

function maxDiff(a: Matrix, b: Matrix): number {
  return a.sub(b).maxAbs();
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('cldSde (critically damped Langevin, §3.2)', () => {
  it('builds F₀ = [[0, 1/M], [−1, −Γ/M]], Q₀ = diag(0, 2Γ) with Γ = 2ζ√M and initialCov = diag(0, γ₀M)', () => {
    const sde = cldSde();
    expect(sde.blocks).toBe(2);
    expect(sde.kernelMethod).toBe('time-change');
    // β ≡ 4, M = 0.25, Γ = 1.
    expect(
      maxDiff(
        sde.driftMatrix(0.3),
        Matrix.from([
          [0, 16],
          [-4, -16],
        ]),
      ),
    ).toBe(0);
    expect(maxDiff(sde.diffusionCov(0.3), Matrix.diag([0, 8]))).toBe(0);
    expect(maxDiff(sde.initialCov(), Matrix.diag([0, 0.04 * 0.25]))).toBe(0);
    const under = cldSde({ mass: 1, dampingRatio: 0.7, gamma0: 0 });
    expect(under.timeChange?.f0.get(1, 1)).toBeCloseTo(-1.4, 15);
    expect(under.initialCov().maxAbs()).toBe(0);
  });

  it('T5: Σ_∞ = diag(1, M) = cldStationaryCov(M) for critical and underdamped ζ', () => {
    for (const [mass, ratio] of [
      [0.25, 1],
      [0.25, 0.7],
      [2, 1.3],
    ] as const) {
      const sde = cldSde({ mass, dampingRatio: ratio, schedule: constantSchedule(60) });
      const tc = sde.timeChange!;
      expect(maxDiff(solveLyapunov(tc.f0, tc.q0), cldStationaryCov(mass))).toBeLessThan(1e-12);
      // B(1) = 60: even the slowest mode (ζ = 1.3, M = 2: rate ≈ 0.14 in Φ) has decayed to < 1e-7 in Σ.
      expect(maxDiff(sde.transition(0, 1).cov, cldStationaryCov(mass))).toBeLessThan(1e-13);
      // Stationarity is preserved exactly by every transition: ΦΣ_∞Φᵀ + Q = Σ_∞.
      const { phi, cov } = cldSde({ mass, dampingRatio: ratio }).transition(0.2, 0.5);
      const s = cldStationaryCov(mass);
      expect(maxDiff(phi.mul(s).mul(phi.transpose()).add(cov), s)).toBeLessThan(1e-14);
    }
  });

  it('T5: from z₀ = 0 at t = 1 (β = 4), Σ = [[0.999984, 7.2e−6], [7.2e−6, 0.249997]]', () => {
    const { phi, cov } = cldSde().transition(0, 1);
    expect(Math.abs(cov.get(0, 0) - 0.999984)).toBeLessThan(1e-6);
    expect(Math.abs(cov.get(0, 1) - 7.2e-6)).toBeLessThan(1e-8);
    expect(cov.get(1, 0)).toBe(cov.get(0, 1));
    expect(Math.abs(cov.get(1, 1) - 0.249997)).toBeLessThan(1e-6);
    // Closed form at critical damping: F₀ = −2I + N with N² = 0, so Φ = e^{−2τ}(I + Nτ) (τ = B(1) = 4)
    // and Σ = Σ_∞ − Φ Σ_∞ Φᵀ = diag(1, ¼) − e^{−16}[[145, −64], [−64, 28.25]].
    const e16 = Math.exp(-16);
    expect(
      maxDiff(
        phi,
        Matrix.from([
          [9, 16],
          [-4, -7],
        ]).scale(Math.exp(-8)),
      ),
    ).toBeLessThan(1e-15);
    expect(
      maxDiff(
        cov,
        Matrix.from([
          [1 - 145 * e16, 64 * e16],
          [64 * e16, 0.25 - 28.25 * e16],
        ]),
      ),
    ).toBeLessThan(1e-15);
  });

  it('the exact time-change kernel matches RK4 under a time-varying β schedule', () => {
    const sde = cldSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 8 }), dampingRatio: 0.7 });
    const exact = sde.transition(0.1, 0.9);
    const ode = odeTransition(
      (t) => sde.driftMatrix(t),
      (t) => sde.diffusionCov(t),
      0.1,
      0.9,
      4000,
    );
    expect(maxDiff(exact.phi, ode.phi)).toBeLessThan(1e-11);
    expect(maxDiff(exact.cov, ode.cov)).toBeLessThan(1e-11);
  });

  it('drift acts on [x | v] blockwise and diffusion is zero on the positions', () => {
    const sde = cldSde();
    const d = 3;
    const z = tf.tensor2d([[1, -2, 0.5, 0.1, 0.2, -0.3]]);
    const drift = sde.drift(z, 0.5).arraySync()[0]!;
    const x = [1, -2, 0.5];
    const v = [0.1, 0.2, -0.3];
    for (let j = 0; j < d; j++) {
      expect(drift[j]!).toBeCloseTo(4 * (v[j]! / 0.25), 5);
      expect(drift[d + j]!).toBeCloseTo(4 * (-x[j]! - v[j]! / 0.25), 5);
    }
    const g = sde.diffusion(0.5, z);
    if (typeof g === 'number') throw new Error('expected a per-coordinate tensor');
    expect(g.shape).toEqual([1, 2 * d]);
    const scales = Array.from(g.dataSync());
    expect(scales.slice(0, d)).toEqual([0, 0, 0]);
    for (const s of scales.slice(d)) expect(s).toBeCloseTo(Math.sqrt(4 * 2), 6);
    tf.dispose([z, g]);
  });

  it('validates its parameters by name', () => {
    expect(() => cldSde({ mass: -1 })).toThrow(/cldSde: mass must be a finite number > 0, got -1/);
    expect(() => cldSde({ dampingRatio: 0 })).toThrow(
      /cldSde: dampingRatio must be a finite number > 0.*got 0/,
    );
    expect(() => cldSde({ dampingRatio: -0.5 })).toThrow(/dampingRatio/);
    expect(() => cldSde({ gamma0: -0.1 })).toThrow(/cldSde: gamma0 must be a finite number ≥ 0.*got -0.1/);
    expect(() => cldStationaryCov(0)).toThrow(/cldStationaryCov: mass must be a finite number > 0, got 0/);
  });
});
