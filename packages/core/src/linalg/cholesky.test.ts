import { describe, expect, it } from 'vitest';
import { cholesky } from './cholesky.js';
import { Matrix } from './matrix.js';
import { randomSpd, relativeError } from './test-matrices.test-helper.js';

describe('cholesky', () => {
  it('gives L·Lᵀ = A for a random SPD 6×6 with L lower triangular and a positive diagonal', () => {
    const a = randomSpd(6, 31);
    const l = cholesky(a);
    expect(relativeError(l.mul(l.transpose()), a)).toBeLessThan(1e-14);
    for (let i = 0; i < 6; i++) {
      expect(l.get(i, i)).toBeGreaterThan(0);
      for (let j = i + 1; j < 6; j++) expect(l.get(i, j)).toBe(0);
    }
  });

  it('reproduces the textbook 3×3 example', () => {
    const a = Matrix.from([
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ]);
    const expected = Matrix.from([
      [2, 0, 0],
      [6, 1, 0],
      [-8, 5, 3],
    ]);
    expect(relativeError(cholesky(a), expected)).toBeLessThan(1e-15);
  });

  it('factors ½(A + Aᵀ) when the input carries rounding asymmetry', () => {
    const a = randomSpd(4, 32);
    const skewed = a.add(
      Matrix.from([
        [0, 1e-12, 0, 0],
        [-1e-12, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]),
    );
    expect(relativeError(cholesky(skewed), cholesky(a))).toBeLessThan(1e-15);
  });

  it('throws a RangeError naming a, the pivot index and value, and suggesting jitter', () => {
    const a = Matrix.from([
      [1, 2],
      [2, 1],
    ]);
    expect(() => cholesky(a)).toThrow(RangeError);
    expect(() => cholesky(a)).toThrow(/cholesky: a is not positive definite: pivot 1 is -3 \(must be > 0\)/);
    expect(() => cholesky(a)).toThrow(/jitter/);
  });

  it('factors a singular positive semidefinite matrix once jitter is added', () => {
    const v = Matrix.from([[1], [2], [3]]);
    const a = v.mul(v.transpose());
    expect(() => cholesky(a)).toThrow(/pivot 1 is 0/);
    const jitter = 1e-8;
    const l = cholesky(a, { jitter });
    expect(relativeError(l.mul(l.transpose()), a.add(Matrix.scalar(3, jitter)))).toBeLessThan(1e-14);
  });

  it('rejects a non-square matrix and an invalid jitter', () => {
    expect(() => cholesky(Matrix.zeros(2, 3))).toThrow(/cholesky: a must be square, got 2×3/);
    expect(() => cholesky(Matrix.eye(2), { jitter: -1 })).toThrow(
      /options.jitter must be a finite number ≥ 0, got -1/,
    );
  });
});
