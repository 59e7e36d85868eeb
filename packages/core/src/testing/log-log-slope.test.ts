import { describe, expect, it } from 'vitest';
import { logLogSlope } from './log-log-slope.js';

describe('logLogSlope', () => {
  it('recovers the exponent of an exact power law, for step sizes and step counts', () => {
    const h = [0.1, 0.05, 0.025, 0.0125];
    expect(
      logLogSlope(
        h,
        h.map((v) => 3 * v ** 2),
      ),
    ).toBeCloseTo(2, 12);
    const n = [10, 20, 40, 80];
    expect(
      logLogSlope(
        n,
        n.map((v) => 5 / v),
      ),
    ).toBeCloseTo(-1, 12);
  });

  it('fits noisy errors by least squares and refuses mismatched input', () => {
    // log e = 1·log h + (±0.1 alternating): the fit of 4 points is pulled only slightly off 1.
    const h = [1, 2, 4, 8];
    const e = h.map((v, i) => v * Math.exp(i % 2 === 0 ? 0.1 : -0.1));
    const s = logLogSlope(h, e);
    expect(s).not.toBe(1);
    expect(Math.abs(s - 1)).toBeLessThan(0.1);
    expect(() => logLogSlope([1, 2], [1])).toThrow(/same length ≥ 2, got 2 and 1/);
  });
});
