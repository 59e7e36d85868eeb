import { describe, expect, it } from 'vitest';
import {
  checkLrSchedule,
  constantLr,
  cosineLr,
  type LrSchedule,
  lrAt,
  stepLr,
  warmup,
} from './lr-schedule.js';

describe('learning-rate schedules', () => {
  it('constantLr', () => {
    expect([0, 1, 10_000].map((s) => lrAt(constantLr(3e-4), s))).toEqual([3e-4, 3e-4, 3e-4]);
  });

  it('stepLr is PyTorch StepLR: VSDM’s γ = 0.99 every 1000 steps', () => {
    const s = stepLr({ lr: 1e-3, stepSize: 1000, gamma: 0.99 });
    expect(lrAt(s, 0)).toBe(1e-3);
    expect(lrAt(s, 999)).toBe(1e-3);
    expect(lrAt(s, 1000)).toBeCloseTo(0.99e-3, 15);
    expect(lrAt(s, 2500)).toBeCloseTo(1e-3 * 0.99 ** 2, 15);
  });

  it('cosineLr goes from lr to minLr over totalSteps and stays there', () => {
    const s = cosineLr({ lr: 1, totalSteps: 100, minLr: 0.1 });
    expect(lrAt(s, 0)).toBe(1);
    expect(lrAt(s, 50)).toBeCloseTo(0.55, 12);
    expect(lrAt(s, 25)).toBeCloseTo(0.1 + (0.9 * (1 + Math.SQRT1_2)) / 2, 12);
    expect(lrAt(s, 100)).toBeCloseTo(0.1, 12);
    expect(lrAt(s, 500)).toBeCloseTo(0.1, 12);
    expect(lrAt(cosineLr({ lr: 2, totalSteps: 10 }), 10)).toBeCloseTo(0, 12);
  });

  it('warmup ramps linearly over its steps, then follows the schedule', () => {
    const s = warmup(stepLr({ lr: 1, stepSize: 20, gamma: 0.5 }), 10);
    expect(lrAt(s, 0)).toBeCloseTo(0.1, 12);
    expect(lrAt(s, 4)).toBeCloseTo(0.5, 12);
    expect(lrAt(s, 9)).toBe(1);
    expect(lrAt(s, 25)).toBe(0.5);
  });

  it('schedules are JSON data', () => {
    const s = warmup(cosineLr({ lr: 1e-3, totalSteps: 50 }), 5);
    const copy = JSON.parse(JSON.stringify(s)) as LrSchedule;
    expect(copy).toEqual(s);
    expect(lrAt(copy, 7)).toBe(lrAt(s, 7));
  });

  it('names bad fields', () => {
    expect(() => stepLr({ lr: 1e-3, stepSize: 0, gamma: 0.9 })).toThrow(
      /schedule.stepSize must be a positive integer, got 0/,
    );
    expect(() => constantLr(Number.NaN)).toThrow(/schedule.lr must be a finite number ≥ 0, got NaN/);
    expect(() => checkLrSchedule({ kind: 'linear' } as unknown as LrSchedule)).toThrow(
      /schedule.kind must be one of constant, step, cosine, warmup; got "linear"/,
    );
    expect(() => warmup(constantLr(1), 2.5)).toThrow(/schedule.steps must be a positive integer/);
    expect(() => lrAt(constantLr(1), -1)).toThrow(/step must be a non-negative integer, got -1/);
  });
});
