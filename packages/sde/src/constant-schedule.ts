import type { Schedule } from './schedule.js';
import { requireNonNegative, requireUnitTime } from './validate.js';

/**
 * The constant schedule β(t) ≡ β, B(t) = β·t (algorithms.md §1.1: power-VP with r = 0; VSDM's
 * Gaussian consistency run uses β ≡ 4).
 */
export function constantSchedule(beta: number): Schedule {
  requireNonNegative('constantSchedule', 'beta', beta);
  return {
    name: `constant(β=${beta})`,
    beta(t: number): number {
      requireUnitTime('constantSchedule.beta', 't', t);
      return beta;
    },
    integral(t: number): number {
      requireUnitTime('constantSchedule.integral', 't', t);
      return beta * t;
    },
  };
}
