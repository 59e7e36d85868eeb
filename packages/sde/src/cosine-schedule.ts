import type { Schedule } from './schedule.js';
import { requireNonNegative, requirePositive, requireUnitTime } from './validate.js';

/** Options of {@link cosineSchedule}. */
export interface CosineScheduleOptions {
  /** Offset s ≥ 0 that keeps β(0) away from 0 (Nichol & Dhariwal use 0.008). */
  readonly s?: number;
  /** Cap on β(t), which otherwise diverges at t = 1 (default 20). */
  readonly maxBeta?: number;
}

/** A cosine schedule with the time at which its rate reaches the cap. */
export interface CosineSchedule extends Schedule {
  /** t* ∈ (0, 1): β(t) = maxBeta for t ≥ t*. */
  readonly clipTime: number;
}

/**
 * The Nichol–Dhariwal cosine schedule in continuous time: ᾱ(t) = cos²((t+s)/(1+s)·π/2) / cos²(s/(1+s)·π/2),
 * B(t) = −log ᾱ(t), β(t) = dB/dt = π/(1+s)·tan((t+s)/(1+s)·π/2) (Nichol & Dhariwal 2021, "Improved DDPM").
 *
 * The clip, exactly: β rises monotonically to ∞ at t = 1, so we cap the *rate*: β(t) = min(β_cos(t), maxBeta).
 * With t* the time where β_cos(t*) = maxBeta, B(t) = −log ᾱ(t) for t ≤ t* and
 * B(t) = −log ᾱ(t*) + maxBeta·(t − t*) after it, i.e. B is always the exact integral of the returned β
 * (continuous, no jump), so ᾱ(1) = e^{−B(1)} > 0. This differs from the paper's discrete clip of each
 * step's β_t at 0.999; it is the natural continuous-time analogue.
 */
export function cosineSchedule(options: CosineScheduleOptions = {}): CosineSchedule {
  const s = options.s ?? 0.008;
  const maxBeta = options.maxBeta ?? 20;
  requireNonNegative('cosineSchedule', 's', s);
  requirePositive('cosineSchedule', 'maxBeta', maxBeta);
  const scale = Math.PI / (2 * (1 + s));
  const theta = (t: number) => (t + s) * scale;
  const rawBeta = (t: number) => 2 * scale * Math.tan(theta(t));
  const cos0 = Math.cos(theta(0));
  const rawIntegral = (t: number) => 2 * Math.log(cos0 / Math.cos(theta(t)));
  const beta0 = rawBeta(0);
  if (!(maxBeta > beta0)) {
    throw new RangeError(`cosineSchedule: maxBeta must exceed β(0) = ${beta0} for s = ${s}, got ${maxBeta}`);
  }
  // Solve β_cos(t*) = maxBeta in closed form; atan < π/2 keeps t* < 1.
  const clipTime = Math.atan(maxBeta / (2 * scale)) / scale - s;
  const integralAtClip = rawIntegral(clipTime);
  return {
    name: `cosine(s=${s}, maxBeta=${maxBeta})`,
    clipTime,
    beta(t: number): number {
      requireUnitTime('cosineSchedule.beta', 't', t);
      return t < clipTime ? rawBeta(t) : maxBeta;
    },
    integral(t: number): number {
      requireUnitTime('cosineSchedule.integral', 't', t);
      return t <= clipTime ? rawIntegral(t) : integralAtClip + maxBeta * (t - clipTime);
    },
  };
}
