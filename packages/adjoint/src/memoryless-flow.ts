import { type Rng, tf } from '@bridgekit/core';
import { requireFunction } from './validate.js';

/** A flow-matching velocity v(x, t) on a batch [B, D] at one time (t = 0 noise, t = 1 data). */
export type Velocity = (x: tf.Tensor2D, t: number) => tf.Tensor2D;

/** n(t) = t² + (1−t)²: the marginal variance of EAM's linear base (the flow of N(0, I) data). */
export function linearBaseSpread(t: number): number {
  return t * t + (1 - t) * (1 - t);
}

/** c(t) = (2t−1)/n(t): v_lin(x, t) = c(t)·x is the flow-matching velocity of N(0, I) data (§8.1). */
export function linearBaseGain(t: number): number {
  return (2 * t - 1) / linearBaseSpread(t);
}

/** σ(t)² = 2(1−t)/t, the memoryless noise level of a flow model (§4.1); +∞ at t = 0. */
export function memorylessSigma2(t: number): number {
  return (2 * (1 - t)) / t;
}

/** Φ(t, s) = (n(t)/t)·(s/n(s)), the transition factor of the linear base from s to t ≥ s > 0; Φ(t, 0) = 0. */
export function linearBasePhi(t: number, s: number): number {
  if (s === t) return 1;
  return ((linearBaseSpread(t) / t) * s) / linearBaseSpread(s);
}

/** ∫ s/n(s) ds = ¼·ln n(s) + ½·arctan(2s − 1). */
function primitive(s: number): number {
  return 0.25 * Math.log(linearBaseSpread(s)) + 0.5 * Math.atan(2 * s - 1);
}

/** One step of {@link memorylessFlowStep}: x' = φ·x + ψ·2(v(x, t) − c(t)x) + √q·ξ, in float64 scalars. */
export interface MemorylessStepCoefficients {
  /** Φ(t', t). */
  readonly phi: number;
  /** ψ = ∫ₜ^t' Φ(t', s) ds, the weight of the non-linear drift. */
  readonly psi: number;
  /** q = n(t') − Φ(t', t)²·n(t): the exact noise variance of the linear base over the step. */
  readonly q: number;
  /** c(t), the linear base's velocity gain at the start of the step. */
  readonly gain: number;
}

/** The coefficients of the exponential Euler–Maruyama step from t to t' (0 ≤ t < t' ≤ 1). */
export function memorylessStepCoefficients(t: number, tNext: number): MemorylessStepCoefficients {
  if (!(t >= 0 && tNext > t && tNext <= 1)) {
    throw new RangeError(
      `memorylessStepCoefficients: need 0 ≤ t < tNext ≤ 1, got t = ${t}, tNext = ${tNext}`,
    );
  }
  const nNext = linearBaseSpread(tNext);
  const phi = linearBasePhi(tNext, t);
  const psi = (nNext / tNext) * (primitive(tNext) - primitive(t));
  // Q(t', t) = n(t')(t'−t)(t'+t−2t't)/(t'²n(t)), the factored form without cancellation.
  const q = (nNext * (tNext - t) * (tNext + t - 2 * tNext * t)) / (tNext * tNext * linearBaseSpread(t));
  return { phi, psi, q, gain: linearBaseGain(t) };
}

/**
 * The noise-free part of one step of the memoryless flow SDE dX = [2v(X, t) − X/t] dt + σ(t) dB
 * (σ² = 2(1−t)/t; algorithms.md §4.1) by the exponential integrator of its linear part: writing the drift as
 * κ(t)X + 2(v − v_lin)(X, t), with κX = 2v_lin − X/t the linear base of EAM (§8.1) whose transition is exact,
 *
 *     μ(x, t, t') = Φ(t', t)·x + ψ·2(v(x, t) − c(t)·x),   ψ = ∫ₜ^t' Φ(t', s) ds.
 *
 * Unlike plain Euler–Maruyama it is stable from t = 0, where −X/t and σ² diverge: Φ(t', 0) = 0, so the
 * first step forgets X₀ as the continuous process does. Also the step map whose exact discrete adjoint is
 * Adjoint Matching's lean adjoint.
 */
export function memorylessFlowStep(
  velocity: Velocity,
): (x: tf.Tensor2D, t: number, tNext: number) => tf.Tensor2D {
  requireFunction('memorylessFlowStep', 'velocity', velocity, '(x: Tensor2D, t: number) => Tensor2D');
  return (x, t, tNext) => {
    const { phi, psi, gain } = memorylessStepCoefficients(t, tNext);
    return tf.tidy(() =>
      tf.add(tf.mul(x, phi - 2 * psi * gain), tf.mul(velocity(x, t), 2 * psi)),
    ) as tf.Tensor2D;
  };
}

/** Options of {@link sampleMemorylessFlow}. */
export interface SampleMemorylessFlowOptions {
  readonly velocity: Velocity;
  /** X at times[0] (X₀ ~ N(0, I) when times[0] = 0), [B, D]; stays the caller's. */
  readonly x0: tf.Tensor2D;
  /** Increasing times in [0, 1]. */
  readonly times: ArrayLike<number>;
  /** Noise source, consumed (host normals, so a seed gives the same paths on every backend). */
  readonly rng: Rng;
}

/**
 * Simulates the memoryless flow SDE of `velocity` on `times` with the exponential Euler–Maruyama step
 * x' = μ(x, t, t') + √q·ξ ({@link memorylessFlowStep}; q the exact noise variance of the linear base):
 * weak order 1, exact when v is the linear base's own velocity. Returns every state (states[0] a copy
 * of x0); the caller owns them.
 */
export function sampleMemorylessFlow(options: SampleMemorylessFlowOptions): tf.Tensor2D[] {
  const { velocity, x0, times, rng } = options;
  const step = memorylessFlowStep(velocity);
  const [b, d] = x0.shape;
  const states: tf.Tensor2D[] = [tf.clone(x0)];
  try {
    for (let k = 0; k + 1 < times.length; k++) {
      const t = times[k]!;
      const tNext = times[k + 1]!;
      const { q } = memorylessStepCoefficients(t, tNext);
      const noise = rng.normalFloat32(b * d);
      const prev = states[k]!;
      states.push(
        tf.tidy(() => tf.add(step(prev, t, tNext), tf.mul(tf.tensor2d(noise, [b, d]), Math.sqrt(q)))),
      );
    }
  } catch (error) {
    tf.dispose(states);
    throw error;
  }
  return states;
}
