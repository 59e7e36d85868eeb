import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { histogram2d } from './histogram2d.js';
import { pmfBox, pmfRmse } from './pmf-rmse.js';

describe('pmfRmse (VSDM, algorithms.md §1.10)', () => {
  it('T20: pmfRmse(x, x) = 0, the histograms sum to 1, and the value is permutation invariant', () => {
    const random = testRandom(50);
    const x = new Float32Array(gaussianPoints(random, 2000, 2).map((v, k) => (k % 2 === 0 ? v : 8 * v)));
    expect(pmfRmse(x, x)).toBe(0);
    const range = pmfBox(x);
    const p = histogram2d(x, { bins: 100, range, clip: true, normalize: true });
    expect(p.counts.length).toBe(10_000);
    expect(p.counts.reduce((s, c) => s + c, 0)).toBeCloseTo(1, 12);
    const y = new Float32Array(gaussianPoints(random, 1500, 2, [0.3, 0]));
    const value = pmfRmse(y, x);
    expect(value).toBeGreaterThan(0);
    const reversed = new Float32Array(y.length);
    for (let i = 0; i < 1500; i++) reversed.set(y.subarray(i * 2, i * 2 + 2), (1499 - i) * 2);
    expect(pmfRmse(reversed, x)).toBe(value);
    const shuffledRef = new Float32Array(x.length);
    for (let i = 0; i < 2000; i++) shuffledRef.set(x.subarray(i * 2, i * 2 + 2), ((i * 7) % 2000) * 2);
    expect(pmfRmse(y, shuffledRef)).toBe(value);
  });

  it('hand-computed 2×2 case: the box (with the quirk), clipping and the folded right edge', () => {
    // Reference x ∈ {1, 2, 3, 2} → box [1.025, 3.075] (the positive minimum moves inwards);
    // y ∈ {1, 2, 4, 3} → [1.025, 4.1]. Edges x: 1.025 | 2.05 | 3.075, y: 1.025 | 2.5625 | 4.1.
    const reference = Float64Array.of(1, 1, 2, 2, 3, 4, 2, 3);
    const box = pmfBox(reference);
    expect(box[0][0]).toBeCloseTo(1.025, 15);
    expect(box[0][1]).toBeCloseTo(3.075, 15);
    expect(box[1][0]).toBeCloseTo(1.025, 15);
    expect(box[1][1]).toBeCloseTo(4.1, 15);
    // Reference bins: (1,1) → clipped to the corner → (0,0); (2,2) → (0,0); (3,4) → (1,1); (2,3) → (0,1).
    const q = histogram2d(reference, { bins: 2, range: box, clip: true, normalize: true }).counts;
    expect(Array.from(q)).toEqual([0.5, 0.25, 0, 0.25]);
    // Samples: (10, 0) → clipped to (3.075, 1.025): x on the right edge, folded into bin 1 → (1,0);
    // (0, 5) → (1.025, 4.1) → (0,1); (2.5, 2) → (1,0); (3, 3) → (1,1).
    const samples = Float64Array.of(10, 0, 0, 5, 2.5, 2, 3, 3);
    const p = histogram2d(samples, { bins: 2, range: box, clip: true, normalize: true }).counts;
    expect(Array.from(p)).toEqual([0, 0.25, 0.5, 0.25]);
    // Differences −0.5, 0, 0.5, 0 → RMSE = √(0.5/4).
    expect(pmfRmse(samples, reference, { bins: 2 })).toBeCloseTo(Math.sqrt(0.125), 15);
  });

  it('keeps the multiplicative quirk for negative maxima and uses the reference box only', () => {
    const reference = Float64Array.of(-4, -2, -2, -1);
    expect(pmfBox(reference)).toEqual([
      [-4 * 1.025, -2 * 1.025],
      [-2 * 1.025, -1 * 1.025],
    ]);
    // A sample set far outside the reference box lands entirely in one corner bin after clipping.
    const far = Float64Array.of(100, 100, 200, 300);
    const bins = 10;
    const q = histogram2d(reference, { bins, range: pmfBox(reference), clip: true, normalize: true }).counts;
    let expected = 0;
    for (let k = 0; k < bins * bins; k++) expected += ((k === bins * bins - 1 ? 1 : 0) - q[k]!) ** 2;
    expect(pmfRmse(far, reference, { bins })).toBeCloseTo(Math.sqrt(expected / (bins * bins)), 15);
  });

  it('validates its arguments', () => {
    expect(() => pmfRmse(new Float64Array(3), new Float64Array(4))).toThrow(/samples has length 3/);
    expect(() => pmfRmse(new Float64Array(2), new Float64Array(0))).toThrow(/reference has 0 points/);
    expect(() => pmfRmse(new Float64Array(2), new Float64Array(2), { buffer: 0 })).toThrow(/buffer must be/);
    expect(() => pmfRmse(new Float64Array(2), new Float64Array(2), { bins: 2.5 })).toThrow(/bins must be/);
  });
});
