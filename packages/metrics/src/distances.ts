import { checkPoints, type PointSet } from './points.js';

/**
 * The n×m matrix of squared Euclidean distances D[i, j] = ‖a_i − b_j‖², row-major in a new
 * Float64Array (`D[i·m + j]`), computed in float64 coordinate by coordinate (no ‖a‖² + ‖b‖² − 2a·b
 * cancellation, so D[i, i] = 0 exactly for identical points). `a` is n×dim, `b` is m×dim, row-major.
 */
export function squaredDistanceMatrix(a: PointSet, b: PointSet, dim: number): Float64Array {
  const n = checkPoints('a', a, dim);
  const m = checkPoints('b', b, dim);
  const out = new Float64Array(n * m);
  if (dim === 2) {
    for (let i = 0; i < n; i++) {
      const ax = a[2 * i]!;
      const ay = a[2 * i + 1]!;
      const off = i * m;
      for (let j = 0; j < m; j++) {
        const dx = ax - b[2 * j]!;
        const dy = ay - b[2 * j + 1]!;
        out[off + j] = dx * dx + dy * dy;
      }
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const ai = i * dim;
    const off = i * m;
    for (let j = 0; j < m; j++) {
      const bj = j * dim;
      let s = 0;
      for (let c = 0; c < dim; c++) {
        const diff = a[ai + c]! - b[bj + c]!;
        s += diff * diff;
      }
      out[off + j] = s;
    }
  }
  return out;
}
