import type { Schedule } from './schedule.js';
import { requireNonNegative, requireUnitTime } from './validate.js';

/** Options of {@link powerSchedule}. */
export interface PowerScheduleOptions {
  /** β(0), ≥ 0. */
  readonly betaMin: number;
  /** β(1), ≥ 0. */
  readonly betaMax: number;
  /** The exponent r ≥ 0 (VSDM's default is 1.7; r = 1 is linear, r = 0 is constant βmax). */
  readonly r: number;
}

/**
 * VSDM's power-VP schedule β(t) = βmin + t^r(βmax − βmin), B(t) = βmin·t + (βmax − βmin)t^{r+1}/(r+1)
 * (algorithms.md §1.1, T = 1).
 *
 * r = 0 gives β ≡ βmax on [0, 1] (JavaScript's 0 ** 0 = 1 makes t = 0 consistent with that).
 */
export function powerSchedule(options: PowerScheduleOptions): Schedule {
  const { betaMin, betaMax, r } = options;
  requireNonNegative('powerSchedule', 'betaMin', betaMin);
  requireNonNegative('powerSchedule', 'betaMax', betaMax);
  requireNonNegative('powerSchedule', 'r', r);
  const span = betaMax - betaMin;
  return {
    name: `power(${betaMin}→${betaMax}, r=${r})`,
    beta(t: number): number {
      requireUnitTime('powerSchedule.beta', 't', t);
      return betaMin + t ** r * span;
    },
    integral(t: number): number {
      requireUnitTime('powerSchedule.integral', 't', t);
      return betaMin * t + (span * t ** (r + 1)) / (r + 1);
    },
  };
}
