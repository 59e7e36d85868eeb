import { describe, expect, it } from 'vitest';
import { validatePoints } from './validate-points.js';

describe('validatePoints', () => {
  it('accepts finite row-major data, empty included', () => {
    expect(() => validatePoints(new Float32Array([1, 2, 3, 4]), 2, 'x')).not.toThrow();
    expect(() => validatePoints(new Float32Array(), 3, 'x')).not.toThrow();
    expect(() => validatePoints([1e30, -0], 1, 'x')).not.toThrow();
  });

  it('names the source and the first bad row and column (1-based)', () => {
    expect(() => validatePoints(new Float32Array([1, 2, 3, 4, Number.NaN, 6]), 2, 'train.csv')).toThrow(
      'train.csv: row 3, column 1 is NaN; every value must be a finite number (rows and columns count from 1)',
    );
    expect(() => validatePoints(new Float64Array([0, 0, 0, Number.POSITIVE_INFINITY]), 2, 'batch')).toThrow(
      /^batch: row 2, column 2 is Infinity/,
    );
    expect(() => validatePoints([0, Number.NEGATIVE_INFINITY, Number.NaN], 3, 'a')).toThrow(
      /a: row 1, column 2 is -Infinity/,
    );
  });

  it('refuses a bad dim or a length that is not a multiple of dim', () => {
    expect(() => validatePoints(new Float32Array(5), 2, 'pts')).toThrow(
      'pts: 5 values do not split into rows of dim = 2',
    );
    expect(() => validatePoints(new Float32Array(4), 0, 'pts')).toThrow(
      /pts: dim must be a positive integer.*got 0/,
    );
    expect(() => validatePoints(new Float32Array(4), 1.5, 'pts')).toThrow(/got 1\.5/);
  });
});
