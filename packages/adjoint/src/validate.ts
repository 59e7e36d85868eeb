/**
 * Argument checks shared by the adjoint solvers and rewards of this package (internal, not exported
 * from the package index). Every message names the function, the argument, the bad value and what
 * would be valid.
 */
import { tf } from '@bridgekit/core';

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value instanceof tf.Tensor) {
    return value.isDisposed
      ? 'a disposed tensor'
      : `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  }
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object' && value !== null)
    return `an object with keys {${Object.keys(value).join(', ')}}`;
  return String(value);
}

/** Throws unless `value` is a finite number. */
export function requireFinite(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number, got ${describe(value)}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${where}: ${name} must be a finite number > 0, got ${describe(value)}`);
  }
}

/** Throws unless `value` is a finite number ≥ 0. */
export function requireNonNegative(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${describe(value)}`);
  }
}

/** Throws unless `fn` is a function; `what` says which signature is expected. */
export function requireFunction(where: string, name: string, fn: unknown, what: string): void {
  if (typeof fn !== 'function') {
    throw new TypeError(`${where}: ${name} must be a function ${what}, got ${describe(fn)}`);
  }
}

/**
 * Throws unless `x` is a live float32 rank-2 tensor; with `shape`, also unless it has that shape
 * (a −1 entry matches any size).
 */
export function requireBatch(
  where: string,
  name: string,
  x: unknown,
  shape?: readonly [number, number],
): asserts x is tf.Tensor2D {
  if (!(x instanceof tf.Tensor) || x.isDisposed || x.rank !== 2 || x.dtype !== 'float32') {
    throw new TypeError(`${where}: ${name} must be a live float32 tf.Tensor2D [B, D], got ${describe(x)}`);
  }
  if (shape === undefined) return;
  const [b, d] = shape;
  if ((b !== -1 && x.shape[0] !== b) || (d !== -1 && x.shape[1] !== d)) {
    const want = `[${b === -1 ? 'B' : b}, ${d === -1 ? 'D' : d}]`;
    throw new RangeError(`${where}: ${name} must have shape ${want}, got [${x.shape.join(', ')}]`);
  }
}

/**
 * Whether every entry of x is finite: one reduction and one scalar download, and an exact check only
 * when the sum is not finite (a sum of large finite float32 values can overflow).
 */
export function allFinite(x: tf.Tensor): boolean {
  const sum = tf.tidy(() => tf.sum(x));
  const s = sum.dataSync()[0]!;
  sum.dispose();
  if (Number.isFinite(s)) return true;
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(x))));
  const anyBad = bad.dataSync()[0]! !== 0;
  bad.dispose();
  return !anyBad;
}

/**
 * A number or per-coordinate array as a float64 array of length d (a single number is repeated);
 * throws naming the argument when its length is neither 1 nor d or an entry is not finite.
 */
export function perCoordinate(
  where: string,
  name: string,
  value: number | readonly number[],
  d: number,
): number[] {
  const values = typeof value === 'number' ? [value] : Array.from(value);
  if (values.length !== 1 && values.length !== d) {
    throw new RangeError(
      `${where}: ${name} must be one number or ${d} numbers (one per coordinate), got ${values.length}`,
    );
  }
  for (const [i, v] of values.entries())
    requireFinite(where, values.length === 1 ? name : `${name}[${i}]`, v);
  return values.length === d ? values : new Array<number>(d).fill(values[0]!);
}
