import { describe, expect, it } from 'vitest';
import { cholesky } from './cholesky.js';
import { solve } from './lu.js';
import { Matrix } from './matrix.js';
import { randomMatrix, randomSpd, relativeError } from './test-matrices.test-helper.js';
import { solveTriangular } from './triangular.js';

describe('solveTriangular', () => {
  const l = cholesky(randomSpd(6, 41));
  const u = l.transpose();
  const b = randomMatrix(6, 2, 42);

  it.each([
    { name: 'L·X = B', t: l, options: {}, op: l },
    { name: 'Lᵀ·X = B', t: l, options: { transpose: true }, op: u },
    { name: 'U·X = B', t: u, options: { lower: false }, op: u },
    { name: 'Uᵀ·X = B', t: u, options: { lower: false, transpose: true }, op: l },
  ])('solves $name like the general solve', ({ t, options, op }) => {
    expect(relativeError(solveTriangular(t, b, options), solve(op, b))).toBeLessThan(1e-13);
  });

  it('never reads the triangle opposite to the one selected', () => {
    // Garbage above the diagonal must not change a lower solve, and vice versa.
    const noise = randomMatrix(6, 6, 43).scale(100);
    const lNoisy = l.clone();
    const uNoisy = u.clone();
    for (let i = 0; i < 6; i++) {
      for (let j = i + 1; j < 6; j++) {
        lNoisy.data[i * 6 + j] = noise.get(i, j);
        uNoisy.data[j * 6 + i] = noise.get(j, i);
      }
    }
    expect(solveTriangular(lNoisy, b).toArray()).toEqual(solveTriangular(l, b).toArray());
    expect(solveTriangular(lNoisy, b, { transpose: true }).toArray()).toEqual(
      solveTriangular(l, b, { transpose: true }).toArray(),
    );
    expect(solveTriangular(uNoisy, b, { lower: false }).toArray()).toEqual(
      solveTriangular(u, b, { lower: false }).toArray(),
    );
  });

  it('solves L·Lᵀ·X = B with two calls', () => {
    const a = l.mul(u);
    const x = solveTriangular(l, solveTriangular(l, b), { transpose: true });
    expect(relativeError(a.mul(x), b)).toBeLessThan(1e-13);
  });

  it('throws RangeErrors naming the argument on a zero diagonal or a shape mismatch', () => {
    const singular = Matrix.from([
      [1, 0],
      [2, 0],
    ]);
    expect(() => solveTriangular(singular, Matrix.eye(2))).toThrow(
      /l is singular or non-finite: diagonal entry 1 is 0/,
    );
    expect(() => solveTriangular(Matrix.eye(2), Matrix.zeros(3, 1))).toThrow(/b has 3 rows, expected 2/);
    expect(() => solveTriangular(Matrix.zeros(2, 3), Matrix.zeros(2, 1))).toThrow(/l must be square/);
  });
});
