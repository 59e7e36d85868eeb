// Test-only fixtures: seeded random matrices and a relative-error measure for the linalg tests.
// Kept free of vitest imports so that the package build, which includes src/, still compiles it.
import { Matrix } from './matrix.js';

/** Seeded uniform [0, 1) generator by the mulberry32 algorithm, so random test matrices are reproducible. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** rows×cols matrix with entries uniform on [−1, 1), drawn row by row from a mulberry32 stream. */
export function randomMatrix(rows: number, cols: number, seed: number): Matrix {
  const next = mulberry32(seed);
  const out = new Matrix(rows, cols);
  for (let k = 0; k < out.data.length; k++) out.data[k] = 2 * next() - 1;
  return out;
}

/** Well-conditioned n×n symmetric positive definite matrix R·Rᵀ + n·I from a random R. */
export function randomSpd(n: number, seed: number): Matrix {
  const r = randomMatrix(n, n, seed);
  return r.mul(r.transpose()).add(Matrix.scalar(n, n));
}

/** max|actual − expected| / max(max|expected|, tiny): entrywise error relative to the expected scale. */
export function relativeError(actual: Matrix, expected: Matrix): number {
  if (actual.rows !== expected.rows || actual.cols !== expected.cols) {
    throw new RangeError(
      `relativeError: actual is ${actual.rows}×${actual.cols} but expected is ${expected.rows}×${expected.cols}`,
    );
  }
  return actual.sub(expected).maxAbs() / Math.max(expected.maxAbs(), Number.MIN_VALUE);
}
