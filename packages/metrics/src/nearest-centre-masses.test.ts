import { describe, expect, it } from 'vitest';
import { nearestCentreMasses } from './nearest-centre-masses.js';

describe('nearestCentreMasses', () => {
  const centres = [
    [0, 0],
    [4, 0],
    [0, 4],
  ];

  it('counts each row at its nearest centre, as a fraction of all rows', () => {
    const points = Float32Array.from([0.1, -0.2, 3.5, 0.4, 4.2, -1, 0.3, 3.1, 1.9, 0]);
    expect(nearestCentreMasses(points, 2, centres)).toEqual([0.4, 0.4, 0.2]);
  });

  it('counts a non-finite row nowhere, so the masses sum to less than 1', () => {
    const points = Float32Array.from([0, 0, Number.NaN, 1, 4, 0, 4, Number.POSITIVE_INFINITY]);
    expect(nearestCentreMasses(points, 2, centres)).toEqual([0.25, 0.25, 0]);
  });

  it('names a bad argument', () => {
    expect(() => nearestCentreMasses(new Float32Array(3), 2, centres)).toThrow(
      /not a positive multiple of dim = 2/,
    );
    expect(() => nearestCentreMasses(new Float32Array(2), 2, [[0, 0, 0]])).toThrow(
      /centres\[0\] has 3 coordinates/,
    );
    expect(() => nearestCentreMasses(new Float32Array(2), 2, [])).toThrow(/centres must not be empty/);
  });
});
