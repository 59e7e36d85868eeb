// Convergence orders: the fitted slope of log(error) against log(h) must match each solver's declared
// order. ODE solvers on the cpu backend (tiny batch, errors kept well above float32 rounding); the
// Euler–Maruyama weak order on wasm (2e5 paths).
import { initBackend, tf } from '@bridgekit/core';
import { logLogSlope } from '@bridgekit/core/testing';
import { describe, expect, it } from 'vitest';
import { eulerMaruyama } from './euler-maruyama.js';
import { eulerOde } from './euler-ode.js';
import { heunOde } from './heun-ode.js';
import { dampedRotation, host, ouSde } from './models.test-helper.js';
import { rk4Ode } from './rk4-ode.js';
import type { Sampler } from './sampler.js';
import { uniformGrid } from './time-grid.js';

describe('ODE solvers converge at their declared global order', () => {
  // a = 0.3, ω₀ = 1.5 on [0, 2]: the step ranges below are asymptotic (a float64 reference run
  // gives slopes within 0.07 of the order) and the smallest error is ≥ 2.6e-5, far above the
  // ~1e-7 float32 rounding floor, so rounding cannot flatten the RK4 slope.
  const field = dampedRotation(0.3, 1.5);
  const x0 = [1, 0, 0, 1, 0.5, -0.3, -1, 2];
  const table: [string, Sampler<typeof field>, number[]][] = [
    ['eulerOde', eulerOde, [100, 200, 400, 800]],
    ['heunOde', heunOde, [32, 64, 128, 256]],
    ['rk4Ode', rk4Ode, [16, 24, 32, 48]],
  ];

  describe.each([
    ['forward', 0, 2],
    ['backward', 2, 0],
  ] as const)('%s in time', (_direction, t0, t1) => {
    it.each(table)('%s', async (_name, sampler, stepCounts) => {
      await initBackend('cpu');
      const exact = field.exact(Float64Array.from(x0), t0, t1);
      const errors: number[] = [];
      for (const steps of stepCounts) {
        const x = tf.tensor2d(x0, [4, 2]);
        const result = sampler(field, x, uniformGrid(t0, t1, steps));
        const got = host(result.x);
        errors.push(Math.max(...Array.from(got, (v, i) => Math.abs(v - exact[i]!))));
        tf.dispose([x, result.x]);
      }
      const slope = logLogSlope(
        stepCounts.map((n) => Math.abs(t1 - t0) / n),
        errors,
      );
      expect(Math.min(...errors)).toBeGreaterThan(1e-5);
      expect(Math.abs(slope - sampler.solver.order)).toBeLessThan(0.3);
    });
  });
});

describe('Euler–Maruyama has weak order 1', () => {
  it('on E[X_T²] of an OU process: slope 1 ± 0.35, and each estimate matches the EM closed form', async () => {
    await initBackend('wasm');
    // dX = −θX dt + σ dW, X₀ = 0, T = 1: E[X_T²] = σ²(1 − e^{−2θT})/(2θ). EM is linear, so its own
    // E[X_N²] = σ²h Σ_{j<N} (1 − θh)^{2j} is exact; the bias is ≈ 0.0388, 0.0174, 0.0083 at N = 8, 16,
    // 32, and with n = 2e5 paths the standard error of the mean of X² (√2·Var/√n) is ≈ 5.3e-4, so
    // the smallest bias is ≈ 16 SE and the slope's MC standard deviation is ≈ 0.05. The exact EM
    // biases give a slope of 1.11 (still pre-asymptotic at θh = 0.375).
    const theta = 3;
    const sigma = 1;
    const exact = (sigma * sigma * (1 - Math.exp(-2 * theta))) / (2 * theta);
    const batch = 50_000;
    const dim = 4;
    const n = batch * dim;
    const stepCounts = [8, 16, 32];
    const errors: number[] = [];
    for (const [i, steps] of stepCounts.entries()) {
      const h = 1 / steps;
      let emSecondMoment = 0;
      for (let j = 0; j < steps; j++) emSecondMoment += sigma * sigma * h * (1 - theta * h) ** (2 * j);
      const x = tf.zeros([batch, dim]) as tf.Tensor2D;
      const result = eulerMaruyama(ouSde(theta, sigma), x, uniformGrid(0, 1, steps), { seed: 100 + i });
      const v = result.x.dataSync();
      tf.dispose([x, result.x]);
      let m2 = 0;
      let m4 = 0;
      for (const value of v) {
        m2 += value * value;
        m4 += value ** 4;
      }
      m2 /= n;
      m4 /= n;
      const se = Math.sqrt((m4 - m2 * m2) / n);
      expect(Math.abs(m2 - emSecondMoment)).toBeLessThan(4 * se);
      expect(m2 - exact).toBeGreaterThan(10 * se);
      errors.push(Math.abs(m2 - exact));
    }
    const slope = logLogSlope(
      stepCounts.map((s) => 1 / s),
      errors,
    );
    expect(Math.abs(slope - eulerMaruyama.solver.order)).toBeLessThan(0.35);
  });
});
