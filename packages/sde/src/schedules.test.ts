import { describe, expect, it } from 'vitest';
import { constantSchedule } from './constant-schedule.js';
import { cosineSchedule } from './cosine-schedule.js';
import { linearSchedule } from './linear-schedule.js';
import { powerSchedule } from './power-schedule.js';
import type { Schedule } from './schedule.js';
import { adaptiveSimpson } from './test-support.test-helper.js';

const schedules: Schedule[] = [
  constantSchedule(4),
  linearSchedule({ betaMin: 0.1, betaMax: 20 }),
  linearSchedule({ betaMin: 20, betaMax: 0.1 }), // ASBS's decreasing lerp
  powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 }),
  powerSchedule({ betaMin: 0.1, betaMax: 20, r: 0.3 }),
  powerSchedule({ betaMin: 0.1, betaMax: 4, r: 0 }),
  cosineSchedule(),
  cosineSchedule({ s: 0.02, maxBeta: 50 }),
];

describe('schedules: B(t) is the integral of β(t)', () => {
  for (const schedule of schedules) {
    it(`${schedule.name}: B(t) matches adaptive Simpson quadrature of β to 1e-9 relative`, () => {
      expect(schedule.integral(0)).toBe(0);
      for (const t of [1e-4, 0.13, 0.5, 0.77, 0.9, 0.95, 1]) {
        // Split at the cosine clip time so the quadrature never straddles the kink of β.
        const kink = 'clipTime' in schedule ? (schedule.clipTime as number) : undefined;
        const exact =
          kink !== undefined && kink < t
            ? adaptiveSimpson((u) => schedule.beta(u), 0, kink) +
              adaptiveSimpson((u) => schedule.beta(u), kink, t)
            : adaptiveSimpson((u) => schedule.beta(u), 0, t);
        expect(Math.abs(schedule.integral(t) - exact)).toBeLessThanOrEqual(1e-9 * Math.abs(exact));
      }
    });
  }
});

describe('schedules: §9 T1 numbers', () => {
  it('power-VP r = 1.7, βmax = 10: B(1) = 3.76667, mean scale e^{−B/2} = 0.15208', () => {
    const b = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 }).integral(1);
    expect(Math.abs(b - 3.76667)).toBeLessThan(5e-6);
    expect(Math.abs(Math.exp(-b / 2) - 0.15208)).toBeLessThan(5e-6);
  });
  it('power-VP r = 1.7, βmax = 20: B(1) = 7.47037, mean scale 0.023869', () => {
    const b = powerSchedule({ betaMin: 0.1, betaMax: 20, r: 1.7 }).integral(1);
    expect(Math.abs(b - 7.47037)).toBeLessThan(5e-6);
    expect(Math.abs(Math.exp(-b / 2) - 0.023869)).toBeLessThan(5e-7);
  });
  it('linear 0.1 → 20: mean scale e^{−5.025} = 0.0065716 and variance 1 − e^{−10.05} = 0.99996', () => {
    const b = linearSchedule({ betaMin: 0.1, betaMax: 20 }).integral(1);
    expect(b).toBeCloseTo(10.05, 12);
    expect(Math.abs(Math.exp(-b / 2) - 0.0065716)).toBeLessThan(5e-8);
    expect(Math.abs(1 - Math.exp(-b) - 0.99996)).toBeLessThan(5e-6);
  });
  it('power r = 1 is the linear schedule and r = 0 the constant βmax', () => {
    const p1 = powerSchedule({ betaMin: 0.1, betaMax: 20, r: 1 });
    const lin = linearSchedule({ betaMin: 0.1, betaMax: 20 });
    const p0 = powerSchedule({ betaMin: 0.1, betaMax: 4, r: 0 });
    for (const t of [0, 0.3, 1]) {
      expect(p1.beta(t)).toBeCloseTo(lin.beta(t), 12);
      expect(p1.integral(t)).toBeCloseTo(lin.integral(t), 12);
      expect(p0.beta(t)).toBe(4);
      expect(p0.integral(t)).toBeCloseTo(4 * t, 12);
    }
  });
});

describe('cosineSchedule', () => {
  it('equals −log ᾱ(t) of Nichol–Dhariwal before the clip, and β = maxBeta with B continuous after it', () => {
    const s = 0.008;
    const schedule = cosineSchedule({ s, maxBeta: 20 });
    const alphaBar = (t: number) =>
      Math.cos(((t + s) / (1 + s)) * (Math.PI / 2)) ** 2 / Math.cos((s / (1 + s)) * (Math.PI / 2)) ** 2;
    const tStar = schedule.clipTime;
    expect(tStar).toBeGreaterThan(0.85);
    expect(tStar).toBeLessThan(0.95);
    for (const t of [0, 0.2, 0.6, tStar])
      expect(schedule.integral(t)).toBeCloseTo(-Math.log(alphaBar(t)), 12);
    expect(schedule.beta(tStar - 1e-12)).toBeCloseTo(20, 6);
    expect(schedule.beta(tStar)).toBe(20);
    expect(schedule.beta(1)).toBe(20);
    expect(schedule.integral(1)).toBeCloseTo(-Math.log(alphaBar(tStar)) + 20 * (1 - tStar), 12);
    expect(Number.isFinite(schedule.integral(1))).toBe(true);
  });
});

describe('schedule validation', () => {
  it('rejects bad parameters with a RangeError naming the parameter, value and valid range', () => {
    expect(() => constantSchedule(-1)).toThrow(/constantSchedule: beta must be a finite number ≥ 0, got -1/);
    expect(() => linearSchedule({ betaMin: Number.NaN, betaMax: 20 })).toThrow(/betaMin .* got NaN/);
    expect(() => powerSchedule({ betaMin: 0.1, betaMax: 10, r: -1 })).toThrow(
      /powerSchedule: r must be .*≥ 0, got -1/,
    );
    expect(() => cosineSchedule({ s: -0.1 })).toThrow(/cosineSchedule: s must be .*≥ 0, got -0.1/);
    expect(() => cosineSchedule({ maxBeta: 0 })).toThrow(/maxBeta must be a finite number > 0, got 0/);
    expect(() => cosineSchedule({ s: 0.5, maxBeta: 1 })).toThrow(/maxBeta must exceed β\(0\)/);
    expect(() => constantSchedule(1).beta(1.5)).toThrow(RangeError);
    expect(() => linearSchedule({ betaMin: 0.1, betaMax: 20 }).integral(-0.1)).toThrow(
      /t must be a time in \[0, 1\], got -0.1/,
    );
  });
});
