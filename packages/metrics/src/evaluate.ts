import { energyDistance } from './energy.js';
import { DEFAULT_MMD_BANDWIDTHS, mmd2 } from './mmd.js';
import { pmfRmse } from './pmf-rmse.js';
import { checkPair, type PointSet } from './points.js';
import { slicedW2 } from './sliced-w2.js';
import { w2Squared } from './w2.js';

/** Options of {@link evaluateSamples}; every metric can be switched off. */
export interface EvaluateOptions {
  /** Exact W2 and W2² (default true). */
  readonly w2?: boolean;
  /** At most this many points of each set enter W2 (default 5000; memory is 8·w2MaxN² bytes). */
  readonly w2MaxN?: number;
  /** Sliced W2 with 256 directions (default true). */
  readonly sliced?: boolean;
  /** Unbiased MMD² with bandwidths [0.1, 0.5, 1, 2, 5] (default true). */
  readonly mmd?: boolean;
  /** Energy distance, U-statistic within terms (default true). */
  readonly energy?: boolean;
  /** VSDM's PMF-RMSE (default: dim === 2; only defined for dim = 2). */
  readonly pmf?: boolean;
  /** Seed of the sliced-W2 directions (default 0). */
  readonly seed?: number;
}

/**
 * All sample-quality metrics of benchmarks.md for `samples` against `reference` (both row-major,
 * dimension `dim`), as a flat record with the snake_case keys of the result files:
 *
 * - `n`: number of samples; `n_ref`: number of reference points;
 * - `w2`, `w2_sq`: exact W2 and W2² ({@link w2Squared}) on the first `w2_n` = min(n, n_ref, w2MaxN)
 *   points of each set (the first rows, not a random subset: shuffle beforehand if the order is
 *   not random; W2 needs equal sizes and O(w2_n²) memory, O(w2_n³) worst-case time);
 * - `sliced_w2`: {@link slicedW2} with 256 directions and `seed` (all points, sizes may differ);
 * - `mmd2`: unbiased {@link mmd2} with Gaussian bandwidths [0.1, 0.5, 1, 2, 5] (all points);
 * - `energy`: {@link energyDistance} with U-statistic within terms (all points);
 * - `pmf_rmse`: {@link pmfRmse} (2-D only; 100×100 bins on the reference box ×1.025).
 *
 * Keys of disabled metrics are absent. MMD² and energy cost O((n + n_ref)²).
 */
export function evaluateSamples(
  samples: PointSet,
  reference: PointSet,
  dim: number,
  options: EvaluateOptions = {},
): Record<string, number> {
  const wantMmd = options.mmd ?? true;
  const wantEnergy = options.energy ?? true;
  const minPoints = wantMmd || wantEnergy ? 2 : 1;
  const { n, m } = checkPair(samples, reference, dim, ['samples', 'reference'], { minPoints });
  const pmf = options.pmf ?? dim === 2;
  if (pmf && dim !== 2) {
    throw new RangeError(`pmf (PMF-RMSE) is defined for dim = 2 only, got dim = ${dim}; pass pmf: false`);
  }
  const w2MaxN = options.w2MaxN ?? 5000;
  if (!Number.isInteger(w2MaxN) || w2MaxN < 1) {
    throw new RangeError(`w2MaxN must be a positive integer, got ${String(w2MaxN)}`);
  }
  const out: Record<string, number> = { n, n_ref: m };
  if (options.w2 ?? true) {
    const w2n = Math.min(n, m, w2MaxN);
    const sq = w2Squared(samples.subarray(0, w2n * dim), reference.subarray(0, w2n * dim), dim);
    out.w2 = Math.sqrt(Math.max(0, sq));
    out.w2_sq = sq;
    out.w2_n = w2n;
  }
  if (options.sliced ?? true) {
    out.sliced_w2 = slicedW2(samples, reference, dim, { projections: 256, seed: options.seed ?? 0 });
  }
  if (wantMmd) {
    out.mmd2 = mmd2(samples, reference, dim, { bandwidths: DEFAULT_MMD_BANDWIDTHS, unbiased: true });
  }
  if (wantEnergy) out.energy = energyDistance(samples, reference, dim);
  if (pmf) out.pmf_rmse = pmfRmse(samples, reference);
  return out;
}
