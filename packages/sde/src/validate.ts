/**
 * Argument checks shared by the schedules, SDEs and bridges of this package (internal, not exported
 * from the package index). Every message names the function, the argument, the bad value and the
 * valid range, so that a wrong configuration fails where it is built rather than as NaN later.
 */
import type { State } from './sde.js';

/** Throws unless `value` is a finite number. */
export function requireFinite(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${where}: ${name} must be a finite number, got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${where}: ${name} must be a finite number > 0, got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number ≥ 0. */
export function requireNonNegative(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${where}: ${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
}

/** Throws unless t lies in the unit time interval [0, 1] on which every process here is defined. */
export function requireUnitTime(where: string, name: string, t: number): void {
  // Written as !(a && b) so that NaN is rejected too.
  if (typeof t !== 'number' || !(t >= 0 && t <= 1)) {
    throw new RangeError(`${where}: ${name} must be a time in [0, 1], got ${String(t)}`);
  }
}

/** Throws unless 0 ≤ s ≤ t ≤ 1 (transitions run forward in time). */
export function requireTimeOrder(where: string, s: number, t: number): void {
  requireUnitTime(where, 's', s);
  requireUnitTime(where, 't', t);
  if (s > t) throw new RangeError(`${where}: s must be ≤ t (a forward transition), got s = ${s}, t = ${t}`);
}

/** Throws unless two batches have the same [B, D] shape. */
export function requireSameShape(where: string, nameA: string, a: State, nameB: string, b: State): void {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    throw new RangeError(
      `${where}: ${nameA} and ${nameB} must be [B, D] tensors of the same shape, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`,
    );
  }
}
