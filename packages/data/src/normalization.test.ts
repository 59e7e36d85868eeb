import { describe, expect, it } from 'vitest';
import { denormalize, fitNormalization, normalize, STD_FLOOR } from './normalization.js';
import { column, expectSameBits, mean } from './testing/monte-carlo.test-helper.js';

describe('normalisation', () => {
  // Deterministic data with very different scales per column: x around −8, y around 2000.
  const points = Float32Array.from({ length: 40_000 }, (_, i) =>
    i % 2 === 0 ? -8 + 3 * Math.sin(i) : 2000 + 50 * Math.cos(1.7 * i),
  );

  it('fits per-dimension mean and population std', () => {
    const norm = fitNormalization(points, 2);
    expect(norm.kind).toBe('standard');
    for (let j = 0; j < 2; j++) {
      const c = column(points, 2, j);
      const m = mean(c);
      expect(norm.mean[j]).toBeCloseTo(m, 10);
      expect(norm.std[j]).toBeCloseTo(Math.sqrt(mean(c.map((v) => (v - m) ** 2))), 10);
    }
    expect(fitNormalization([1, 3], 1)).toEqual({ kind: 'standard', mean: [2], std: [1] });
  });

  it('maps the data to mean 0, std 1 per dimension, and back to within 1e-6', () => {
    const norm = fitNormalization(points, 2);
    const z = normalize(points, 2, norm);
    for (let j = 0; j < 2; j++) {
      const c = column(z, 2, j);
      expect(Math.abs(mean(c))).toBeLessThan(1e-6);
      expect(Math.sqrt(mean(c.map((v) => v * v)))).toBeCloseTo(1, 6);
    }
    const back = denormalize(z, 2, norm);
    let worst = 0;
    for (let i = 0; i < points.length; i++)
      worst = Math.max(worst, Math.abs(back[i]! - points[i]!) / Math.max(1, Math.abs(points[i]!)));
    expect(worst).toBeLessThan(1e-6);
  });

  it('survives a JSON round trip', () => {
    const norm = fitNormalization(points, 2);
    const restored = JSON.parse(JSON.stringify(norm));
    expect(restored).toEqual(norm);
    expectSameBits(normalize(points, 2, restored), normalize(points, 2, norm));
  });

  it('handles a constant column: std floored at 1e-8, normalised to exactly 0, restored exactly', () => {
    const data = new Float32Array([0.1, 1, 0.1, 2, 0.1, 4, 0.1, -3]);
    const norm = fitNormalization(data, 2);
    expect(norm.mean[0]).toBe(Math.fround(0.1));
    expect(norm.std[0]).toBe(STD_FLOOR);
    const z = normalize(data, 2, norm);
    expect(Array.from(column(z, 2, 0))).toEqual([0, 0, 0, 0]);
    expect(denormalize(z, 2, norm)).toEqual(data);
  });

  it("kind 'none' is the identity", () => {
    const norm = fitNormalization(points, 2, 'none');
    expect(norm).toEqual({ kind: 'none', mean: [0, 0], std: [1, 1] });
    expectSameBits(normalize(points, 2, norm), points);
    expectSameBits(denormalize(points, 2, norm), points);
  });

  it('validates its arguments, naming them', () => {
    expect(() => fitNormalization(new Float32Array(), 2)).toThrow(/fitNormalization: points has 0 rows/);
    expect(() => fitNormalization([1, Number.NaN], 2)).toThrow(
      /fitNormalization\(points\): row 1, column 2 is NaN/,
    );
    expect(() => fitNormalization([1, 2], 2, 'minmax' as 'none')).toThrow(
      /kind must be 'standard' or 'none', got "minmax"/,
    );
    const norm = fitNormalization(points, 2);
    expect(() => normalize(points, 2, { ...norm, mean: [1] })).toThrow(
      /normalize: norm\.mean must be an array of 2 numbers/,
    );
    expect(() => normalize(points, 2, { ...norm, std: [1, 0] })).toThrow(
      /normalize: norm\.std\[1\] must be a finite number > 0, got 0/,
    );
    expect(() => denormalize(points, 2, { ...norm, kind: 'x' as 'none' })).toThrow(
      /denormalize: norm\.kind must be 'standard' or 'none'/,
    );
    expect(() => normalize(new Float32Array(3), 2, norm)).toThrow(
      /normalize\(points\): 3 values do not split/,
    );
  });
});
