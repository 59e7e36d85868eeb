import { describe, expect, it } from 'vitest';
import { Matrix } from './matrix.js';
import { sqrtmPsd } from './sqrtm.js';
import { randomSpd, relativeError } from './test-matrices.test-helper.js';

describe('sqrtmPsd', () => {
  it('gives a symmetric S with S·S = A for a random SPD 6×6', () => {
    const a = randomSpd(6, 61);
    const s = sqrtmPsd(a);
    expect(relativeError(s.mul(s), a)).toBeLessThan(1e-13);
    expect(s.sub(s.transpose()).maxAbs()).toBe(0);
  });

  it('maps diag(4, 9) to diag(2, 3)', () => {
    const s = sqrtmPsd(Matrix.diag([4, 9]));
    expect(relativeError(s, Matrix.diag([2, 3]))).toBeLessThan(1e-15);
  });

  it('handles a singular positive semidefinite matrix', () => {
    const v = Matrix.from([[1], [2], [3]]);
    const a = v.mul(v.transpose());
    const s = sqrtmPsd(a);
    expect(relativeError(s.mul(s), a)).toBeLessThan(1e-13);
    // √(v·vᵀ) = v·vᵀ/‖v‖.
    expect(relativeError(s, a.scale(1 / Math.sqrt(14)))).toBeLessThan(1e-13);
  });

  it('throws a RangeError naming a and the eigenvalue for an indefinite matrix', () => {
    const a = Matrix.from([
      [1, 2],
      [2, 1],
    ]);
    expect(() => sqrtmPsd(a)).toThrow(RangeError);
    expect(() => sqrtmPsd(a)).toThrow(/sqrtmPsd: a is not positive semidefinite: eigenvalue -0\.99/);
  });
});
