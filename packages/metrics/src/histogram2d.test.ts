import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { histogram2d } from './histogram2d.js';

describe('histogram2d (numpy rules)', () => {
  const range = [
    [0, 4],
    [0, 2],
  ] as const;

  it('uses half-open bins, folds the right edge into the last bin and drops outside points', () => {
    const points = Float64Array.of(0, 0, 1, 0.5, 4, 2, 3.999, 1.999, -0.1, 1, 2, 2.5, 2, 1);
    const h = histogram2d(points, { bins: 4, range });
    expect(Array.from(h.edgesX)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(h.edgesY)).toEqual([0, 0.5, 1, 1.5, 2]);
    const at = (ix: number, iy: number): number => h.counts[ix * 4 + iy]!;
    expect(at(0, 0)).toBe(1); // (0, 0)
    expect(at(1, 1)).toBe(1); // (1, 0.5): on interior edges → upper bins
    expect(at(3, 3)).toBe(2); // (4, 2) folded, and (3.999, 1.999)
    expect(at(2, 2)).toBe(1); // (2, 1)
    expect(h.total).toBe(5); // (−0.1, 1) and (2, 2.5) dropped
    expect(h.counts.reduce((s, c) => s + c, 0)).toBe(5);
  });

  it('clips into the range when asked, and normalises to sum 1', () => {
    const points = Float64Array.of(-5, -5, 10, 10, 10, -1, 1.5, 0.75);
    const h = histogram2d(points, { bins: 2, range, clip: true, normalize: true });
    expect(h.total).toBe(4);
    expect(Array.from(h.counts)).toEqual([0.5, 0, 0.25, 0.25]);
    const random = testRandom(40);
    const cloud = gaussianPoints(random, 1000, 2);
    const n = histogram2d(cloud, {
      bins: 100,
      range: [
        [-1, 1],
        [-1, 1],
      ],
      clip: true,
      normalize: true,
    });
    expect(n.counts.reduce((s, c) => s + c, 0)).toBeCloseTo(1, 12);
  });

  it('widens a degenerate axis by ±0.5 like numpy', () => {
    const h = histogram2d(Float64Array.of(3, 1, 3, 1.5), {
      bins: 2,
      range: [
        [3, 3],
        [1, 2],
      ],
    });
    expect(Array.from(h.edgesX)).toEqual([2.5, 3, 3.5]);
    expect(h.counts[1 * 2 + 0]).toBe(1);
    expect(h.counts[1 * 2 + 1]).toBe(1);
  });

  it('validates bins, ranges and points', () => {
    const p = new Float64Array(4);
    expect(() => histogram2d(p, { bins: 0, range })).toThrow(/bins must be a positive integer, got 0/);
    expect(() =>
      histogram2d(p, {
        range: [
          [1, 0],
          [0, 1],
        ],
      }),
    ).toThrow(/range\[0\] \(x\) is \[1, 0\]/);
    expect(() => histogram2d(new Float64Array(3), { range })).toThrow(/points has length 3/);
    expect(() => histogram2d(Float64Array.of(0, 0, Number.POSITIVE_INFINITY, 0), { range })).toThrow(
      /points row 1 \(column 0\) is Infinity/,
    );
  });
});
