import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import type { PolicyParams } from './forward-policy.js';
import {
  checkPolicyOptimizer,
  initPolicyOptimizer,
  type PolicyOptimizerConfig,
  policyLearningRate,
  policyOptimizerStep,
} from './policy-optimizer.js';

const ADAMW: PolicyOptimizerConfig = {
  kind: 'adamw',
  lr: 1e-3,
  lrOrthogonal: 2e-4,
  weightDecay: 0,
  stepEvery: 3,
  gamma: 0.5,
};
const RM: PolicyOptimizerConfig = { kind: 'robbins-monro', lr: 0.5, k0: 10, alpha: 0.75 };

function params(seed: number): PolicyParams {
  const rng = new Rng(seed);
  return { u: rng.normal(4), s: rng.normal(2), v: rng.normal(4), 'time.w2': rng.normal(3) };
}

/** Gradients bounded away from 0 (|g| ∈ [0.1, 2]) with random signs. */
function grads(like: PolicyParams, seed: number): PolicyParams {
  const rng = new Rng(seed);
  return Object.fromEntries(
    Object.entries(like).map(([k, p]) => [
      k,
      rng.uniform(p.length).map((u, i) => (i % 2 === 0 ? 1 : -1) * (0.1 + 1.9 * u)),
    ]),
  );
}

describe('AdamW forward optimiser', () => {
  it('moves every parameter by lr·sign(g) on the first step (bias-corrected), u and v by lrOrthogonal', () => {
    const p = params(1);
    const before = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Float64Array.from(v)]));
    const g = grads(p, 2);
    const state = initPolicyOptimizer(p);
    policyOptimizerStep(ADAMW, state, p, g);
    expect(state.step).toBe(1);
    for (const [name, values] of Object.entries(p)) {
      const lr = name === 'u' || name === 'v' ? 2e-4 : 1e-3;
      values.forEach((v, i) => {
        const step = v - before[name]![i]!;
        // m̂ = g, v̂ = g² ⇒ Δ = −lr·g/(|g| + 1e-8): relative deviation from −lr·sign(g) ≤ 1e-7.
        expect(Math.abs(step + lr * Math.sign(g[name]![i]!)), name).toBeLessThan(1e-7 * lr);
      });
    }
  });

  it('with a constant gradient every step is lr_k·sign(g), lr_k = lr·γ^⌊k/stepEvery⌋ (StepLR)', () => {
    const p = { s: Float64Array.from([0.5, -1]), u: Float64Array.from([0, 0, 0, 0]) };
    const g = { s: Float64Array.from([0.3, -2]), u: Float64Array.from([1, -1, 0.5, 2]) };
    const state = initPolicyOptimizer(p);
    for (let k = 0; k < 8; k++) {
      const prev = { s: Float64Array.from(p.s), u: Float64Array.from(p.u) };
      policyOptimizerStep(ADAMW, state, p, g);
      const decay = 0.5 ** Math.floor(k / 3);
      expect(policyLearningRate(ADAMW, k, 's')).toBe(1e-3 * decay);
      expect(policyLearningRate(ADAMW, k, 'u')).toBe(2e-4 * decay);
      for (const name of ['s', 'u'] as const) {
        const lr = (name === 'u' ? 2e-4 : 1e-3) * decay;
        p[name].forEach((v, i) => {
          expect(
            Math.abs(v - prev[name][i]! + lr * Math.sign(g[name][i]!)),
            `${name} step ${k}`,
          ).toBeLessThan(1e-6 * lr);
        });
      }
    }
    expect(state.step).toBe(8);
  });

  it('applies decoupled weight decay p ← p(1 − lr·wd) (alone when the gradient is 0)', () => {
    const config: PolicyOptimizerConfig = { ...ADAMW, weightDecay: 0.1 };
    const p = { s: Float64Array.from([2, -3]) };
    const state = initPolicyOptimizer(p);
    policyOptimizerStep(config, state, p, { s: new Float64Array(2) });
    expect(Array.from(p.s)).toEqual([2 * (1 - 1e-4), -3 * (1 - 1e-4)]);
  });

  it('keeps float64 moments m = (1 − β₁)g, v = (1 − β₂)g² after one step', () => {
    const p = { s: Float64Array.from([1, 1]) };
    const state = initPolicyOptimizer(p);
    policyOptimizerStep(ADAMW, state, p, { s: Float64Array.from([0.5, -4]) });
    expect(state.m.s![0]).toBeCloseTo(0.05, 15);
    expect(state.m.s![1]).toBeCloseTo(-0.4, 15);
    expect(state.v.s![0]).toBeCloseTo(0.001 * 0.25, 15);
    expect(state.v.s![1]).toBeCloseTo(0.001 * 16, 15);
  });
});

describe('Robbins–Monro forward optimiser', () => {
  it('η_k = lr/(k + k0)^α exactly, for every parameter name, and p ← p − η_k g', () => {
    const p = params(3);
    const g = grads(p, 4);
    const state = initPolicyOptimizer(p);
    for (let k = 0; k < 5; k++) {
      const eta = 0.5 / (k + 10) ** 0.75;
      expect(policyLearningRate(RM, k, 'u')).toBe(eta);
      expect(policyLearningRate(RM, k, 's')).toBe(eta);
      const expected = Object.fromEntries(
        Object.entries(p).map(([name, v]) => [name, v.map((x, i) => x - eta * g[name]![i]!)]),
      );
      policyOptimizerStep(RM, state, p, g);
      for (const name of Object.keys(p)) expect(p[name]).toEqual(expected[name]);
    }
    expect(policyLearningRate(RM, 100, 'x')).toBeCloseTo(0.5 / 110 ** 0.75, 15);
  });

  it('minimises a convex quadratic from noisy gradients', () => {
    // L(p) = ½(p − p*)ᵀH(p − p*), H = diag(1, 4, 0.5), gradient noise N(0, 0.3²) per entry.
    const target = [1, -2, 0.5];
    const h = [1, 4, 0.5];
    const p = { a: Float64Array.from([5, 5, -5]) };
    const state = initPolicyOptimizer(p);
    const rng = new Rng(5);
    const config: PolicyOptimizerConfig = { kind: 'robbins-monro', lr: 0.4, k0: 10, alpha: 0.75 };
    for (let k = 0; k < 3000; k++) {
      const noise = rng.normal(3);
      const g = Float64Array.from(p.a, (x, i) => h[i]! * (x - target[i]!) + 0.3 * noise[i]!);
      policyOptimizerStep(config, state, p, { a: g });
    }
    // Stationary spread ≈ √(η σ²/(2h)) ≈ 0.01 at η_3000 ≈ 1.7e-3; the deterministic bias is far below.
    p.a.forEach((x, i) => {
      expect(Math.abs(x - target[i]!)).toBeLessThan(0.06);
    });
  });
});

describe('checkPolicyOptimizer', () => {
  it('accepts the defaults', () => {
    expect(() => checkPolicyOptimizer(ADAMW)).not.toThrow();
    expect(() => checkPolicyOptimizer(RM)).not.toThrow();
    expect(() => checkPolicyOptimizer({ ...RM, alpha: 1 })).not.toThrow();
  });

  it('names the bad field and its range', () => {
    expect(() => checkPolicyOptimizer({ ...ADAMW, lr: 0 })).toThrow(
      'forward optimiser: lr must be a finite number > 0, got 0',
    );
    expect(() => checkPolicyOptimizer({ ...ADAMW, lrOrthogonal: Number.NaN })).toThrow(
      /lrOrthogonal must be/,
    );
    expect(() => checkPolicyOptimizer({ ...ADAMW, stepEvery: 0 })).toThrow(
      /stepEvery must be a finite number > 0/,
    );
    expect(() => checkPolicyOptimizer({ ...ADAMW, gamma: -1 })).toThrow(
      /gamma must be a finite number > 0, got -1/,
    );
    expect(() => checkPolicyOptimizer({ ...ADAMW, weightDecay: -0.1 })).toThrow(
      'forward optimiser: weightDecay must be ≥ 0, got -0.1',
    );
    expect(() => checkPolicyOptimizer({ ...RM, lr: Number.POSITIVE_INFINITY })).toThrow(
      /lr must be a finite/,
    );
    expect(() => checkPolicyOptimizer({ ...RM, k0: 0.5 })).toThrow('k0 must be a finite number ≥ 1, got 0.5');
    expect(() => checkPolicyOptimizer({ ...RM, alpha: 0.5 })).toThrow(
      'alpha must be in (0.5, 1] (Robbins–Monro: Σ η = ∞, Σ η² < ∞), got 0.5',
    );
    expect(() => checkPolicyOptimizer({ ...RM, alpha: 1.2 })).toThrow(
      /alpha must be in \(0.5, 1\] .*got 1.2/,
    );
    expect(() => checkPolicyOptimizer({ kind: 'sgd' } as unknown as PolicyOptimizerConfig)).toThrow(
      `forward optimiser: kind must be 'adamw' or 'robbins-monro', got "sgd"`,
    );
  });
});
