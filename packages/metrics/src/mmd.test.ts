import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { mmd2 } from './mmd.js';

describe('mmd2', () => {
  it('biased form is exactly 0 for identical sets; unbiased is ≈ 0 (−2k(0)/n-level)', () => {
    const random = testRandom(30);
    const a = new Float32Array(gaussianPoints(random, 200, 2));
    expect(mmd2(a, a, 2, { unbiased: false })).toBe(0);
    const unbiased = mmd2(a, a, 2);
    expect(Math.abs(unbiased)).toBeLessThan((2 * 5) / 200);
  });

  it('two point masses: MMD² = 2 − 2k(d) for one bandwidth, 2K − 2Σk_h(d) for K bandwidths', () => {
    const d = 0.8;
    const h = 0.5;
    const k = Math.exp((-d * d) / (2 * h * h));
    const x = Float64Array.of(1, 2);
    const y = Float64Array.of(1 + d, 2);
    expect(mmd2(x, y, 2, { bandwidths: [h], unbiased: false })).toBeCloseTo(2 - 2 * k, 14);
    // Unbiased with repeated atoms: the within terms are k(0) = 1 exactly.
    const xs = Float64Array.of(1, 2, 1, 2, 1, 2);
    const ys = Float64Array.of(1 + d, 2, 1 + d, 2);
    expect(mmd2(xs, ys, 2, { bandwidths: [h] })).toBeCloseTo(2 - 2 * k, 14);
    const bandwidths = [0.1, 0.5, 1, 2, 5];
    const sum = bandwidths.reduce((s, b) => s + Math.exp((-d * d) / (2 * b * b)), 0);
    expect(mmd2(xs, ys, 2)).toBeCloseTo(2 * 5 - 2 * sum, 13);
  });

  it('is symmetric, permutation invariant and grows with the shift between Gaussians', () => {
    const random = testRandom(31);
    const a = gaussianPoints(random, 150, 2);
    const b = gaussianPoints(random, 120, 2, [0.5, 0]);
    const c = gaussianPoints(random, 120, 2, [2, 0]);
    const ab = mmd2(a, b, 2);
    expect(mmd2(b, a, 2)).toBeCloseTo(ab, 13);
    const shuffled = new Float64Array(b.length);
    for (let i = 0; i < 120; i++) shuffled.set(b.subarray(i * 2, i * 2 + 2), ((i * 7) % 120) * 2);
    expect(mmd2(a, shuffled, 2)).toBeCloseTo(ab, 12);
    expect(mmd2(a, c, 2)).toBeGreaterThan(ab);
    expect(ab).toBeGreaterThan(0);
  });

  it('matches the closed form for Gaussians with one bandwidth (MC, n = 400)', () => {
    // For X ~ N(0, I_d), Y ~ N(m, I_d), k = exp(−‖·‖²/(2h²)): E k(X, X') = (h²/(h² + 2))^{d/2},
    // E k(X, Y) = (h²/(h² + 2))^{d/2} · exp(−‖m‖²/(2(h² + 2))).
    const random = testRandom(32);
    const d = 2;
    const h = 1;
    const m2 = 1;
    const base = (h * h) / (h * h + 2);
    const exact = 2 * base - 2 * base * Math.exp(-m2 / (2 * (h * h + 2)));
    const a = gaussianPoints(random, 400, d);
    const b = gaussianPoints(random, 400, d, [1, 0]);
    expect(mmd2(a, b, d, { bandwidths: [h] })).toBeCloseTo(exact, 1);
    expect(Math.abs(mmd2(a, b, d, { bandwidths: [h] }) - exact)).toBeLessThan(0.03);
  });

  it('validates bandwidths and sizes', () => {
    const a = new Float64Array(4);
    expect(() => mmd2(a, a, 2, { bandwidths: [] })).toThrow(/at least one positive bandwidth/);
    expect(() => mmd2(a, a, 2, { bandwidths: [1, -2] })).toThrow(/bandwidths\[1\] is -2/);
    expect(() => mmd2(Float64Array.of(0, 0), a, 2)).toThrow(/a has 1 points; at least 2 are needed/);
    expect(mmd2(Float64Array.of(0, 0), Float64Array.of(0, 0), 2, { unbiased: false })).toBe(0);
  });
});
