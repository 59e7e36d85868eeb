import { Matrix } from './matrix.js';

const MAX_SWEEPS = 100;

/**
 * Eigendecomposition A = V·diag(λ)·Vᵀ of a symmetric matrix by the cyclic Jacobi method
 * (Golub & Van Loan, Matrix Computations, §8.5), with eigenvalues sorted ascending.
 *
 * Jacobi is chosen over QR for its simplicity and because it yields eigenvectors that are
 * orthonormal to working precision; it is O(n³) per sweep, meant for the small matrices of host-side
 * SDE algebra. The input is symmetrized (½(A + Aᵀ)) to discard rounding asymmetry; a matrix whose
 * asymmetry exceeds √ε·max|A| is rejected as a caller error.
 */
export function eigSym(a: Matrix): { values: Float64Array; vectors: Matrix } {
  if (!a.isSquare) throw new RangeError(`eigSym: a must be square, got ${a.rows}×${a.cols}`);
  const n = a.rows;
  const scale = a.maxAbs();
  if (!Number.isFinite(scale))
    throw new RangeError(`eigSym: a must have finite entries, got max|a| = ${scale}`);
  const asym = a.sub(a.transpose()).maxAbs();
  if (asym > Math.sqrt(Number.EPSILON) * scale) {
    throw new RangeError(
      `eigSym: a must be symmetric, got max|a − aᵀ| = ${asym} (max|a| = ${scale}); ` +
        'asymmetry up to √ε·max|a| from rounding is tolerated',
    );
  }
  const s = a.symmetrize().data;
  const v = Matrix.eye(n).data;
  let frob = 0;
  for (const x of s) frob += x * x;
  // Off-diagonal entries below ε²·‖A‖_F move eigenvalues by less than ε·‖A‖ and are left alone,
  // which also guarantees termination when diagonal entries are zero.
  const floor = Number.EPSILON * Number.EPSILON * Math.sqrt(frob);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = s[p * n + q]!;
        const app = s[p * n + p]!;
        const aqq = s[q * n + q]!;
        // Relative test (Demmel–Veselić): skip entries already negligible next to their diagonal pair.
        if (Math.abs(apq) <= Math.max(floor, Number.EPSILON * Math.sqrt(Math.abs(app * aqq)))) continue;
        rotated = true;
        // Smaller root of t² + 2θt − 1 = 0 keeps the rotation angle ≤ π/4, needed for convergence.
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = s[k * n + p]!;
          const akq = s[k * n + q]!;
          s[k * n + p] = c * akp - sn * akq;
          s[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = s[p * n + k]!;
          const aqk = s[q * n + k]!;
          s[p * n + k] = c * apk - sn * aqk;
          s[q * n + k] = sn * apk + c * aqk;
        }
        s[p * n + q] = 0;
        s[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - sn * vkq;
          v[k * n + q] = sn * vkp + c * vkq;
        }
      }
    }
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => s[i * n + i]! - s[j * n + j]!);
  const values = new Float64Array(n);
  const vectors = new Matrix(n, n);
  for (let col = 0; col < n; col++) {
    const src = order[col]!;
    values[col] = s[src * n + src]!;
    for (let k = 0; k < n; k++) vectors.data[k * n + col] = v[k * n + src]!;
  }
  return { values, vectors };
}
