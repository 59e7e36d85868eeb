import { describe, expect, it } from 'vitest';
import { inv } from './lu.js';
import { solveLyapunov } from './lyapunov.js';
import { Matrix } from './matrix.js';
import { randomMatrix, randomSpd, relativeError } from './test-matrices.test-helper.js';

const residual = (f: Matrix, sigma: Matrix, q: Matrix) => f.mul(sigma).add(sigma.mul(f.transpose())).add(q);

describe('solveLyapunov', () => {
  it('gives Σ = D⁻¹ for F = −½D and Q = I', () => {
    const d = randomSpd(5, 71);
    const sigma = solveLyapunov(d.scale(-0.5), Matrix.eye(5));
    expect(relativeError(sigma, inv(d))).toBeLessThan(1e-12);
  });

  it('gives the stationary covariance diag(1, M) of critically damped Langevin dynamics', () => {
    // State (x, p) with mass M = 0.25, friction Γ = 1, time scale β = 4: F = β·[[0, 1/M], [−1, −Γ/M]] and
    // noise on the momentum only, Q = diag(0, 2Γβ). The invariant law ∝ exp(−x²/2 − p²/(2M)) is independent
    // of β and Γ, so Σ = diag(1, M).
    const f = Matrix.from([
      [0, 4],
      [-1, -4],
    ]).scale(4);
    const q = Matrix.diag([0, 8]);
    const sigma = solveLyapunov(f, q);
    expect(relativeError(sigma, Matrix.diag([1, 0.25]))).toBeLessThan(1e-12);
  });

  it('has a residual at rounding level and a symmetric solution for a random stable F', () => {
    // Shifting by −4I puts every eigenvalue of a [−1, 1)-entry 5×5 in the left half plane.
    const f = randomMatrix(5, 5, 72).sub(Matrix.scalar(5, 4));
    const q = randomSpd(5, 73);
    const sigma = solveLyapunov(f, q);
    expect(residual(f, sigma, q).maxAbs()).toBeLessThan(1e-12 * q.maxAbs());
    expect(sigma.sub(sigma.transpose()).maxAbs()).toBe(0);
  });

  it('solves with a non-symmetric Q as well', () => {
    const f = randomMatrix(4, 4, 74).sub(Matrix.scalar(4, 3));
    const q = randomMatrix(4, 4, 75);
    expect(residual(f, solveLyapunov(f, q), q).maxAbs()).toBeLessThan(1e-12);
  });

  it('throws a RangeError naming f when two eigenvalues of f sum to zero', () => {
    expect(() => solveLyapunov(Matrix.diag([1, -1]), Matrix.eye(2))).toThrow(
      /solveLyapunov: I⊗f \+ f⊗I is singular/,
    );
  });

  it('refuses n > 32 and mismatched shapes with a clear message', () => {
    expect(() => solveLyapunov(Matrix.zeros(33), Matrix.zeros(33))).toThrow(
      /f is 33×33 but the Kronecker solver is limited to n ≤ 32/,
    );
    expect(() => solveLyapunov(Matrix.eye(2), Matrix.eye(3))).toThrow(/q must be 2×2 to match f, got 3×3/);
    expect(() => solveLyapunov(Matrix.eye(2), Matrix.diag([1, Number.NaN]))).toThrow(
      /q must have finite entries/,
    );
  });
});
