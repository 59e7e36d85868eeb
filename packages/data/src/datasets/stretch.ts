import { describeValue } from '../describe-value.js';

/**
 * Per-axis stretch applied after sampling, as in the VSDM code (`data.py`: `samples[:, 0] *= x_scalar`,
 * `samples[:, 1] *= y_scalar`). VSDM's anisotropic benchmarks are spiral with yScalar 8 and
 * checkerboard with xScalar 6.
 */
export interface StretchOptions {
  /** Factor on the first coordinate (VSDM `x_scalar`); a number in [1e-30, 1e30], default 1. */
  readonly xScalar?: number;
  /** Factor on the second coordinate (VSDM `y_scalar`); a number in [1e-30, 1e30], default 1. */
  readonly yScalar?: number;
}

const MIN_SCALAR = 1e-30;
const MAX_SCALAR = 1e30;

/** Validated stretch factors. */
export interface Stretch {
  readonly xs: number;
  readonly ys: number;
}

/** Reads and validates `options.xScalar` / `options.yScalar` (defaults 1), naming `fn` in errors. */
export function resolveStretch(fn: string, options: StretchOptions | undefined): Stretch {
  if (options === undefined) return { xs: 1, ys: 1 };
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${fn}: options must be an object, got ${describeValue(options)}`);
  }
  const xs = positiveFactor(fn, 'xScalar', options.xScalar);
  const ys = positiveFactor(fn, 'yScalar', options.yScalar);
  for (const [name, value] of [
    ['xScalar', xs],
    ['yScalar', ys],
  ] as const) {
    if (value < MIN_SCALAR || value > MAX_SCALAR) {
      throw new RangeError(
        `${fn}: options.${name} must be in [1e-30, 1e30] so stretched points stay finite, normal float32 values, got ${value}`,
      );
    }
  }
  return { xs, ys };
}

/** Validates an optional finite number > 0 named `options.<name>`; returns 1 when undefined. */
export function positiveFactor(fn: string, name: string, value: unknown, fallback = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${fn}: options.${name} must be a finite number > 0, got ${describeValue(value)}`);
  }
  return value;
}
