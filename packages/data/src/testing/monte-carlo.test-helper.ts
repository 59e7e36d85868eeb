import { expect } from 'vitest';

/** Number of standard errors a Monte-Carlo estimate may sit from its exact value. */
export const K_SE = 4;

/** Column j of a row-major n×dim array, as float64. */
export function column(points: ArrayLike<number>, dim: number, j: number): Float64Array {
  const n = points.length / dim;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = points[i * dim + j]!;
  return out;
}

/** Sample mean. */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Mean of (x − m)^p. */
export function centralMoment(x: ArrayLike<number>, p: number, m = mean(x)): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** p;
  return s / x.length;
}

/** Standard error of the sample mean of x. */
export function meanSe(x: ArrayLike<number>): number {
  return Math.sqrt(centralMoment(x, 2) / x.length);
}

/**
 * Standard error of the (population) sample variance of x, from the sample's own fourth moment:
 * sqrt((μ₄ − μ₂²)/n), valid for any law with a finite fourth moment.
 */
export function varianceSe(x: ArrayLike<number>): number {
  const m2 = centralMoment(x, 2);
  const m4 = centralMoment(x, 4);
  return Math.sqrt((m4 - m2 * m2) / x.length);
}

/** Asserts |estimate − exact| ≤ K_SE·se, with a message that shows the numbers. */
export function expectWithinSe(label: string, estimate: number, exact: number, se: number): void {
  const z = Math.abs(estimate - exact) / se;
  expect(
    z,
    `${label}: estimate ${estimate}, exact ${exact}, SE ${se}, |z| = ${z.toFixed(2)}`,
  ).toBeLessThanOrEqual(K_SE);
}

/** Asserts the sample mean of x is within K_SE standard errors of `exact`. */
export function expectMean(label: string, x: ArrayLike<number>, exact: number): void {
  expectWithinSe(`${label} mean`, mean(x), exact, meanSe(x));
}

/** Asserts the sample variance of x is within K_SE standard errors of `exact`. */
export function expectVariance(label: string, x: ArrayLike<number>, exact: number): void {
  expectWithinSe(`${label} variance`, centralMoment(x, 2), exact, varianceSe(x));
}

/** Asserts a multinomial cell count is within K_SE binomial standard errors of n·p. */
export function expectCount(label: string, count: number, n: number, p: number): void {
  expectWithinSe(`${label} count`, count, n * p, Math.sqrt(n * p * (1 - p)));
}

/** ∫₀¹ f(s) ds by composite Simpson's rule on `intervals` (even) sub-intervals. */
export function simpson(f: (s: number) => number, intervals = 20_000): number {
  const h = 1 / intervals;
  let sum = f(0) + f(1);
  for (let i = 1; i < intervals; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}

/** Asserts two float arrays hold the same bits (fast for large arrays; -0 ≠ 0, NaN payloads compared). */
export function expectSameBits(actual: Float32Array, expected: Float32Array, label = 'arrays'): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  const i = a.findIndex((v, k) => v !== b[k]);
  expect(i, i < 0 ? label : `${label}: first difference at index ${i}: ${actual[i]} vs ${expected[i]}`).toBe(
    -1,
  );
}

/**
 * Deterministic 32-bit words from xorshift32 (Marsaglia 2003). For test fixtures that need arbitrary
 * bit patterns without importing @bridgekit/core (whose tfjs import costs ~2 s per test file).
 */
export function xorshiftWords(count: number, seed: number): Uint32Array {
  const out = new Uint32Array(count);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x;
  }
  return out;
}
