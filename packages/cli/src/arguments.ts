import { usageError } from './errors.js';

// Validators for command-line values. Each takes the flag as the user typed it and the raw string,
// and throws a usage error that names the flag, quotes the bad value and says what would be valid.

const INTEGER = /^\+?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function quote(raw: unknown): string {
  return typeof raw === 'string' ? `'${raw}'` : String(raw);
}

/** An integer ≥ 1, e.g. `--n`, `--steps`. */
export function positiveInteger(flag: string, raw: string): number {
  const n = INTEGER.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw usageError(`${flag} must be a positive integer, got ${quote(raw)}`);
  }
  return n;
}

/** An integer ≥ 0, e.g. `--seed`. */
export function nonNegativeInteger(flag: string, raw: string): number {
  const n = INTEGER.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw usageError(`${flag} must be a non-negative integer (at most 2^53 - 1), got ${quote(raw)}`);
  }
  return n;
}

/** A finite number ≥ 0 in plain decimal or exponent notation, e.g. `--lambda`. */
export function nonNegativeNumber(flag: string, raw: string): number {
  const n = NUMBER.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < 0) {
    throw usageError(`${flag} must be a number ≥ 0, got ${quote(raw)}`);
  }
  return n;
}

/** One of a fixed list of strings. */
export function choice<T extends string>(flag: string, raw: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(raw)) {
    throw usageError(`${flag} must be one of ${choices.join(', ')}; got ${quote(raw)}`);
  }
  return raw as T;
}

/** A non-empty string such as a path; commander leaves a required option undefined when it is absent. */
export function requiredText(flag: string, raw: string | undefined, what: string): string {
  if (raw === undefined) throw usageError(`${flag} is required: give ${what}`);
  if (raw.trim().length === 0) throw usageError(`${flag} must be ${what}, got an empty string`);
  return raw;
}
