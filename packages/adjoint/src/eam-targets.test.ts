import { initBackend, Rng, tf } from '@bridgekit/core';
import { logLogSlope } from '@bridgekit/core/testing';
import { gaussianFlowVelocity } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { eamRegressionRows, eamTerminalGradient, tweedieScore } from './eam-targets.js';
import { gaussianTilt } from './gaussian-tilt.js';
import { gaussianTiltReward } from './gaussian-tilt-reward.js';
import { fitLine } from './numerics.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** The exact FM velocity of N(m, s²) data at (x, t) (§9 T13). */
const flowVelocity = (m: number, s: number, x: number, t: number) =>
  m + ((t * s * s - (1 - t)) / (t * t * s * s + (1 - t) ** 2)) * (x - t * m);

describe('tweedieScore: s_t(x) = (t·v(x, t) − x)/(1 − t)', () => {
  it('on the exact velocity of N(m, s²) data is the score of the interpolant marginal N(tm, t²s² + (1−t)²)', () => {
    const means = [0.7, -1];
    const s = 0.5;
    const v = gaussianFlowVelocity({ mean: means, std: s });
    const xs = [0.3, 2, -1, 0, 1.5, -0.4];
    const x = tf.tensor2d(xs, [3, 2]);
    for (const t of [0, 0.3, 0.5, 0.9]) {
      const score = tweedieScore(v, x, t);
      const got = score.dataSync();
      const variance = t * t * s * s + (1 - t) ** 2;
      xs.forEach((xi, i) => {
        const want = -(xi - t * means[i % 2]!) / variance;
        expect(Math.abs(got[i]! - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
      });
      score.dispose();
    }
    x.dispose();
  });
});

describe('eamTerminalGradient: ∇g = −λ∇r − s₁^base − x, s₁ ≈ (1−δ)·s_{1−δ}((1−δ)x) (algorithms.md §8.2)', () => {
  const xs = [-2, -0.5, 0.3, 1.7];
  const reward = gaussianTiltReward({ a: 2, c: -1 });

  /** ∇g at xs for a 1-D base N(m, s²), λ and δ. */
  function gradG(m: number, s: number, lambda: number, delta: number): Float32Array {
    const x1 = tf.tensor2d(xs, [xs.length, 1]);
    const rewardGradient = reward.gradient(x1);
    const g = eamTerminalGradient({
      x1,
      rewardGradient,
      lambda,
      baseVelocity: gaussianFlowVelocity({ mean: m, std: s }),
      delta,
    });
    const out = Float32Array.from(g.dataSync());
    tf.dispose([x1, rewardGradient, g]);
    return out;
  }

  it('with λ = 0 and the N(0, 1) base (the linear base itself) it is 0 up to the O(δ²) smoothing: −δ²x/n(1−δ)', () => {
    for (const delta of [0.1, 0.01]) {
      const got = gradG(0, 1, 0, delta);
      const n = (1 - delta) ** 2 + delta ** 2;
      xs.forEach((x, i) => {
        // float32: Tweedie's (t·v − x)/δ cancels to rounding of the size 2⁻²⁴|x|/δ
        const rounding = (4e-7 * (1 + Math.abs(x))) / delta;
        expect(Math.abs(got[i]!)).toBeLessThanOrEqual((delta * delta * Math.abs(x)) / n + rounding);
        expect(Math.abs(got[i]! - (-delta * delta * x) / n)).toBeLessThan(rounding);
      });
    }
  });

  it('with a base N(m, s²) it is −λ∇r + (x − m)/s² − x up to a bias that shrinks like δ² (slope 2: the rescaled point)', () => {
    const [m, s, lambda] = [0.7, 0.5, 1.5];
    const deltas = [0.2, 0.1, 0.05, 0.025];
    const errors = deltas.map((delta) => {
      const got = gradG(m, s, lambda, delta);
      let worst = 0;
      xs.forEach((x, i) => {
        const exact = lambda * 2 * (x + 1) + (x - m) / (s * s) - x;
        // The estimate's bias, exactly: s₁ is estimated by −(1−δ)²(x − m)/((1−δ)²s² + δ²).
        const bias = (-(x - m) * delta * delta) / (s * s * ((1 - delta) ** 2 * s * s + delta * delta));
        expect(got[i]! - exact).toBeCloseTo(bias, 4);
        worst = Math.max(worst, Math.abs(got[i]! - exact));
      });
      return worst;
    });
    const slope = logLogSlope(deltas, errors);
    expect(slope).toBeGreaterThan(1.8);
    expect(slope).toBeLessThan(2.2);
    expect(errors[3]!).toBeLessThan(0.05);
  });

  it('T22: regressing the L_v target on X_t gives the FM velocity of the endpoint law — base 0.76 (λ = 0), tilted −0.50 (λ = 1.5) at t = 0.5, x = 0.3', () => {
    // 1-D, m = 0.7, s = 0.5, r = −(a/2)(x − c)², a = 2, c = −1; δ = 1e-3 with the exact base velocity, so
    // the Tweedie bias (O(δ²) ≈ 1e-6) is far below the MC error. 10⁶ endpoints: the SE of the fitted value
    // at x = 0.3 is 0.0013 (base) and 0.0025 (tilted) at t = 0.5, 2e-4 and 5e-4 at t = 0.8 — T22's
    // "MC ±0.005" — and the check is 4 SE.
    const [m, s, a, c] = [0.7, 0.5, 2, -1];
    const n = 1_000_000;
    const baseVelocity = gaussianFlowVelocity({ mean: m, std: s });
    const reward = gaussianTiltReward({ a, c });
    for (const lambda of [0, 1.5]) {
      const law = gaussianTilt({ mean: m, variance: s * s, a, c, lambda });
      const [mEnd, sEnd] = [law.mean[0]!, Math.sqrt(law.variance[0]!)];
      const rng = new Rng(lambda === 0 ? 22 : 23);
      const x1 = Float32Array.from(rng.normal(n), (z) => mEnd + sEnd * z);
      const x1T = tf.tensor2d(x1, [n, 1]);
      const rewardGradient = reward.gradient(x1T);
      const g = eamTerminalGradient({ x1: x1T, rewardGradient, lambda, baseVelocity, delta: 1e-3 });
      const terminalGradient = g.dataSync();
      const eps = rng.normal(n);
      // t = 0.5 (T22, where (2t − 1)X_t vanishes) and t = 0.8 (where it does not).
      for (const t of [0.5, 0.8]) {
        const rows = eamRegressionRows({ x1, terminalGradient, dim: 1, t: new Float64Array(n).fill(t), eps });
        expect(rows.weight).toBeUndefined();
        expect(rows.t.every((v) => v === Math.fround(t))).toBe(true);
        const fit = fitLine(rows.x, rows.target);
        const got = fit.at(0.3);
        const want = flowVelocity(mEnd, sEnd, 0.3, t);
        expect(got.se).toBeLessThan(0.003);
        expect(Math.abs(got.value - want)).toBeLessThan(4 * got.se);
        if (t === 0.5) expect(want).toBeCloseTo(lambda === 0 ? 0.76 : -0.5, 12);
        // the slope too: the whole conditional mean is v(·, t) of the endpoint law
        const slope = (t * sEnd * sEnd - (1 - t)) / (t * t * sEnd * sEnd + (1 - t) ** 2);
        expect(Math.abs(fit.slope - slope)).toBeLessThan(0.02);
      }
      tf.dispose([x1T, rewardGradient, g]);
    }
  });

  it('eamRegressionRows re-noises by the interpolant: X_t = tX₁ + (1−t)ε, target [(2t−1)X_t − (1−t)∇g]/n(t)', () => {
    const rows = eamRegressionRows({
      x1: [1, -2, 0.5, 3],
      terminalGradient: [0.2, -0.4, 1, 0],
      dim: 2,
      t: [0, 0.75],
      eps: [0.1, -0.3, 2, 1],
    });
    const expectRow = (i: number, t: number, x1: number, gr: number, e: number) => {
      const xt = t * x1 + (1 - t) * e;
      expect(rows.x[i]).toBeCloseTo(xt, 6);
      expect(rows.target[i]).toBeCloseTo(((2 * t - 1) * xt - (1 - t) * gr) / (t * t + (1 - t) ** 2), 6);
    };
    expectRow(0, 0, 1, 0.2, 0.1);
    expectRow(1, 0, -2, -0.4, -0.3);
    expectRow(2, 0.75, 0.5, 1, 2);
    expectRow(3, 0.75, 3, 0, 1);
    expect(Array.from(rows.t)).toEqual([0, 0.75]);
  });

  it('input errors name the argument', () => {
    const x = tf.zeros([2, 1]) as tf.Tensor2D;
    const wide = tf.zeros([2, 2]) as tf.Tensor2D;
    const v = gaussianFlowVelocity({ mean: 0, std: 1 });
    expect(() => tweedieScore(v, x, 1)).toThrow(/tweedieScore: t must be in \[0, 1\) .*got 1/);
    expect(() => tweedieScore('v' as never, x, 0.5)).toThrow(/tweedieScore: velocity must be a function/);
    const options = { x1: x, rewardGradient: x, lambda: 1, baseVelocity: v };
    expect(() => eamTerminalGradient({ ...options, delta: 0 })).toThrow(
      /eamTerminalGradient: delta must be in \(0, 1\), got 0/,
    );
    expect(() => eamTerminalGradient({ ...options, delta: 1 })).toThrow(/delta must be in \(0, 1\), got 1/);
    expect(() => eamTerminalGradient({ ...options, lambda: -1 })).toThrow(
      /eamTerminalGradient: lambda must be a finite number ≥ 0, got -1/,
    );
    expect(() => eamTerminalGradient({ ...options, rewardGradient: wide })).toThrow(
      /eamTerminalGradient: rewardGradient must have shape \[2, 1\], got \[2, 2\]/,
    );
    expect(() => eamTerminalGradient({ ...options, x1: [[0]] as never })).toThrow(
      /eamTerminalGradient: x1 must be a live float32 tf.Tensor2D/,
    );
    const rows = { x1: [0, 0], terminalGradient: [0, 0], dim: 1, t: [0.5, 0.5], eps: [0, 0] };
    expect(() => eamRegressionRows({ ...rows, dim: 0 })).toThrow(
      /eamRegressionRows: dim must be a positive integer, got 0/,
    );
    expect(() => eamRegressionRows({ ...rows, eps: [0] })).toThrow(
      /eamRegressionRows: eps must hold t.length × dim = 2 numbers, got 1/,
    );
    expect(() => eamRegressionRows({ ...rows, t: [0.5, 1.5] })).toThrow(
      /eamRegressionRows: t\[1\] must be in \[0, 1\], got 1.5/,
    );
    expect(() => eamRegressionRows({ ...rows, t: [Number.NaN, 0.5] })).toThrow(
      /eamRegressionRows: t\[0\] must be a finite number, got NaN/,
    );
    tf.dispose([x, wide]);
  });
});
