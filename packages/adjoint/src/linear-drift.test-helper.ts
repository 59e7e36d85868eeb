/**
 * Linear-drift fixtures for adjoint tests: a smooth, non-commuting, time-varying 2×2 F(t) (the one of
 * @bridgekit/sde's LinearSde tests), a float64 RK4 reference for the backward adjoint ODE
 * dã/dt = −F(t)ᵀã, and a least-squares slope of log error against log step size.
 */
import { Matrix } from '@bridgekit/core';
import { LinearSde } from '@bridgekit/sde';

export const fNonCommuting = (t: number): Matrix =>
  Matrix.from([
    [-1 + 0.5 * Math.sin(2 * t), 0.8 * t],
    [-0.6 * Math.cos(t), -0.4 - t * t],
  ]);

export const nonCommutingSde = new LinearSde({
  name: 'non-commuting',
  driftMatrix: fNonCommuting,
  diffusionCov: (t) => Matrix.diag([1 + t, 0.5 + 0.5 * Math.cos(t)]),
});

/** ã(t0) from ã(t1) = a1 (n×1) by classical RK4 on dã/dt = −F(t)ᵀã, backward in time, float64. */
export function rk4BackwardAdjoint(
  f: (t: number) => Matrix,
  a1: Matrix,
  t0: number,
  t1: number,
  steps: number,
): Matrix {
  const h = (t1 - t0) / steps;
  // In reversed time u = t1 − t: dã/du = F(t)ᵀã.
  const rate = (t: number, a: Matrix) => f(t).transpose().mul(a);
  let a = a1;
  for (let k = 0; k < steps; k++) {
    const t = t1 - k * h;
    const k1 = rate(t, a);
    const k2 = rate(t - h / 2, a.add(k1.scale(h / 2)));
    const k3 = rate(t - h / 2, a.add(k2.scale(h / 2)));
    const k4 = rate(t - h, a.add(k3.scale(h)));
    a = a.add(
      k1
        .add(k2.scale(2))
        .add(k3.scale(2))
        .add(k4)
        .scale(h / 6),
    );
  }
  return a;
}
