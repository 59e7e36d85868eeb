// Tiny models with known solutions for the samplers' tests (not part of the package build).
import { tf } from '@bridgekit/core';
import type { LinearGaussianSde, ScoreFn, Sde, VectorField } from '@bridgekit/sde';
import type { LinearScoreModel } from './exponential-integrator.js';

/** dX = −θX dt + σ dW: E[X_t] = e^{−θt}x₀, Var X_t = σ²(1 − e^{−2θt})/(2θ) from a fixed x₀. */
export function ouSde(theta: number, sigma: number): Sde {
  return {
    name: `ou(θ=${theta}, σ=${sigma})`,
    drift: (x) => tf.mul(x, -theta),
    diffusion: () => sigma,
  };
}

/**
 * dx/dt = (−a I + ω(t) J)x on R², ω(t) = ω₀(1 + t): a damped rotation whose rate grows in time, so a
 * solver that evaluates the field at the wrong stage times loses its order. The generators commute, so
 * x(t) = e^{−a(t − s)} R(θ(t) − θ(s)) x(s) with θ(t) = ω₀(t + t²/2).
 */
export function dampedRotation(
  a: number,
  omega0: number,
): VectorField & {
  exact(x: Float64Array, s: number, t: number): Float64Array;
} {
  const theta = (t: number) => omega0 * (t + (t * t) / 2);
  return {
    name: `damped-rotation(a=${a}, ω₀=${omega0})`,
    velocity(x, t) {
      const w = omega0 * (1 + t);
      // [x, y] ↦ [−a x − ω y, ω x − a y] as x·Kᵀ with K = [[−a, −ω], [ω, −a]].
      return tf.tidy(() => tf.matMul(x, tf.tensor2d([-a, w, -w, -a], [2, 2])));
    },
    exact(x, s, t) {
      const d = theta(t) - theta(s);
      const c = Math.cos(d);
      const sn = Math.sin(d);
      const e = Math.exp(-a * (t - s));
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i += 2) {
        out[i] = e * (c * x[i]! - sn * x[i + 1]!);
        out[i + 1] = e * (sn * x[i]! + c * x[i + 1]!);
      }
      return out;
    },
  };
}

/** Wraps every model evaluation method of a model with a call counter. */
export interface Counted<M> {
  readonly model: M;
  calls(): number;
}

export function countedSde(sde: Sde): Counted<Sde> {
  let n = 0;
  return {
    model: {
      name: sde.name,
      drift: (x, t) => {
        n++;
        return sde.drift(x, t);
      },
      diffusion: (t, x) => sde.diffusion(t, x),
    },
    calls: () => n,
  };
}

export function countedField(field: VectorField): Counted<VectorField> {
  let n = 0;
  return {
    model: {
      name: field.name,
      velocity: (x, t) => {
        n++;
        return field.velocity(x, t);
      },
    },
    calls: () => n,
  };
}

export function countedLinear(sde: LinearGaussianSde, score: ScoreFn): Counted<LinearScoreModel> {
  let n = 0;
  return {
    model: {
      sde,
      score: (x, t) => {
        n++;
        return score(x, t);
      },
    },
    calls: () => n,
  };
}

/** Host copy of a tensor in float64. */
export function host(x: tf.Tensor): Float64Array {
  return Float64Array.from(x.dataSync());
}

/** Column means and the unbiased covariance of an [n, d] sample, in float64 on the host. */
export function sampleMoments(x: tf.Tensor2D): { mean: number[]; cov: number[][] } {
  const [n, d] = x.shape;
  const v = x.dataSync();
  const mean = new Array<number>(d).fill(0);
  for (let b = 0; b < n; b++) for (let i = 0; i < d; i++) mean[i]! += v[b * d + i]!;
  for (let i = 0; i < d; i++) mean[i]! /= n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let b = 0; b < n; b++)
    for (let i = 0; i < d; i++) {
      const di = v[b * d + i]! - mean[i]!;
      for (let j = 0; j < d; j++) cov[i]![j]! += di * (v[b * d + j]! - mean[j]!);
    }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i]![j]! /= n - 1;
  return { mean, cov };
}
