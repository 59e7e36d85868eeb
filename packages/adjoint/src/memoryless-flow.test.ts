import { initBackend, Rng, tf } from '@bridgekit/core';
import { logLogSlope } from '@bridgekit/core/testing';
import { uniformGrid } from '@bridgekit/samplers';
import { eamLinearBaseSde, gaussianFlowVelocity } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  linearBaseGain,
  linearBasePhi,
  linearBaseSpread,
  memorylessFlowStep,
  memorylessSigma2,
  memorylessStepCoefficients,
  sampleMemorylessFlow,
} from './memoryless-flow.js';
import { affine1d, momentsWithSe, simpson } from './numerics.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Φ(t', s) of the linear base, written out independently: (n(t')/t')·(s/n(s)). */
const phiRef = (tNext: number, s: number) =>
  ((tNext * tNext + (1 - tNext) ** 2) / tNext) * (s / (s * s + (1 - s) ** 2));

/** Slope and offset of the exact FM velocity of N(m, s²) data: v = g(t)·x + (1 − g(t)t)·m (§9 T13). */
function gaussianVelocityCoefficients(m: number, s: number, t: number): { slope: number; offset: number } {
  const slope = (t * s * s - (1 - t)) / (t * t * s * s + (1 - t) ** 2);
  return { slope, offset: (1 - slope * t) * m };
}

/**
 * Exact float64 mean/variance of the exponential Euler–Maruyama chain for N(m, s²) data on a uniform grid
 * of `steps` steps from X₀ ~ N(0, 1) at t = 0, read at grid time `at`: the step is affine,
 * x' = A x + B + √q ξ with A = Φ + 2ψ(g − c), B = 2ψ·(1 − g t)m, so μ' = Aμ + B and V' = A²V + q.
 */
function chainMoments(m: number, s: number, steps: number, at: number): { mean: number; variance: number } {
  let mean = 0;
  let variance = 1;
  const last = Math.round(at * steps);
  for (let k = 0; k < last; k++) {
    const t = k / steps;
    const tNext = (k + 1) / steps;
    const { phi, psi, q, gain } = memorylessStepCoefficients(t, tNext);
    const v = gaussianVelocityCoefficients(m, s, t);
    const a = phi + 2 * psi * (v.slope - gain);
    mean = a * mean + 2 * psi * v.offset;
    variance = a * a * variance + q;
  }
  return { mean, variance };
}

describe('memorylessStepCoefficients: exponential Euler–Maruyama of dX = [2v − X/t]dt + σdB, σ² = 2(1−t)/t', () => {
  const intervals: [number, number][] = [
    [0, 0.05],
    [0, 0.5],
    [0.05, 0.1],
    [0.2, 0.45],
    [0.5, 0.51],
    [0.7, 1],
    [0.99, 1],
  ];

  it('ψ = ∫ₜ^t′ Φ(t′, s) ds and q = ∫ₜ^t′ Φ(t′, s)²σ²(s) ds by float64 Simpson quadrature (1e-10)', () => {
    for (const [t, tNext] of intervals) {
      const { phi, psi, q, gain } = memorylessStepCoefficients(t, tNext);
      expect(phi).toBeCloseTo(phiRef(tNext, t), 12);
      expect(gain).toBeCloseTo((2 * t - 1) / (t * t + (1 - t) ** 2), 14);
      const psiQuad = simpson((u) => phiRef(tNext, u), t, tNext, 2000);
      // Φ(t′, s)²σ²(s) ~ s at s → 0: integrable, and finite at s = 0 (σ² = ∞ times Φ² = 0 gives 0).
      const qQuad = simpson(
        (u) => (u === 0 ? 0 : phiRef(tNext, u) ** 2 * ((2 * (1 - u)) / u)),
        t,
        tNext,
        2000,
      );
      expect(Math.abs(psi - psiQuad)).toBeLessThan(1e-10 * Math.max(1, psiQuad));
      expect(Math.abs(q - qQuad)).toBeLessThan(1e-10 * Math.max(1, qQuad));
    }
  });

  it('Φ and q equal eamLinearBaseSde().transition (@bridgekit/sde), and Φ(t′, 0) = 0 (T10/T11 memorylessness)', () => {
    const sde = eamLinearBaseSde();
    for (const [t, tNext] of intervals) {
      const { phi, q } = memorylessStepCoefficients(t, tNext);
      const tr = sde.transition(t, tNext);
      expect(phi).toBeCloseTo(tr.phi.get(0, 0), 13);
      expect(q).toBeCloseTo(tr.cov.get(0, 0), 13);
      if (t === 0) expect(phi).toBe(0);
    }
    // T11's values of Φ(1, t) = t/(t² + (1−t)²).
    expect(linearBasePhi(1, 0.2)).toBeCloseTo(0.2941176, 7);
    expect(linearBasePhi(1, 0.5)).toBe(1);
    expect(linearBasePhi(1, 0.9)).toBeCloseTo(1.097561, 6);
    expect(linearBaseSpread(0.3)).toBeCloseTo(0.58, 14);
    expect(linearBaseGain(0.3)).toBeCloseTo(-0.4 / 0.58, 14);
    expect(memorylessSigma2(0.25)).toBe(6);
  });

  it('memorylessFlowStep is x′ = Φx + ψ·2(v(x, t) − c(t)x) for a nonlinear velocity (float32, 1e-6)', () => {
    const v = (x: tf.Tensor2D, t: number) => tf.tidy(() => tf.add(tf.sin(tf.mul(x, 2)), t)) as tf.Tensor2D;
    const step = memorylessFlowStep(v);
    const xs = [-1.3, 0.2, 0.9, 2.5];
    const x = tf.tensor2d(xs, [2, 2]);
    for (const [t, tNext] of [
      [0.1, 0.2],
      [0.5, 0.75],
    ] as const) {
      const { phi, psi, gain } = memorylessStepCoefficients(t, tNext);
      const y = step(x, t, tNext);
      const got = y.dataSync();
      xs.forEach((xi, i) => {
        const want = phi * xi + 2 * psi * (Math.sin(2 * xi) + t - gain * xi);
        expect(Math.abs(got[i]! - want)).toBeLessThan(1e-6 * Math.max(1, Math.abs(want)));
      });
      y.dispose();
    }
    x.dispose();
  });
});

describe('memorylessFlowStep: exactness and T10', () => {
  it("with v = the linear base's own velocity (N(0, 1) data) the step's moment recursion keeps N(0, n(t)) exactly", () => {
    const step = memorylessFlowStep(gaussianFlowVelocity({ mean: 0, std: 1 }));
    // A coarse, non-uniform grid: exactness does not depend on the step size.
    const times = [0, 0.03, 0.2, 0.21, 0.5, 0.8, 0.97, 1];
    let mean = 0.4; // any X₀ mean is forgotten at the first step (Φ(t₁, 0) = 0)
    let variance = 1;
    for (let k = 0; k + 1 < times.length; k++) {
      const [t, tNext] = [times[k]!, times[k + 1]!];
      const { slope, offset } = affine1d((x) => step(x, t, tNext));
      expect(Math.abs(offset)).toBeLessThan(1e-7);
      const { q } = memorylessStepCoefficients(t, tNext);
      mean = slope * mean + offset;
      variance = slope * slope * variance + q;
      expect(Math.abs(mean)).toBeLessThan(1e-7);
      expect(variance).toBeCloseTo(linearBaseSpread(tNext), 6);
    }
    expect(variance).toBeCloseTo(1, 6);
  });

  it('T10: with N(m, s²) data (s ≠ 1) the exact moments of the chain converge to N(tm, t²s² + (1−t)²) at weak order 1 (t = 0.5, 1)', () => {
    const [m, s] = [0.7, 0.5];
    // The tensor step is the affine map the host recursion uses (float32 vs float64, 1e-6).
    const step = memorylessFlowStep(gaussianFlowVelocity({ mean: m, std: s }));
    for (const [t, tNext] of [
      [0, 0.1],
      [0.3, 0.4],
      [0.9, 1],
    ] as const) {
      const { phi, psi, gain } = memorylessStepCoefficients(t, tNext);
      const v = gaussianVelocityCoefficients(m, s, t);
      const got = affine1d((x) => step(x, t, tNext));
      expect(got.slope).toBeCloseTo(phi + 2 * psi * (v.slope - gain), 6);
      expect(got.offset).toBeCloseTo(2 * psi * v.offset, 6);
    }
    const steps = [10, 20, 40, 80, 160];
    for (const at of [0.5, 1]) {
      const exactMean = at * m;
      const exactVariance = at * at * s * s + (1 - at) ** 2;
      const meanErrors: number[] = [];
      const varianceErrors: number[] = [];
      for (const n of steps) {
        const chain = chainMoments(m, s, n, at);
        meanErrors.push(Math.abs(chain.mean - exactMean));
        varianceErrors.push(Math.abs(chain.variance - exactVariance));
      }
      // Observed (deterministic): slopes −0.96/−1.04 at t = 0.5 and −1.00/−0.94 at t = 1; errors at 160 steps
      // 6e-4/3e-3 and 4e-3/2e-3.
      expect(logLogSlope(steps, meanErrors)).toBeGreaterThan(-1.1);
      expect(logLogSlope(steps, meanErrors)).toBeLessThan(-0.9);
      expect(logLogSlope(steps, varianceErrors)).toBeGreaterThan(-1.1);
      expect(logLogSlope(steps, varianceErrors)).toBeLessThan(-0.9);
      expect(Math.max(meanErrors[4]!, varianceErrors[4]!)).toBeLessThan(5e-3);
    }
  });

  it('T10 by Monte Carlo: sampleMemorylessFlow, 10⁵ paths, 20 steps — mean and variance at t = 1 (4 SE)', () => {
    const [m, s] = [0.7, 0.5];
    const n = 100_000;
    const steps = 20;
    const rng = new Rng(17);
    const x0 = tf.tensor2d(rng.normalFloat32(n), [n, 1]);
    const states = sampleMemorylessFlow({
      velocity: gaussianFlowVelocity({ mean: m, std: s }),
      x0,
      times: uniformGrid(0, 1, steps),
      rng: rng.fork('noise'),
    });
    expect(states).toHaveLength(steps + 1);
    expect(Array.from(states[0]!.dataSync())).toEqual(Array.from(x0.dataSync()));
    const mc = momentsWithSe(states[steps]!.dataSync());
    tf.dispose([x0, ...states]);
    // The simulation against the exact moments of its own chain, with no allowance …
    const chain = chainMoments(m, s, steps, 1);
    expect(Math.abs(mc.mean - chain.mean)).toBeLessThan(4 * mc.meanSe);
    expect(Math.abs(mc.variance - chain.variance)).toBeLessThan(4 * mc.varianceSe);
    // … and against N(m, s²) with the chain's exact O(Δt) bias as the only allowance.
    expect(Math.abs(mc.mean - m)).toBeLessThan(4 * mc.meanSe + Math.abs(chain.mean - m));
    expect(Math.abs(mc.variance - s * s)).toBeLessThan(4 * mc.varianceSe + Math.abs(chain.variance - s * s));
    expect(mc.varianceSe).toBeLessThan(0.002); // sharp enough to see a wrong noise variance
  });

  it('from t = 0 the step is finite and forgets x₀ (Φ(t′, 0) = 0): only the ψ term 2ψ(v(x, 0) + x) remains', () => {
    const v = (x: tf.Tensor2D, t: number) =>
      tf.tidy(() => tf.add(tf.mul(tf.tanh(x), 0.5), t + 0.3)) as tf.Tensor2D;
    const step = memorylessFlowStep(v);
    const xs = [-40, -1, 0, 0.5, 3, 1e3];
    const x = tf.tensor2d(xs, [6, 1]);
    const y = step(x, 0, 0.05);
    const got = y.dataSync();
    const { psi } = memorylessStepCoefficients(0, 0.05);
    // c(0) = −1, so ψ·2(v − c·x) = 2ψ(v(x, 0) + x): x itself cancels against Φ(t′, 0)x = 0.
    xs.forEach((xi, i) => {
      expect(Number.isFinite(got[i]!)).toBe(true);
      const want = 2 * psi * (0.5 * Math.tanh(xi) + 0.3 + xi);
      expect(Math.abs(got[i]! - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
    });
    tf.dispose([x, y]);
    // For the exact Gaussian velocity v(x, 0) = m − x, the first step does not depend on x₀ at all.
    const gaussianStep = memorylessFlowStep(gaussianFlowVelocity({ mean: 0.7, std: 0.5 }));
    const x2 = tf.tensor2d(xs, [6, 1]);
    const y2 = gaussianStep(x2, 0, 0.05);
    // (float32: x(Φ − 2ψc) + 2ψ(m − x) cancels x, to rounding of the size 2ψ|x|·2⁻²⁴)
    y2.dataSync().forEach((value, i) => {
      expect(Math.abs(value - 2 * psi * 0.7)).toBeLessThan(1e-6 * (1 + 2 * psi * Math.abs(xs[i]!)));
    });
    tf.dispose([x2, y2]);
  });

  it('input errors name the argument', () => {
    expect(() => memorylessStepCoefficients(0.5, 0.5)).toThrow(
      /memorylessStepCoefficients: need 0 ≤ t < tNext ≤ 1, got t = 0.5, tNext = 0.5/,
    );
    expect(() => memorylessStepCoefficients(-0.1, 0.5)).toThrow(/got t = -0.1, tNext = 0.5/);
    expect(() => memorylessStepCoefficients(0.5, 1.2)).toThrow(/got t = 0.5, tNext = 1.2/);
    expect(() => memorylessStepCoefficients(Number.NaN, 0.5)).toThrow(/got t = NaN/);
    expect(() => memorylessFlowStep(42 as never)).toThrow(
      /memorylessFlowStep: velocity must be a function \(x: Tensor2D, t: number\) => Tensor2D, got 42/,
    );
    const x0 = tf.zeros([2, 1]) as tf.Tensor2D;
    expect(() =>
      sampleMemorylessFlow({
        velocity: gaussianFlowVelocity({ mean: 0, std: 1 }),
        x0,
        times: [0, 0.5, 0.5],
        rng: new Rng(1),
      }),
    ).toThrow(/memorylessStepCoefficients: need 0 ≤ t < tNext ≤ 1, got t = 0.5, tNext = 0.5/);
    x0.dispose();
  });
});
