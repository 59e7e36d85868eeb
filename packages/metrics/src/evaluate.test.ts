import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { energyDistance } from './energy.js';
import { evaluateSamples } from './evaluate.js';
import { mmd2 } from './mmd.js';
import { pmfRmse } from './pmf-rmse.js';
import { slicedW2 } from './sliced-w2.js';
import { w2Squared } from './w2.js';

describe('evaluateSamples', () => {
  it('returns the benchmarks.md keys, each equal to its metric', () => {
    const random = testRandom(70);
    const samples = new Float32Array(gaussianPoints(random, 300, 2, [0.3, 0]));
    const reference = new Float32Array(gaussianPoints(random, 300, 2));
    const metrics = evaluateSamples(samples, reference, 2, { seed: 5 });
    expect(Object.keys(metrics).sort()).toEqual(
      ['energy', 'mmd2', 'n', 'n_ref', 'pmf_rmse', 'sliced_w2', 'w2', 'w2_n', 'w2_sq'].sort(),
    );
    expect(metrics.n).toBe(300);
    expect(metrics.w2_n).toBe(300);
    expect(metrics.w2_sq).toBe(w2Squared(samples, reference, 2));
    expect(metrics.w2).toBeCloseTo(Math.sqrt(metrics.w2_sq!), 15);
    expect(metrics.sliced_w2).toBe(slicedW2(samples, reference, 2, { seed: 5 }));
    expect(metrics.mmd2).toBe(mmd2(samples, reference, 2));
    expect(metrics.energy).toBe(energyDistance(samples, reference, 2));
    expect(metrics.pmf_rmse).toBe(pmfRmse(samples, reference));
  });

  it('caps W2 at w2MaxN (first rows of each set), omits disabled metrics, PMF only in 2-D', () => {
    const random = testRandom(71);
    const samples = gaussianPoints(random, 120, 3);
    const reference = gaussianPoints(random, 100, 3);
    const metrics = evaluateSamples(samples, reference, 3, { w2MaxN: 50, mmd: false, energy: false });
    expect(metrics.w2_n).toBe(50);
    expect(metrics.n).toBe(120);
    expect(metrics.n_ref).toBe(100);
    expect(metrics.w2_sq).toBe(w2Squared(samples.subarray(0, 150), reference.subarray(0, 150), 3));
    expect(metrics).not.toHaveProperty('mmd2');
    expect(metrics).not.toHaveProperty('energy');
    expect(metrics).not.toHaveProperty('pmf_rmse');
    // Unequal sizes without a cap: W2 on the first min(n, n_ref) rows.
    expect(evaluateSamples(samples, reference, 3, { sliced: false, mmd: false, energy: false }).w2_n).toBe(
      100,
    );
    expect(() => evaluateSamples(samples, reference, 3, { pmf: true })).toThrow(/dim = 2 only, got dim = 3/);
    expect(() => evaluateSamples(samples, reference, 3, { w2MaxN: 0 })).toThrow(
      /w2MaxN must be a positive integer/,
    );
  });

  it('gives 0 (or ≈ 0 for the unbiased estimators) for a sample against itself', () => {
    const random = testRandom(72);
    const x = gaussianPoints(random, 200, 2);
    const metrics = evaluateSamples(x, x, 2);
    expect(metrics.w2).toBe(0);
    expect(metrics.sliced_w2).toBe(0);
    expect(metrics.pmf_rmse).toBe(0);
    expect(Math.abs(metrics.mmd2!)).toBeLessThan(0.06);
    expect(Math.abs(metrics.energy!)).toBeLessThan(0.05);
  });
});
