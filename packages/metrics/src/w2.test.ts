import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { w2, w2Assignment, w2Squared } from './w2.js';
import { w2Squared1d } from './w2-1d.js';

function permuteRows(points: Float64Array, dim: number, random: () => number): Float64Array {
  const n = points.length / dim;
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Float64Array(points.length);
  for (const [to, from] of order.entries()) out.set(points.subarray(from * dim, (from + 1) * dim), to * dim);
  return out;
}

describe('w2 / w2Squared', () => {
  it('is 0 for identical sets and for a permutation of the same set', () => {
    const random = testRandom(10);
    const a = gaussianPoints(random, 300, 3);
    expect(w2Squared(a, a, 3)).toBe(0);
    expect(w2(a, Float64Array.from(a), 3)).toBe(0);
    const shuffled = permuteRows(a, 3, random);
    expect(w2Squared(a, shuffled, 3)).toBe(0);
    const { rowToCol } = w2Assignment(a, shuffled, 3);
    for (let i = 0; i < 300; i++) {
      expect(Array.from(shuffled.subarray(rowToCol[i]! * 3, rowToCol[i]! * 3 + 3))).toEqual(
        Array.from(a.subarray(i * 3, i * 3 + 3)),
      );
    }
  });

  it('equals ‖s‖ for a set against itself shifted by s (the identity is optimal)', () => {
    const random = testRandom(11);
    const dim = 2;
    const a = gaussianPoints(random, 400, dim);
    const s = [0.75, -1.5];
    const b = a.map((v, k) => v + s[k % dim]!);
    const norm = Math.hypot(...s);
    expect(w2(a, b, dim)).toBeCloseTo(norm, 12);
    expect(w2Squared(a, b, dim)).toBeCloseTo(norm * norm, 12);
    expect(Array.from(w2Assignment(a, b, dim).rowToCol)).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('in 1-D equals the sorted (quantile) matching', () => {
    const random = testRandom(12);
    for (const n of [1, 2, 17, 500]) {
      const a = Float64Array.from({ length: n }, () => random() * 6 - 3);
      const b = Float64Array.from({ length: n }, () => random() ** 2 * 4);
      const sa = Float64Array.from(a).sort();
      const sb = Float64Array.from(b).sort();
      let quantile = 0;
      for (let i = 0; i < n; i++) quantile += (sa[i]! - sb[i]!) ** 2;
      quantile /= n;
      expect(w2Squared(a, b, 1)).toBeCloseTo(quantile, 12);
      expect(w2Squared1d(a, b)).toBeCloseTo(quantile, 12);
    }
  });

  it('obeys W2²(X, Y + m) = W2²(X, Y) − 2m·(x̄ − ȳ) + ‖m‖² exactly (the shift does not change the plan)', () => {
    const random = testRandom(13);
    const dim = 2;
    const n = 300;
    const x = gaussianPoints(random, n, dim);
    const y = gaussianPoints(random, n, dim);
    const m = [3, -1];
    const ym = y.map((v, k) => v + m[k % dim]!);
    let cross = 0;
    for (let c = 0; c < dim; c++) {
      let xbar = 0;
      let ybar = 0;
      for (let i = 0; i < n; i++) {
        xbar += x[i * dim + c]! / n;
        ybar += y[i * dim + c]! / n;
      }
      cross += m[c]! * (xbar - ybar);
    }
    const expected = w2Squared(x, y, dim) - 2 * cross + (m[0]! ** 2 + m[1]! ** 2);
    expect(w2Squared(x, ym, dim)).toBeCloseTo(expected, 9);
  });

  it('N(0, I) vs N(m, I) samples: W2² ≈ ‖m‖² + positive finite-n bias (MC, 4σ tolerance)', () => {
    // W2²(X, Y + m) − ‖m‖² = W2²(X, Y) − 2m·(x̄ − ȳ); the last term is N(0, 8‖m‖²/n), and the
    // finite-sample bias W2²(X, Y) between two independent N(0, I₂) samples of n = 1000 is
    // ~0.02–0.1 (it decays like log n / n in 2-D).
    const random = testRandom(14);
    const dim = 2;
    const n = 1000;
    const m = [3, -1];
    const m2 = 10;
    const x = gaussianPoints(random, n, dim);
    const y = gaussianPoints(random, n, dim, m);
    const sigma = Math.sqrt((8 * m2) / n);
    const value = w2Squared(x, y, dim);
    expect(Math.abs(value - m2)).toBeLessThan(4 * sigma + 0.15);
    const bias = w2Squared(x, gaussianPoints(random, n, dim), dim);
    expect(bias).toBeGreaterThan(0);
    expect(bias).toBeLessThan(0.15);
  });

  it('validates: unequal sizes, length not a multiple of dim, non-finite rows', () => {
    const a = new Float64Array(6);
    expect(() => w2(a, new Float64Array(8), 2)).toThrow(/a has 3 points but b has 4/);
    expect(() => w2(a, new Float64Array(7), 2)).toThrow(/b has length 7, which is not a multiple of dim = 2/);
    expect(() => w2(Float64Array.of(0, 0, 1, Number.NaN), Float64Array.of(0, 0, 1, 1), 2)).toThrow(
      /a row 1 \(column 1\) is NaN/,
    );
    expect(() => w2(a, a, 0)).toThrow(/dim must be a positive integer, got 0/);
    expect(() => w2([0, 1] as unknown as Float64Array, a, 1)).toThrow(
      /a must be a Float32Array or Float64Array/,
    );
  });

  it('times W2 at n = 2000 in 2-D (logged, not asserted)', () => {
    const random = testRandom(15);
    const a = new Float32Array(gaussianPoints(random, 2000, 2));
    const b = new Float32Array(gaussianPoints(random, 2000, 2, [0.5, 0]));
    const started = performance.now();
    const value = w2(a, b, 2);
    console.log(`w2 n=2000 dim=2: ${(performance.now() - started).toFixed(0)} ms (W2 = ${value.toFixed(4)})`);
    expect(value).toBeGreaterThan(0.4);
  });
});

describe('w2Squared1d with unequal sizes', () => {
  it('integrates the squared difference of the quantile functions exactly', () => {
    // a: quantile 0 on (0, ½], 1 on (½, 1]; b: 0 on (0, ⅓], 3 on (⅓, 1]:
    // ∫ = (⅓)·0 + (½ − ⅓)·9 + (½)·4 = 1.5 + 2 = 3.5.
    expect(w2Squared1d(Float64Array.of(1, 0), Float64Array.of(3, 0, 3))).toBeCloseTo(3.5, 14);
    // Duplicating every point leaves the empirical law, hence W2², unchanged.
    const random = testRandom(16);
    const a = Float64Array.from({ length: 50 }, () => random());
    const b = Float64Array.from({ length: 70 }, () => random() * 2);
    const bb = Float64Array.from([...b, ...b]);
    expect(w2Squared1d(a, bb)).toBeCloseTo(w2Squared1d(a, b), 12);
    expect(w2Squared1d(a, b)).toBeCloseTo(w2Squared1d(b, a), 14);
  });
});
