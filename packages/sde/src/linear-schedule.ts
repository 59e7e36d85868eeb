import type { Schedule } from './schedule.js';
import { requireNonNegative, requireUnitTime } from './validate.js';

/** Options of {@link linearSchedule}. */
export interface LinearScheduleOptions {
  /** β(0), ≥ 0. */
  readonly betaMin: number;
  /** β(1), ≥ 0. */
  readonly betaMax: number;
}

/**
 * The linear VP schedule β(t) = βmin + t(βmax − βmin), B(t) = βmin·t + (βmax − βmin)t²/2
 * (algorithms.md §1.1, the SGM baseline 0.1 → 20).
 *
 * βmax < βmin is allowed: it is the decreasing "lerp" schedule of the ASBS code (β₀ = 20 → β₁ = 0.1);
 * both ends only need to be ≥ 0 for β to be a valid rate on [0, 1].
 */
export function linearSchedule(options: LinearScheduleOptions): Schedule {
  const { betaMin, betaMax } = options;
  requireNonNegative('linearSchedule', 'betaMin', betaMin);
  requireNonNegative('linearSchedule', 'betaMax', betaMax);
  const slope = betaMax - betaMin;
  return {
    name: `linear(${betaMin}→${betaMax})`,
    beta(t: number): number {
      requireUnitTime('linearSchedule.beta', 't', t);
      return betaMin + t * slope;
    },
    integral(t: number): number {
      requireUnitTime('linearSchedule.integral', 't', t);
      return t * (betaMin + 0.5 * t * slope);
    },
  };
}
