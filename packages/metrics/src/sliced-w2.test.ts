import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { randomUnitDirections, SeededRandom } from './random.js';
import { slicedW2, slicedW2Squared } from './sliced-w2.js';
import { w2Squared } from './w2.js';

describe('slicedW2', () => {
  it('is exactly 0 for identical sets and ≈ 0 for a permutation', () => {
    const random = testRandom(20);
    const a = gaussianPoints(random, 200, 3);
    expect(slicedW2(a, a, 3)).toBe(0);
    const reversed = new Float64Array(a.length);
    for (let i = 0; i < 200; i++) reversed.set(a.subarray(i * 3, i * 3 + 3), (199 - i) * 3);
    expect(slicedW2(a, reversed, 3)).toBe(0);
  });

  it('equals the shift for shifted sets in 1-D, and ‖s‖·√(mean cos²) ≈ ‖s‖/√dim in d dimensions', () => {
    const random = testRandom(21);
    const a = gaussianPoints(random, 300, 1);
    const b = a.map((v) => v + 1.75);
    expect(slicedW2(a, b, 1)).toBeCloseTo(1.75, 12);
    // In d dims every projection is shifted by ⟨s, θ⟩, so SW2² = mean ⟨s, θ⟩² exactly.
    const dim = 3;
    const s = [2, -1, 0.5];
    const x = gaussianPoints(random, 300, dim);
    const y = x.map((v, k) => v + s[k % dim]!);
    const directions = randomUnitDirections(256, dim, 7);
    let expected = 0;
    for (let l = 0; l < 256; l++) {
      let dot = 0;
      for (let c = 0; c < dim; c++) dot += s[c]! * directions[l * dim + c]!;
      expected += (dot * dot) / 256;
    }
    expect(slicedW2Squared(x, y, dim, { seed: 7 })).toBeCloseTo(expected, 10);
    // E⟨s, θ⟩² = ‖s‖²/d for θ uniform on the sphere (MC over 256 directions: ±25 %).
    const norm2 = 4 + 1 + 0.25;
    expect(expected).toBeGreaterThan((0.75 * norm2) / dim);
    expect(expected).toBeLessThan((1.25 * norm2) / dim);
  });

  it('is symmetric, permutation invariant, seeded, and at most W2', () => {
    const random = testRandom(22);
    const a = gaussianPoints(random, 150, 2);
    const b = gaussianPoints(random, 150, 2, [1, 0.5]);
    const ab = slicedW2(a, b, 2, { seed: 3 });
    expect(slicedW2(b, a, 2, { seed: 3 })).toBeCloseTo(ab, 14);
    const rotated = new Float64Array(b.length);
    for (let i = 0; i < 150; i++) rotated.set(b.subarray(i * 2, i * 2 + 2), ((i + 37) % 150) * 2);
    expect(slicedW2(a, rotated, 2, { seed: 3 })).toBeCloseTo(ab, 14);
    expect(slicedW2(a, b, 2, { seed: 3 })).toBe(ab);
    expect(slicedW2(a, b, 2, { seed: 4 })).not.toBe(ab);
    // Projection is 1-Lipschitz, so every 1-D W2 ≤ W2 (the projected optimal plan is a plan).
    expect(ab).toBeLessThanOrEqual(Math.sqrt(w2Squared(a, b, 2)) + 1e-12);
  });

  it('accepts unequal sizes through exact quantile functions', () => {
    const random = testRandom(23);
    const a = gaussianPoints(random, 100, 2);
    const doubled = Float64Array.from([...a, ...a]);
    expect(slicedW2(a, doubled, 2)).toBeCloseTo(0, 12);
    const b = gaussianPoints(random, 137, 2, [3, 0]);
    expect(slicedW2(a, b, 2)).toBeGreaterThan(1);
  });

  it('validates its arguments', () => {
    const a = new Float64Array(4);
    expect(() => slicedW2(a, a, 2, { projections: 0 })).toThrow(/projections\) must be a positive integer/);
    expect(() => slicedW2(a, a, 2, { seed: 0.5 })).toThrow(/seed must be an integer/);
    expect(() => slicedW2(a, new Float64Array(0), 2)).toThrow(/b has 0 points/);
  });
});

describe('SeededRandom / randomUnitDirections', () => {
  it('gives reproducible uniforms in (0, 1), standard normals and unit directions', () => {
    const r1 = new SeededRandom(5);
    const r2 = new SeededRandom(5);
    const draws = Array.from({ length: 1000 }, () => r1.uniform());
    expect(draws).toEqual(Array.from({ length: 1000 }, () => r2.uniform()));
    expect(Math.min(...draws)).toBeGreaterThan(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const normal = new SeededRandom(6);
    let sum = 0;
    let sum2 = 0;
    const count = 20_000;
    for (let k = 0; k < count; k++) {
      const z = normal.normal();
      sum += z;
      sum2 += z * z;
    }
    expect(Math.abs(sum / count)).toBeLessThan(0.03);
    expect(Math.abs(sum2 / count - 1)).toBeLessThan(0.04);
    const directions = randomUnitDirections(64, 4, 9);
    for (let l = 0; l < 64; l++) {
      let norm2 = 0;
      for (let c = 0; c < 4; c++) norm2 += directions[l * 4 + c]! ** 2;
      expect(norm2).toBeCloseTo(1, 14);
    }
    expect(randomUnitDirections(64, 4, 9)).toEqual(directions);
  });
});
