import { describe, expect, it } from 'vitest';
import { eigSym } from './eig-sym.js';
import { Matrix } from './matrix.js';
import { randomMatrix, relativeError } from './test-matrices.test-helper.js';

describe('eigSym', () => {
  it('gives A·V = V·diag(λ) and VᵀV = I with λ ascending for a random symmetric 6×6', () => {
    const r = randomMatrix(6, 6, 51);
    const a = r.add(r.transpose());
    const { values, vectors } = eigSym(a);
    expect(relativeError(a.mul(vectors), vectors.mul(Matrix.diag(values)))).toBeLessThan(1e-13);
    expect(relativeError(vectors.transpose().mul(vectors), Matrix.eye(6))).toBeLessThan(1e-14);
    for (let i = 1; i < 6; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    // The trace is the sum of the eigenvalues.
    expect(Math.abs(values.reduce((s, v) => s + v, 0) - a.trace())).toBeLessThan(1e-13);
  });

  it('finds the eigenvalues 1 and 3 of [[2, 1], [1, 2]]', () => {
    const { values, vectors } = eigSym(
      Matrix.from([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(Math.abs(values[0]! - 1)).toBeLessThan(1e-15);
    expect(Math.abs(values[1]! - 3)).toBeLessThan(1e-15);
    // Eigenvectors (1, −1)/√2 and (1, 1)/√2 up to sign.
    expect(Math.abs(vectors.get(0, 0) + vectors.get(1, 0))).toBeLessThan(1e-15);
    expect(Math.abs(vectors.get(0, 1) - vectors.get(1, 1))).toBeLessThan(1e-15);
  });

  it('sorts an already diagonal matrix and keeps repeated eigenvalues orthonormal', () => {
    const { values, vectors } = eigSym(Matrix.diag([3, -1, 3, 0]));
    expect(Array.from(values)).toEqual([-1, 0, 3, 3]);
    expect(relativeError(vectors.transpose().mul(vectors), Matrix.eye(4))).toBe(0);
  });

  it('handles a matrix with zero diagonal', () => {
    const a = Matrix.from([
      [0, 1, 0],
      [1, 0, 1],
      [0, 1, 0],
    ]);
    const { values } = eigSym(a);
    const expected = [-Math.SQRT2, 0, Math.SQRT2];
    for (let i = 0; i < 3; i++) expect(Math.abs(values[i]! - expected[i]!)).toBeLessThan(4e-15);
  });

  it('rejects non-square and clearly asymmetric matrices, naming a', () => {
    expect(() => eigSym(Matrix.zeros(2, 3))).toThrow(/eigSym: a must be square, got 2×3/);
    const asym = Matrix.from([
      [1, 2],
      [0, 1],
    ]);
    expect(() => eigSym(asym)).toThrow(/eigSym: a must be symmetric, got max\|a − aᵀ\| = 2/);
  });
});
