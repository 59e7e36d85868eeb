/**
 * Test-only helpers of the variational package: random moment statistics, flattening of named
 * parameters for finite differences, and matrix comparisons.
 */
import { Matrix, type Rng } from '@bridgekit/core';
import { expect } from 'vitest';
import type { PolicyParams } from './forward-policy.js';
import type { TrajectoryStatistics } from './trajectory-statistics.js';

/** A random n×m matrix with N(0, scale²) entries. */
export function randomMatrix(rng: Rng, rows: number, cols = rows, scale = 1): Matrix {
  return new Matrix(
    rows,
    cols,
    rng.normal(rows * cols).map((v) => scale * v),
  );
}

/** A random symmetric positive definite n×n matrix B Bᵀ/n + floor·I. */
export function randomSpd(rng: Rng, n: number, floor = 0.1): Matrix {
  const b = randomMatrix(rng, n);
  return b
    .mul(b.transpose())
    .scale(1 / n)
    .add(Matrix.scalar(n, floor))
    .symmetrize();
}

/** Random statistics: K increasing times in (0, 1], random Δt, SPD E[xxᵀ], arbitrary E[ẑxᵀ]. */
export function randomStats(rng: Rng, dim: number, times: readonly number[]): TrajectoryStatistics {
  const K = times.length;
  return {
    times: Float64Array.from(times),
    dts: Float64Array.from(rng.uniform(K), (u) => 0.05 + 0.2 * u),
    xx: times.map(() => randomSpd(rng, dim)),
    zx: times.map(() => randomMatrix(rng, dim)),
  };
}

/** Parameter names in a fixed order (sorted), for flattening. */
export function paramNames(params: PolicyParams): string[] {
  return Object.keys(params).sort();
}

/** Concatenates named parameters (in `paramNames` order) into one vector. */
export function flattenParams(params: PolicyParams): Float64Array {
  const names = paramNames(params);
  const total = names.reduce((s, n) => s + params[n]!.length, 0);
  const out = new Float64Array(total);
  let o = 0;
  for (const n of names) {
    out.set(params[n]!, o);
    o += params[n]!.length;
  }
  return out;
}

/** The inverse of {@link flattenParams}, shaped like `like`. */
export function unflattenParams(flat: Float64Array, like: PolicyParams): PolicyParams {
  const out: PolicyParams = {};
  let o = 0;
  for (const n of paramNames(like)) {
    const len = like[n]!.length;
    out[n] = Float64Array.from(flat.subarray(o, o + len));
    o += len;
  }
  if (o !== flat.length) throw new RangeError(`unflattenParams: ${flat.length} values for ${o} parameters`);
  return out;
}

/** Random parameters shaped like `like`, N(0, scale²) per entry (scales per name, default 1). */
export function randomParams(
  rng: Rng,
  like: PolicyParams,
  scales: Readonly<Record<string, number>> = {},
): PolicyParams {
  const out: PolicyParams = {};
  for (const n of paramNames(like)) {
    const s = scales[n] ?? 1;
    out[n] = rng.normal(like[n]!.length).map((v) => s * v);
  }
  return out;
}

/** max |a − b| over entries. */
export function maxDiff(a: Matrix, b: Matrix): number {
  return a.sub(b).maxAbs();
}

/** Expects a matrix to equal nested arrays within `tol` per entry. */
export function expectMatrix(actual: Matrix, expected: readonly (readonly number[])[], tol: number): void {
  expect(actual.sub(Matrix.from(expected)).maxAbs()).toBeLessThan(tol);
}

/** kron(A, I_d): the block layout of a state [x | v] with each block of width d. */
export function kronEye(a: Matrix, d: number): Matrix {
  const out = Matrix.zeros(a.rows * d, a.cols * d);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) {
      for (let k = 0; k < d; k++) out.data[(i * d + k) * out.cols + j * d + k] = a.get(i, j);
    }
  }
  return out;
}

/** Bivariate Gaussian test data N(mean, std² I), n rows, row-major. */
export function gaussianPoints(rng: Rng, n: number, mean: readonly number[], std: number): Float32Array {
  const d = mean.length;
  const z = rng.normalFloat32(n * d);
  return z.map((v, i) => mean[i % d]! + std * v);
}

/** Column means and standard deviations of row-major points. */
export function columnMoments(points: Float32Array, dim: number): { mean: number[]; std: number[] } {
  const n = points.length / dim;
  const mean = new Array<number>(dim).fill(0);
  const sq = new Array<number>(dim).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j]! += points[i * dim + j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) sq[j]! += (points[i * dim + j]! - mean[j]!) ** 2;
  return { mean, std: sq.map((s) => Math.sqrt(s / (n - 1))) };
}
