/**
 * Float64 host numerics for the fine-tuning tests: composite Simpson quadrature, the affine coefficients
 * of a 1-D tensor map, sample moments with standard errors, and an ordinary least-squares line with the
 * standard error of its prediction.
 */
import { tf } from '@bridgekit/core';

/** ∫ₐᵇ f by composite Simpson on `panels` panels (error O(h⁴) for smooth f). */
export function simpson(f: (x: number) => number, a: number, b: number, panels = 400): number {
  const h = (b - a) / panels;
  let sum = f(a) + f(b);
  for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * f(a + i * h);
  return (h / 3) * sum;
}

/** (slope, offset) of a 1-D affine map x ↦ αx + γ applied to a [B, 1] batch, read off x = 0 and x = 1. */
export function affine1d(map: (x: tf.Tensor2D) => tf.Tensor2D): { slope: number; offset: number } {
  const x = tf.tensor2d([[0], [1]]);
  const y = map(x);
  const [at0, at1] = Array.from(y.dataSync());
  tf.dispose([x, y]);
  return { slope: at1! - at0!, offset: at0! };
}

/** Sample mean and variance of 1-D draws with their standard errors (the variance's from the 4th moment). */
export function momentsWithSe(v: ArrayLike<number>): {
  mean: number;
  variance: number;
  meanSe: number;
  varianceSe: number;
} {
  const n = v.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i]!;
  const mean = s / n;
  let m2 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = (v[i]! - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  const variance = m2 / (n - 1);
  return {
    mean,
    variance,
    meanSe: Math.sqrt(variance / n),
    varianceSe: Math.sqrt((m4 / n - (m2 / n) ** 2) / n),
  };
}

/** The least-squares line y ≈ α + βx, with the standard error of its value at a point. */
export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** α + βx₀ and its standard error s·√(1/n + (x₀ − x̄)²/Sxx), s² the residual variance. */
  at(x0: number): { value: number; se: number };
}

/** Ordinary least squares of y on x (float64 accumulation). */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = x.length;
  if (y.length !== n || n < 3) throw new RangeError(`fitLine: need ≥ 3 pairs, got ${n} and ${y.length}`);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i]! - intercept - slope * x[i]!) ** 2;
  const s2 = rss / (n - 2);
  return {
    slope,
    intercept,
    at: (x0) => ({
      value: intercept + slope * x0,
      se: Math.sqrt(s2 * (1 / n + (x0 - mx) ** 2 / sxx)),
    }),
  };
}
