import { describeValue } from './describe-value.js';
import { validatePoints } from './validate-points.js';

/**
 * A per-dimension affine normalisation x ↦ (x − mean)/std, as plain JSON (store it next to a model
 * so samples can be mapped back with {@link denormalize}). kind 'none' is the identity (mean 0, std 1).
 */
export interface Normalization {
  kind: 'standard' | 'none';
  mean: number[];
  std: number[];
}

/**
 * Smallest std {@link fitNormalization} records. A constant column has std 0; dividing by 0 would give
 * NaN, so its std is floored at 1e-8 instead: the column normalises to exactly 0 (its mean is computed
 * exactly, see below) and {@link denormalize} restores it exactly. (sklearn's StandardScaler uses 1
 * for zero-variance columns; the floor keeps near-constant columns' tiny spread visible.)
 */
export const STD_FLOOR = 1e-8;

/**
 * Fits per-dimension mean and (population, ddof = 0) standard deviation of row-major n×dim `points`,
 * in float64. The mean is computed as x₀ + mean(x − x₀) with x₀ the first row, so a constant column
 * gets its value back exactly; std is floored at {@link STD_FLOOR}. kind 'none' returns the identity
 * (mean 0, std 1). Needs at least one row; refuses NaN/Infinity.
 */
export function fitNormalization(
  points: ArrayLike<number>,
  dim: number,
  kind: Normalization['kind'] = 'standard',
): Normalization {
  validatePoints(points, dim, 'fitNormalization(points)');
  if (kind !== 'standard' && kind !== 'none') {
    throw new RangeError(`fitNormalization: kind must be 'standard' or 'none', got ${describeValue(kind)}`);
  }
  if (kind === 'none') return { kind, mean: new Array(dim).fill(0), std: new Array(dim).fill(1) };
  const n = points.length / dim;
  if (n === 0)
    throw new RangeError('fitNormalization: points has 0 rows; need at least 1 to fit a mean and std');
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < dim; j++) {
    const x0 = points[j]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += points[i * dim + j]! - x0;
    const m = x0 + s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      const d = points[i * dim + j]! - m;
      ss += d * d;
    }
    mean.push(m);
    std.push(Math.max(Math.sqrt(ss / n), STD_FLOOR));
  }
  return { kind, mean, std };
}

/** (x − mean)/std per dimension, computed in float64 and rounded to float32. Returns a new array. */
export function normalize(points: ArrayLike<number>, dim: number, norm: Normalization): Float32Array {
  validatePoints(points, dim, 'normalize(points)');
  checkNormalization('normalize', norm, dim);
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const j = i % dim;
    out[i] = (points[i]! - norm.mean[j]!) / norm.std[j]!;
  }
  return out;
}

/** Inverse of {@link normalize}: x·std + mean per dimension, in float64, rounded to float32. */
export function denormalize(points: ArrayLike<number>, dim: number, norm: Normalization): Float32Array {
  validatePoints(points, dim, 'denormalize(points)');
  checkNormalization('denormalize', norm, dim);
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i++) {
    const j = i % dim;
    out[i] = points[i]! * norm.std[j]! + norm.mean[j]!;
  }
  return out;
}

/** Validates a (possibly JSON-parsed) {@link Normalization} against `dim`. */
function checkNormalization(fn: string, norm: unknown, dim: number): asserts norm is Normalization {
  if (norm === null || typeof norm !== 'object') {
    throw new TypeError(`${fn}: norm must be a Normalization object, got ${describeValue(norm)}`);
  }
  const { kind, mean, std } = norm as Record<string, unknown>;
  if (kind !== 'standard' && kind !== 'none') {
    throw new RangeError(`${fn}: norm.kind must be 'standard' or 'none', got ${describeValue(kind)}`);
  }
  for (const [name, values] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (!Array.isArray(values) || values.length !== dim) {
      throw new RangeError(
        `${fn}: norm.${name} must be an array of ${dim} numbers (one per dim), got ${describeValue(values)}`,
      );
    }
    values.forEach((v: unknown, j) => {
      const ok = typeof v === 'number' && Number.isFinite(v) && (name === 'mean' || v > 0);
      if (!ok) {
        const need = name === 'mean' ? 'a finite number' : 'a finite number > 0';
        throw new RangeError(`${fn}: norm.${name}[${j}] must be ${need}, got ${describeValue(v)}`);
      }
    });
  }
}
