import { initBackend, Matrix, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { brownianSde } from './brownian-sde.js';
import { cosineSchedule } from './cosine-schedule.js';
import { eamLinearBaseSde } from './eam-linear-base-sde.js';
import { geometricVeSde } from './geometric-ve-sde.js';
import { linearSchedule } from './linear-schedule.js';
import { LinearSde } from './linear-sde.js';
import { powerSchedule } from './power-schedule.js';
import type { LinearGaussianSde } from './sde.js';
import { subVpSde } from './sub-vp-sde.js';
import { adaptiveSimpson } from './test-support.test-helper.js';
import { veSde } from './ve-sde.js';
import { vpSde } from './vp-sde.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const linear = linearSchedule({ betaMin: 0.1, betaMax: 20 });
const power = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });

const sdes: LinearGaussianSde[] = [
  vpSde({ schedule: linear }),
  vpSde({ schedule: power, sigma: 1.7 }),
  vpSde({ schedule: cosineSchedule() }),
  veSde({ sigmaMin: 0.01, sigmaMax: 50 }),
  geometricVeSde({ sigmaMin: 1e-3, sigmaMax: 1 }),
  subVpSde({ schedule: linear }),
  brownianSde({ sigma: 0.3 }),
  eamLinearBaseSde(),
];

const phiOf = (sde: LinearGaussianSde, s: number, t: number) => sde.transition(s, t).phi.get(0, 0);
const qOf = (sde: LinearGaussianSde, s: number, t: number) => sde.transition(s, t).cov.get(0, 0);

describe('scalar SDE transitions', () => {
  for (const sde of sdes) {
    it(`${sde.name}: semigroup Φ(t,s)Φ(s,r) = Φ(t,r) and Q(t,r) = Φ(t,s)²Q(s,r) + Q(t,s)`, () => {
      expect(sde.blocks).toBe(1);
      for (const [r, s, t] of [
        [0, 0.3, 0.8],
        [0.05, 0.5, 1],
        [0.2, 0.21, 0.9],
        [0, 0.999, 1],
      ] as const) {
        const phiTs = phiOf(sde, s, t);
        expect(phiTs * phiOf(sde, r, s)).toBeCloseTo(phiOf(sde, r, t), 12);
        const composed = phiTs * phiTs * qOf(sde, r, s) + qOf(sde, s, t);
        expect(Math.abs(composed - qOf(sde, r, t))).toBeLessThanOrEqual(1e-12 * Math.max(1, qOf(sde, r, t)));
      }
      expect(phiOf(sde, 0.4, 0.4)).toBeCloseTo(1, 14);
      expect(qOf(sde, 0.4, 0.4)).toBeCloseTo(0, 14);
    });

    it(`${sde.name}: Φ solves ∂ₜΦ = F(t)Φ and Q = ∫ₛᵗ Φ(t,u)²g(u)² du (adaptive Simpson, 1e-9 relative)`, () => {
      for (const [s, t] of [
        [0.1, 0.6],
        [0.3, 1],
        [0.02, 0.5],
      ] as const) {
        const logPhi = adaptiveSimpson((u) => sde.driftMatrix(u).get(0, 0), s, t);
        expect(phiOf(sde, s, t)).toBeCloseTo(Math.exp(logPhi), 9);
        const q = adaptiveSimpson((u) => phiOf(sde, u, t) ** 2 * sde.diffusionCov(u).get(0, 0), s, t);
        expect(Math.abs(qOf(sde, s, t) - q)).toBeLessThanOrEqual(1e-9 * q);
      }
    });

    it(`${sde.name}: drift(x, t) = F(t)x and diffusion(t)² = GGᵀ(t) on tensors`, () => {
      const x = tf.tensor2d([
        [1, -2],
        [0.5, 3],
      ]);
      for (const t of [0.25, 0.7]) {
        const drift = sde.drift(x, t);
        const f = sde.driftMatrix(t).get(0, 0);
        const expected = [1, -2, 0.5, 3].map((v) => v * f);
        const got = drift.dataSync();
        for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4);
        drift.dispose();
        const g = sde.diffusion(t, x) as number;
        expect(g * g).toBeCloseTo(sde.diffusionCov(t).get(0, 0), 9);
      }
      x.dispose();
      expect(sde.initialCov().rows).toBe(1);
    });
  }
});

describe('closed forms', () => {
  it('§9 T2 (VP part): vpSde on the power schedule has M_t = e^{−B/2}, Σ_t = σ²(1 − e^{−B})', () => {
    const sde = vpSde({ schedule: power });
    for (const t of [0.01, 0.3, 0.7, 1]) {
      const b = 0.1 * t + (9.9 * t ** 2.7) / 2.7;
      expect(phiOf(sde, 0, t)).toBeCloseTo(Math.exp(-b / 2), 13);
      expect(qOf(sde, 0, t)).toBeCloseTo(1 - Math.exp(-b), 13);
    }
    const scaled = vpSde({ schedule: power, sigma: 2 });
    expect(qOf(scaled, 0, 1)).toBeCloseTo(4 * (1 - Math.exp(-3.766666666666667)), 12);
  });

  it('vpSde equals a LinearSde with time change F₀ = −½, Q₀ = σ²', () => {
    const vp = vpSde({ schedule: power, sigma: 1.5 });
    const general = new LinearSde({
      timeChange: { schedule: power, f0: Matrix.scalar(1, -0.5), q0: Matrix.scalar(1, 2.25) },
    });
    for (const [s, t] of [
      [0, 0.4],
      [0.2, 1],
    ] as const) {
      expect(phiOf(vp, s, t)).toBeCloseTo(phiOf(general, s, t), 12);
      expect(qOf(vp, s, t)).toBeCloseTo(qOf(general, s, t), 12);
    }
  });

  it('sub-VP from 0 has variance (1 − e^{−B})², below the VP variance', () => {
    const sde = subVpSde({ schedule: linear });
    for (const t of [0.1, 0.5, 1]) {
      const b = linear.integral(t);
      expect(qOf(sde, 0, t)).toBeCloseTo((1 - Math.exp(-b)) ** 2, 14);
      expect(qOf(sde, 0, t)).toBeLessThan(1 - Math.exp(-b));
    }
  });

  it('veSde has ν_t = σ(t)² − σmin²; geometricVeSde has ν_t = σmax²(1 − (σmin/σmax)^{2t})', () => {
    const ve = veSde({ sigmaMin: 0.01, sigmaMax: 50 });
    const geo = geometricVeSde({ sigmaMin: 1e-3, sigmaMax: 1 });
    for (const t of [0, 0.2, 1]) {
      const sigma = 0.01 * (50 / 0.01) ** t;
      expect(ve.variance(t)).toBeCloseTo(sigma ** 2 - 1e-4, 9);
      expect(qOf(ve, 0, t)).toBeCloseTo(ve.variance(t), 9);
      expect(geo.variance(t)).toBeCloseTo(1 - 1e-3 ** (2 * t), 14);
      expect(ve.diffusion(t)).toBeCloseTo(sigma * Math.sqrt(2 * Math.log(5000)), 9);
      expect(geo.diffusion(t)).toBeCloseTo(1e-3 * 1000 ** (1 - t) * Math.sqrt(2 * Math.log(1000)), 12);
    }
  });

  it('brownianSde has Φ = 1 and Q = σ²(t − s)', () => {
    const bm = brownianSde({ sigma: 0.3 });
    expect(phiOf(bm, 0.2, 0.9)).toBe(1);
    expect(qOf(bm, 0.2, 0.9)).toBeCloseTo(0.09 * 0.7, 15);
    expect(bm.variance(0.5)).toBeCloseTo(0.045, 15);
  });
});

describe('scalar SDE validation', () => {
  it('rejects bad parameters and times with messages naming them', () => {
    expect(() => vpSde({ schedule: linear, sigma: 0 })).toThrow(
      /vpSde: sigma must be a finite number > 0, got 0/,
    );
    expect(() => veSde({ sigmaMin: 1, sigmaMax: 0.5 })).toThrow(
      /veSde: sigmaMax must be > sigmaMin = 1, got 0.5/,
    );
    expect(() => geometricVeSde({ sigmaMin: -1, sigmaMax: 1 })).toThrow(
      /sigmaMin must be a finite number > 0/,
    );
    expect(() => brownianSde({ sigma: Number.POSITIVE_INFINITY })).toThrow(
      /brownianSde: sigma .* got Infinity/,
    );
    expect(() => vpSde({ schedule: linear }).transition(0.5, 0.2)).toThrow(
      /s must be ≤ t .* s = 0.5, t = 0.2/,
    );
    expect(() => brownianSde({ sigma: 1 }).transition(0, 1.2)).toThrow(
      /t must be a time in \[0, 1\], got 1.2/,
    );
    expect(() => eamLinearBaseSde().driftMatrix(0)).toThrow(/t must be in \(0, 1\]/);
  });
});
