import { checkPair, type PointSet } from './points.js';

/** Options of {@link energyDistance}. */
export interface EnergyDistanceOptions {
  /** U-statistics for the within-set terms (default true) or V-statistics. */
  readonly unbiased?: boolean;
}

/**
 * Energy distance (Székely–Rizzo) with the Euclidean norm:
 * E = 2·E‖X − Y‖ − E‖X − X'‖ − E‖Y − Y'‖, estimated by
 * (2/(nm)) Σ_{i,j} ‖a_i − b_j‖ − 1/(n(n−1)) Σ_{i≠i'} ‖a_i − a_i'‖ − 1/(m(m−1)) Σ_{j≠j'} ‖b_j − b_j'‖
 * (U-statistics for the within terms, default; needs n, m ≥ 2; for identical sets it is
 * −2/(n−1)·mean‖a_i − a_j‖ ≤ 0, not 0). With `unbiased: false` the within terms use 1/n², 1/m²
 * (V-statistics), the estimate is ≥ 0 and exactly 0 for identical sets. Not square-rooted.
 * Cost O((n + m)² · dim).
 */
export function energyDistance(
  a: PointSet,
  b: PointSet,
  dim: number,
  options: EnergyDistanceOptions = {},
): number {
  const unbiased = options.unbiased ?? true;
  const { n, m } = checkPair(a, b, dim, ['a', 'b'], { minPoints: unbiased ? 2 : 1 });
  const saa = distanceSum(a, n, a, n, dim);
  const sbb = distanceSum(b, m, b, m, dim);
  const sab = distanceSum(a, n, b, m, dim);
  if (unbiased) return (2 * sab) / (n * m) - saa / (n * (n - 1)) - sbb / (m * (m - 1));
  return (2 * sab) / (n * m) - saa / (n * n) - sbb / (m * m);
}

/** Σ_{i,j} ‖x_i − y_j‖ in one fixed loop order (the diagonal of a within sum contributes 0). */
function distanceSum(x: PointSet, nx: number, y: PointSet, ny: number, dim: number): number {
  let total = 0;
  for (let i = 0; i < nx; i++) {
    const xi = i * dim;
    let row = 0;
    for (let j = 0; j < ny; j++) {
      const yj = j * dim;
      let d2 = 0;
      for (let c = 0; c < dim; c++) {
        const diff = x[xi + c]! - y[yj + c]!;
        d2 += diff * diff;
      }
      row += Math.sqrt(d2);
    }
    total += row;
  }
  return total;
}
