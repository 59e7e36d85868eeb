import { checkPair, type PointSet } from './points.js';
import { randomUnitDirections } from './random.js';
import { sortedW2Squared } from './w2-1d.js';

/** Options of {@link slicedW2}. */
export interface SlicedW2Options {
  /** Number of random unit directions L (default 256, as in benchmarks.md). */
  readonly projections?: number;
  /** Seed of the direction generator ({@link randomUnitDirections}); default 0. */
  readonly seed?: number;
}

/**
 * Squared sliced W2: SW2² = (1/L) Σ_l W2²(⟨a, θ_l⟩, ⟨b, θ_l⟩), the mean over L random unit
 * directions θ_l (uniform on the sphere, seeded) of the exact 1-D W2² between the projected sets,
 * computed by sorting ({@link sortedW2Squared}). Sizes may differ: the 1-D W2² is then the exact
 * distance between the empirical quantile functions (no interpolation, no resampling). In one
 * dimension every direction is ±1 and the result is the exact W2².
 */
export function slicedW2Squared(
  a: PointSet,
  b: PointSet,
  dim: number,
  options: SlicedW2Options = {},
): number {
  const { n, m } = checkPair(a, b, dim);
  const projections = options.projections ?? 256;
  const seed = options.seed ?? 0;
  const directions = randomUnitDirections(projections, dim, seed);
  const pa = new Float64Array(n);
  const pb = new Float64Array(m);
  let total = 0;
  for (let l = 0; l < projections; l++) {
    const o = l * dim;
    project(a, n, dim, directions, o, pa);
    project(b, m, dim, directions, o, pb);
    pa.sort();
    pb.sort();
    total += sortedW2Squared(pa, pb);
  }
  return total / projections;
}

/**
 * Sliced W2 (benchmarks.md): the square root of the mean over L = 256 (default) random unit
 * directions of the 1-D W2² of the projections, SW2 = √((1/L) Σ_l W2²(⟨a, θ_l⟩, ⟨b, θ_l⟩)).
 * See {@link slicedW2Squared} for directions, seeding and unequal sizes.
 */
export function slicedW2(a: PointSet, b: PointSet, dim: number, options: SlicedW2Options = {}): number {
  return Math.sqrt(slicedW2Squared(a, b, dim, options));
}

function project(
  points: PointSet,
  n: number,
  dim: number,
  directions: Float64Array,
  offset: number,
  out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * dim;
    for (let c = 0; c < dim; c++) s += points[base + c]! * directions[offset + c]!;
    out[i] = s;
  }
}
