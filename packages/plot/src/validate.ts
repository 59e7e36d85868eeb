/** Short, readable rendering of a bad value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'function') return 'a function';
  return `a ${typeof value}`;
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (typeof value === 'string') return false;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const length = (value as { length?: unknown }).length;
  return typeof length === 'number' && Number.isInteger(length) && length >= 0;
}

/** Throws TypeError unless `value` is a plain (non-null, non-array) object. */
export function requireObject(name: string, value: unknown): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describeValue(value)}`);
  }
}

/** Returns `value`, or `fallback` when undefined; throws unless it is a finite number > 0. */
export function positiveNumber(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${describeValue(value)}`);
  }
  return value;
}

/** Returns `value`, or `fallback` when undefined; throws unless it is an integer >= 1. */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  if (value !== Number.POSITIVE_INFINITY && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be an integer >= 1 (or Infinity), got ${describeValue(value)}`);
  }
  return value;
}

/** Returns `value`, or `fallback` when undefined; throws unless it is a number in [0, 1]. */
export function unitInterval(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${describeValue(value)}`);
  if (!(value >= 0 && value <= 1))
    throw new RangeError(`${name} must be in [0, 1], got ${describeValue(value)}`);
  return value;
}

/** Returns `value` (or undefined); throws TypeError unless it is a string. */
export function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describeValue(value)}`);
  return value;
}

/** Returns `value`, or `fallback` when undefined; throws TypeError unless it is a boolean. */
export function optionalBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new TypeError(`${name} must be a boolean, got ${describeValue(value)}`);
  return value;
}

/** Throws unless `value` is a non-empty array; returns it. */
export function nonEmptyArray(name: string, value: unknown, itemHint: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${name} must be a non-empty array of ${itemHint}, got ${describeValue(value)}`);
  }
  if (value.length === 0)
    throw new RangeError(`${name} must be a non-empty array of ${itemHint}, got an empty array`);
  return value;
}

/** Copies an array-like of finite numbers into a Float64Array; errors name `name[i]` and the bad value. */
export function finiteNumbers(name: string, values: unknown): Float64Array {
  if (!isArrayLike(values)) {
    throw new TypeError(
      `${name} must be an array or typed array of finite numbers, got ${describeValue(values)}`,
    );
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number')
      throw new TypeError(`${name}[${i}] must be a finite number, got ${describeValue(v)}`);
    if (!Number.isFinite(v))
      throw new RangeError(`${name}[${i}] must be a finite number, got ${describeValue(v)}`);
    out[i] = v;
  }
  return out;
}

/** 2-D points as separate coordinate arrays. */
export interface XY {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * Reads 2-D points given either flat (`[x0, y0, x1, y1, ...]`, any array-like of numbers) or nested
 * (`[[x0, y0], [x1, y1], ...]`). Errors name `name`, the offending index and value: odd flat length,
 * rows that are not pairs, non-numbers (TypeError) and non-finite coordinates (RangeError).
 */
export function pointsXY(name: string, points: unknown): XY {
  if (!isArrayLike(points)) {
    throw new TypeError(
      `${name} must be a flat array of x,y pairs or an array of [x, y] pairs, got ${describeValue(points)}`,
    );
  }
  const first = points.length > 0 ? points[0] : undefined;
  if (first !== undefined && typeof first !== 'number') {
    // Nested: [[x, y], ...]
    const n = points.length;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = points[i];
      if (!isArrayLike(row) || row.length !== 2) {
        throw new TypeError(`${name}[${i}] must be an [x, y] pair, got ${describeValue(row)}`);
      }
      x[i] = coordinate(`${name}[${i}][0]`, row[0]);
      y[i] = coordinate(`${name}[${i}][1]`, row[1]);
    }
    return { x, y };
  }
  if (points.length % 2 !== 0) {
    throw new RangeError(
      `${name} has odd length ${points.length}; a flat array must hold x,y pairs [x0, y0, x1, y1, ...] (even length)`,
    );
  }
  const n = points.length / 2;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = coordinate(`${name}[${2 * i}] (x of point ${i})`, points[2 * i]);
    y[i] = coordinate(`${name}[${2 * i + 1}] (y of point ${i})`, points[2 * i + 1]);
  }
  return { x, y };
}

function coordinate(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a finite number, got ${describeValue(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite number, got ${describeValue(v)}`);
  return v;
}

/** Label used in errors for a named series: `series[1] ("samples")`. */
export function seriesLabel(arg: string, index: number, name: unknown): string {
  return typeof name === 'string' ? `${arg}[${index}] (${JSON.stringify(name)})` : `${arg}[${index}]`;
}

/** Validates series names: non-empty strings, unique (colours and legend entries are keyed by name). */
export function seriesName(arg: string, index: number, name: unknown, seen: Set<string>): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`${arg}[${index}].name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (seen.has(name)) {
    throw new RangeError(
      `${arg}[${index}].name ${JSON.stringify(name)} is a duplicate; series names must be unique`,
    );
  }
  seen.add(name);
  return name;
}
