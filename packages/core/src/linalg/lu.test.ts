import { describe, expect, it } from 'vitest';
import { det, inv, luFactor, solve } from './lu.js';
import { Matrix } from './matrix.js';
import { randomMatrix, relativeError } from './test-matrices.test-helper.js';

// Diagonal shift keeps the random matrices far from singular, so residuals sit at rounding level.
const wellConditioned = (n: number, seed: number) => randomMatrix(n, n, seed).add(Matrix.scalar(n, 3));

describe('luFactor', () => {
  it('reconstructs P·A = L·U', () => {
    const a = randomMatrix(6, 6, 21);
    const { lu, perm } = luFactor(a);
    const l = Matrix.eye(6);
    const u = Matrix.zeros(6);
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        if (j < i) l.data[i * 6 + j] = lu.get(i, j);
        else u.data[i * 6 + j] = lu.get(i, j);
      }
    }
    const pa = Matrix.zeros(6);
    for (let i = 0; i < 6; i++) pa.data.set(a.data.subarray(perm[i]! * 6, perm[i]! * 6 + 6), i * 6);
    expect(relativeError(l.mul(u), pa)).toBeLessThan(1e-14);
    // Partial pivoting bounds every multiplier by 1.
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < i; j++) expect(Math.abs(l.get(i, j))).toBeLessThanOrEqual(1);
  });
});

describe('solve', () => {
  it('satisfies A·solve(A, B) = B for a random well-conditioned 6×6', () => {
    const a = wellConditioned(6, 22);
    const b = randomMatrix(6, 3, 23);
    expect(relativeError(a.mul(solve(a, b)), b)).toBeLessThan(1e-12);
  });

  it('pivots past a zero leading entry', () => {
    const a = Matrix.from([
      [0, 2],
      [3, 0],
    ]);
    expect(solve(a, Matrix.from([[4], [9]])).toArray()).toEqual([[3], [2]]);
  });

  it('throws a RangeError naming a when a is singular', () => {
    const a = Matrix.from([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(() => solve(a, Matrix.eye(3))).toThrow(RangeError);
    expect(() => solve(a, Matrix.eye(3))).toThrow(/solve: a is singular to working precision \(pivot 2/);
    expect(() => solve(Matrix.zeros(2), Matrix.eye(2))).toThrow(/solve: a is singular/);
  });

  it('throws a RangeError naming the argument on shape mismatch', () => {
    expect(() => solve(Matrix.zeros(2, 3), Matrix.zeros(2, 1))).toThrow(/solve: a must be square, got 2×3/);
    expect(() => solve(Matrix.eye(2), Matrix.zeros(3, 1))).toThrow(/solve: b has 3 rows, expected 2/);
  });
});

describe('inv', () => {
  it('gives A·inv(A) = inv(A)·A = I', () => {
    const a = wellConditioned(5, 24);
    const ai = inv(a);
    expect(relativeError(a.mul(ai), Matrix.eye(5))).toBeLessThan(1e-13);
    expect(relativeError(ai.mul(a), Matrix.eye(5))).toBeLessThan(1e-13);
  });
});

describe('det', () => {
  it.each([
    {
      name: '2×2',
      a: [
        [1, 2],
        [3, 4],
      ],
      expected: -2,
    },
    {
      name: '3×3',
      a: [
        [6, 1, 1],
        [4, -2, 5],
        [2, 8, 7],
      ],
      expected: -306,
    },
    {
      name: 'odd permutation',
      a: [
        [0, 1, 0],
        [1, 0, 0],
        [0, 0, 1],
      ],
      expected: -1,
    },
    {
      name: 'upper triangular',
      a: [
        [2, 7, -1],
        [0, -3, 4],
        [0, 0, 0.5],
      ],
      expected: -3,
    },
    {
      name: 'exactly singular',
      a: [
        [1, 2],
        [2, 4],
      ],
      expected: 0,
    },
  ])('is $expected for the $name example', ({ a, expected }) => {
    expect(Math.abs(det(Matrix.from(a)) - expected)).toBeLessThanOrEqual(
      1e-12 * Math.max(1, Math.abs(expected)),
    );
  });

  it('is multiplicative: det(AB) = det(A)·det(B)', () => {
    const a = randomMatrix(5, 5, 25);
    const b = randomMatrix(5, 5, 26);
    const expected = det(a) * det(b);
    expect(Math.abs(det(a.mul(b)) - expected)).toBeLessThan(1e-12 * Math.abs(expected));
  });

  it('is 1 for the empty matrix', () => {
    expect(det(Matrix.zeros(0))).toBe(1);
  });
});
