import { describe, expect, it } from 'vitest';
import { strideIndices } from './subsample.js';
import { finiteNumbers, pointsXY } from './validate.js';

describe('pointsXY', () => {
  it('reads flat pairs from arrays and typed arrays', () => {
    const { x, y } = pointsXY('p', new Float32Array([1, 2, 3, 4]));
    expect([...x]).toEqual([1, 3]);
    expect([...y]).toEqual([2, 4]);
    expect(pointsXY('p', []).x.length).toBe(0);
  });

  it('reads nested [x, y] pairs', () => {
    const { x, y } = pointsXY('p', [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect([...x]).toEqual([1, 3, 5]);
    expect([...y]).toEqual([2, 4, 6]);
  });

  it('rejects odd lengths, non-finite values and malformed rows with the index and value', () => {
    expect(() => pointsXY('pts', [1, 2, 3])).toThrow(/pts has odd length 3/);
    expect(() => pointsXY('pts', [1, 2, 3, Number.NaN])).toThrow(
      /pts\[3\] \(y of point 1\) must be a finite number, got NaN/,
    );
    expect(() => pointsXY('pts', [0, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => pointsXY('pts', [[1, 2], [3]])).toThrow(/pts\[1\] must be an \[x, y\] pair/);
    expect(() =>
      pointsXY('pts', [
        [1, 2],
        [3, Number.NaN],
      ]),
    ).toThrow(/pts\[1\]\[1\] must be a finite number, got NaN/);
    expect(() => pointsXY('pts', [1, '2'])).toThrow(TypeError);
    expect(() => pointsXY('pts', 5)).toThrow(TypeError);
  });
});

describe('finiteNumbers', () => {
  it('copies finite values and names the bad index', () => {
    expect([...finiteNumbers('v', [1, 2])]).toEqual([1, 2]);
    expect(() => finiteNumbers('v', [1, Number.NEGATIVE_INFINITY])).toThrow(
      /v\[1\] must be a finite number, got -Infinity/,
    );
  });
});

describe('strideIndices', () => {
  it('keeps everything below the cap and strides evenly above it', () => {
    expect(strideIndices(3, 10)).toEqual([0, 1, 2]);
    expect(strideIndices(10, 5)).toEqual([0, 2, 4, 6, 8]);
    expect(strideIndices(10, Number.POSITIVE_INFINITY)).toHaveLength(10);
    expect(strideIndices(20_000, 7)).toEqual(strideIndices(20_000, 7));
  });
});
