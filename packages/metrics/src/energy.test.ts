import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { energyDistance } from './energy.js';

describe('energyDistance', () => {
  it('V-statistic is exactly 0 for identical sets; U-statistic is −2/(n−1)·mean within distance', () => {
    const random = testRandom(33);
    const a = gaussianPoints(random, 100, 3);
    expect(energyDistance(a, a, 3, { unbiased: false })).toBe(0);
    let mean = 0;
    for (let i = 0; i < 100; i++) {
      for (let j = 0; j < 100; j++) {
        let s = 0;
        for (let c = 0; c < 3; c++) s += (a[i * 3 + c]! - a[j * 3 + c]!) ** 2;
        mean += Math.sqrt(s) / (100 * 100);
      }
    }
    expect(energyDistance(a, a, 3)).toBeCloseTo((-2 / 99) * mean, 12);
  });

  it('two point masses at distance d: 2d', () => {
    expect(energyDistance(Float64Array.of(0, 0, 0, 0), Float64Array.of(3, 4, 3, 4), 2)).toBeCloseTo(10, 14);
    expect(energyDistance(Float64Array.of(0, 0), Float64Array.of(3, 4), 2, { unbiased: false })).toBe(10);
  });

  it('1-D closed form for shifted normals: 2E|Z√2 + m| − 2E|Z√2| (MC, n = 500)', () => {
    // X − Y ~ N(−m, 2): E|N(μ, σ²)| = σ√(2/π) e^{−μ²/2σ²} + μ(1 − 2Φ(−μ/σ)).
    const random = testRandom(34);
    const m = 1.5;
    const sigma = Math.SQRT2;
    const phi = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2));
    const absMean = (mu: number): number =>
      sigma * Math.sqrt(2 / Math.PI) * Math.exp((-mu * mu) / (2 * sigma * sigma)) +
      mu * (1 - 2 * phi(-mu / sigma));
    const exact = 2 * absMean(m) - 2 * absMean(0);
    const a = gaussianPoints(random, 500, 1);
    const b = gaussianPoints(random, 500, 1, [m]);
    expect(Math.abs(energyDistance(a, b, 1) - exact)).toBeLessThan(0.08);
  });

  it('is symmetric and permutation invariant', () => {
    const random = testRandom(35);
    const a = gaussianPoints(random, 80, 2);
    const b = gaussianPoints(random, 90, 2, [1, 1]);
    const ab = energyDistance(a, b, 2);
    expect(energyDistance(b, a, 2)).toBeCloseTo(ab, 13);
    const reversed = new Float64Array(b.length);
    for (let i = 0; i < 90; i++) reversed.set(b.subarray(i * 2, i * 2 + 2), (89 - i) * 2);
    expect(energyDistance(a, reversed, 2)).toBeCloseTo(ab, 12);
  });
});

/** erf by its Taylor series (accurate to ~1e-15 for the |x| < 2 used here). */
function erf(x: number): number {
  const t = Math.abs(x);
  let sum = t;
  let term = t;
  for (let k = 1; k < 200; k++) {
    term *= (-t * t) / k;
    const add = term / (2 * k + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  const value = (2 / Math.sqrt(Math.PI)) * sum;
  return x < 0 ? -value : value;
}
