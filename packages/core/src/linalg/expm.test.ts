import { describe, expect, it } from 'vitest';
import { eigSym } from './eig-sym.js';
import { expm } from './expm.js';
import { Matrix } from './matrix.js';
import { randomMatrix, relativeError } from './test-matrices.test-helper.js';

// Hard-coded from Higham (2005), Table 2.3, independently of the implementation's constants.
const THETA_3 = 1.495585217958292e-2;
const THETA_5 = 2.53939833006323e-1;
const THETA_7 = 9.504178996162932e-1;
const THETA_9 = 2.097847961257068;
const THETA_13 = 5.371920351148152;

/** e^A for A = [[a, b], [0, c]]: the off-diagonal is b·(e^a − e^c)/(a − c), written with expm1 to stay accurate. */
function expUpperTriangular2(a: number, b: number, c: number): Matrix {
  return Matrix.from([
    [Math.exp(a), (b * Math.exp(c) * Math.expm1(a - c)) / (a - c)],
    [0, Math.exp(c)],
  ]);
}

function rotationGenerator(theta: number): Matrix {
  return Matrix.from([
    [0, -theta],
    [theta, 0],
  ]);
}

function rotation(theta: number): Matrix {
  return Matrix.from([
    [Math.cos(theta), -Math.sin(theta)],
    [Math.sin(theta), Math.cos(theta)],
  ]);
}

/** V·diag(e^λ)·Vᵀ: the exponential of a symmetric matrix through its eigendecomposition. */
function expSymmetric(a: Matrix): Matrix {
  const { values, vectors } = eigSym(a);
  return vectors.mul(Matrix.diag(values.map(Math.exp))).mul(vectors.transpose());
}

describe('expm', () => {
  it('maps the zero matrix to the identity exactly', () => {
    expect(expm(Matrix.zeros(4)).toArray()).toEqual(Matrix.eye(4).toArray());
  });

  it('exponentiates a diagonal matrix entrywise', () => {
    const entries = [1, -2, 0.5, 3, -7];
    const e = expm(Matrix.diag(entries));
    for (let i = 0; i < entries.length; i++) {
      expect(Math.abs(e.get(i, i) - Math.exp(entries[i]!))).toBeLessThanOrEqual(
        1e-13 * Math.exp(entries[i]!),
      );
      for (let j = 0; j < entries.length; j++) if (j !== i) expect(e.get(i, j)).toBe(0);
    }
  });

  it('sums the finite series of a nilpotent matrix', () => {
    const n = Matrix.from([
      [0, 1],
      [0, 0],
    ]);
    const expected = Matrix.from([
      [1, 1],
      [0, 1],
    ]);
    expect(relativeError(expm(n), expected)).toBeLessThan(1e-15);
  });

  it.each([0.5, 30])('turns the rotation generator with θ = %d into a rotation', (theta) => {
    // θ = 30 has ‖A‖₁ = 30 > θ₁₃, so it goes through 3 squarings.
    expect(relativeError(expm(rotationGenerator(theta)), rotation(theta))).toBeLessThan(1e-12);
  });

  it('satisfies expm(A)·expm(−A) = I for a random 5×5', () => {
    const a = randomMatrix(5, 5, 11);
    expect(relativeError(expm(a).mul(expm(a.scale(-1))), Matrix.eye(5))).toBeLessThan(1e-12);
  });

  it('commutes with transposition', () => {
    const a = randomMatrix(5, 5, 12).scale(2);
    expect(relativeError(expm(a.transpose()), expm(a).transpose())).toBeLessThan(1e-12);
  });

  it.each([0.7, -3])('matches the closed form of a 3×3 Jordan block with eigenvalue %d', (lambda) => {
    const j = Matrix.from([
      [lambda, 1, 0],
      [0, lambda, 1],
      [0, 0, lambda],
    ]);
    const expected = Matrix.from([
      [1, 1, 0.5],
      [0, 1, 1],
      [0, 0, 1],
    ]).scale(Math.exp(lambda));
    expect(relativeError(expm(j), expected)).toBeLessThan(1e-13);
  });

  it('satisfies expm(2A) = expm(A)² (A commutes with itself)', () => {
    const a = randomMatrix(4, 4, 13).scale(1.5);
    const e = expm(a);
    expect(relativeError(expm(a.scale(2)), e.mul(e))).toBeLessThan(1e-12);
  });

  it('rejects non-square and non-finite input, naming the argument', () => {
    expect(() => expm(Matrix.zeros(2, 3))).toThrow(/expm: a must be square, got 2×3/);
    expect(() => expm(Matrix.diag([1, Number.NaN]))).toThrow(/expm: a must have finite entries/);
  });

  // One band per Padé degree: (lower, upper] in ‖A‖₁. Each band is probed at its upper edge, where the
  // approximant is least accurate, and just above the previous edge. A wrong coefficient or a θ that is
  // too large for its degree shows up as an error far above rounding level at the upper edge.
  // Squaring amplifies rounding by roughly ‖A‖₁, hence the looser tolerance once s > 0.
  const bands = [
    { degree: '3', lower: 0, upper: THETA_3, tol: 1e-13 },
    { degree: '5', lower: THETA_3, upper: THETA_5, tol: 1e-13 },
    { degree: '7', lower: THETA_5, upper: THETA_7, tol: 1e-13 },
    { degree: '9', lower: THETA_7, upper: THETA_9, tol: 1e-13 },
    { degree: '13 unscaled', lower: THETA_9, upper: THETA_13, tol: 1e-13 },
    { degree: '13 with squaring', lower: THETA_13, upper: 4 * THETA_13, tol: 1e-12 },
  ];
  const norms = bands.flatMap(({ degree, lower, upper, tol }) => [
    { degree, norm: upper, tol },
    { degree, norm: lower === 0 ? upper / 2 : lower * (1 + 1e-9), tol },
  ]);

  describe.each(norms)('Padé degree $degree at ‖A‖₁ = $norm', ({ norm, tol }) => {
    it('matches the closed form of a 2×2 upper-triangular matrix', () => {
      // ‖A‖₁ = max(|a|, |b| + |c|) = norm, with distinct eigenvalues a and c of both signs.
      const a = norm;
      const b = 0.4 * norm;
      const c = -0.6 * norm;
      const m = Matrix.from([
        [a, b],
        [0, c],
      ]);
      expect(m.norm1()).toBeCloseTo(norm, 15);
      expect(relativeError(expm(m), expUpperTriangular2(a, b, c))).toBeLessThan(tol);
    });

    it('matches cos/sin for the rotation generator', () => {
      expect(relativeError(expm(rotationGenerator(norm)), rotation(norm))).toBeLessThan(tol);
    });

    it('matches the eigendecomposition of a random symmetric 5×5', () => {
      const r = randomMatrix(5, 5, Math.round(norm * 1e6));
      const s = r.add(r.transpose());
      const a = s.scale(norm / s.norm1());
      expect(relativeError(expm(a), expSymmetric(a))).toBeLessThan(tol);
    });
  });
});
