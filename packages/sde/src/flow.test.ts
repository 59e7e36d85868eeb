import { initBackend, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { eamLinearBaseSde } from './eam-linear-base-sde.js';
import { gaussianFlowVelocity } from './gaussian-flow-velocity.js';
import { linearBridge } from './linear-bridge.js';
import { marginal } from './marginal.js';
import { memorylessFlowSde } from './memoryless-flow-sde.js';
import type { State } from './sde.js';
import { logSimpson } from './test-support.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** Evaluates a 1-D affine field x ↦ αx + γ at two points and returns (α, γ). */
function affineCoefficients(field: (x: State) => State): { slope: number; offset: number } {
  const x = tf.tensor2d([[0], [1]]) as State;
  const y = field(x);
  const [at0, at1] = Array.from(y.dataSync());
  tf.dispose([x, y]);
  return { slope: at1! - at0!, offset: at0! };
}

describe('gaussianFlowVelocity', () => {
  it('is the T13 closed form per coordinate, with v(x, 0) = m − x', () => {
    const v = gaussianFlowVelocity({ mean: [0.7, -1], std: 0.5 });
    const x = tf.tensor2d([
      [0.3, 2],
      [-1, 0],
    ]) as State;
    for (const t of [0, 0.3, 0.5, 1]) {
      const got = v(x, t).dataSync();
      const gain = (t * 0.25 - (1 - t)) / (t * t * 0.25 + (1 - t) ** 2);
      const xs = [0.3, 2, -1, 0];
      const ms = [0.7, -1, 0.7, -1];
      for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(ms[i]! + gain * (xs[i]! - t * ms[i]!), 5);
    }
    x.dispose();
    expect(() => gaussianFlowVelocity({ mean: 0, std: 0 })).toThrow(/std must be a finite number > 0, got 0/);
  });

  it('transports N(0, 1) to N(m, s²) along N(tm, t²s² + (1−t)²): the moment ODEs hold exactly', () => {
    const [m, s] = [0.7, 0.5];
    const v = gaussianFlowVelocity({ mean: m, std: s });
    for (const t of [0.05, 0.4, 0.9]) {
      const { slope, offset } = affineCoefficients((x) => v(x, t));
      const variance = t * t * s * s + (1 - t) ** 2;
      expect(slope * t * m + offset).toBeCloseTo(m, 5); // d(tm)/dt = v(tm)
      expect(2 * slope * variance).toBeCloseTo(2 * t * s * s - 2 * (1 - t), 5); // dVar/dt = 2·slope·Var
    }
  });
});

describe('memorylessFlowSde', () => {
  const [m, s] = [0.7, 0.5];
  const v = gaussianFlowVelocity({ mean: m, std: s });

  it('has drift 2v − x/t, σ² = 2(1−t)/t, and the flow marginals N(tm, t²s² + (1−t)²) (moment ODEs)', () => {
    const sde = memorylessFlowSde(v);
    for (const t of [0.05, 0.4, 0.9]) {
      const { slope, offset } = affineCoefficients((x) => sde.drift(x, t));
      const vel = affineCoefficients((x) => v(x, t));
      expect(slope).toBeCloseTo(2 * vel.slope - 1 / t, 4);
      expect(offset).toBeCloseTo(2 * vel.offset, 5);
      const sigma2 = sde.diffusion(t) ** 2;
      expect(sigma2).toBeCloseTo((2 * (1 - t)) / t, 12);
      const variance = t * t * s * s + (1 - t) ** 2;
      expect(slope * t * m + offset).toBeCloseTo(m, 4);
      expect(2 * slope * variance + sigma2).toBeCloseTo(2 * t * s * s - 2 * (1 - t), 4);
    }
  });

  it('§9 T10: Φ(1, ε) = s²ε/(ε²s² + (1−ε)²) = O(ε) — X₀ ⟂ X₁ (quadrature of the drift slope; s = 1: Φ(1, 1e−6) ≈ 1e−6)', () => {
    const sde = memorylessFlowSde(v);
    const eps = 0.01;
    const logPhi = logSimpson((u) => affineCoefficients((x) => sde.drift(x, u)).slope, eps, 1);
    expect(Math.exp(logPhi)).toBeCloseTo((s * s * eps) / (eps * eps * s * s + (1 - eps) ** 2), 5);
    const phi = eamLinearBaseSde().transition(1e-6, 1).phi.get(0, 0);
    expect(Math.abs(phi - 1e-6)).toBeLessThan(1e-11);
  });

  it('with h > 0 uses 2v − x/(t+h) and σ² = 2(1−t+h)/(t+h), finite at t = 0; with h = 0 it refuses t = 0', () => {
    const h = 0.01;
    const sde = memorylessFlowSde(v, { h });
    const { slope, offset } = affineCoefficients((x) => sde.drift(x, 0));
    const vel = affineCoefficients((x) => v(x, 0));
    expect(slope).toBeCloseTo(2 * vel.slope - 1 / h, 3);
    expect(offset).toBeCloseTo(2 * vel.offset, 5);
    expect(sde.diffusion(0)).toBeCloseTo(Math.sqrt((2 * (1 + h)) / h), 12);
    expect(sde.name).toBe('memoryless-flow(h=0.01)');
    const exact = memorylessFlowSde(v);
    const x = tf.zeros([1, 1]) as State;
    expect(() => exact.drift(x, 0)).toThrow(/t must be in \(0, 1\] when h = 0 .*pass h > 0/);
    expect(() => exact.diffusion(0, x)).toThrow(RangeError);
    expect(() => memorylessFlowSde(v, { h: -1 })).toThrow(/h must be a finite number ≥ 0, got -1/);
    x.dispose();
  });
});

describe('eamLinearBaseSde', () => {
  const sde = eamLinearBaseSde();

  it('§9 T11: Φ(1,0.2) = 0.2941176, Φ(1,0.5) = 1, Φ(1,0.9) = 1.0975610', () => {
    expect(Math.abs(sde.transition(0.2, 1).phi.get(0, 0) - 0.2941176)).toBeLessThan(1e-7);
    expect(Math.abs(sde.transition(0.5, 1).phi.get(0, 0) - 1)).toBeLessThan(1e-14);
    expect(Math.abs(sde.transition(0.9, 1).phi.get(0, 0) - 1.097561)).toBeLessThan(1e-7);
  });

  it('§9 T11: X_t | X₁ ~ N(tX₁, (1−t)²) by Gaussian conditioning with X₀ ~ N(0, 1)', () => {
    const bridge = linearBridge(sde);
    expect(marginal(sde, 1).cov.get(0, 0)).toBeCloseTo(1, 14); // p^lin_1 = N(0, 1)
    for (const t of [0.1, 0.37, 0.8]) {
      const varT = marginal(sde, t).cov.get(0, 0);
      expect(varT).toBeCloseTo(t * t + (1 - t) ** 2, 14);
      const phi = sde.transition(t, 1).phi.get(0, 0);
      const varOne = marginal(sde, 1).cov.get(0, 0);
      // Cov(X₁, X_t) = Φ(1,t)Var(X_t): regression coefficient and residual variance of X_t on X₁.
      expect((phi * varT) / varOne).toBeCloseTo(t, 13);
      expect(varT - (phi * varT) ** 2 / varOne).toBeCloseTo((1 - t) ** 2, 13);
      // The same from linearBridge (x₀ = 0 is the given part of X₀ ~ N(0, 1)).
      const m = bridge.marginal(t);
      expect(m.coefX1.get(0, 0)).toBeCloseTo(t, 12);
      expect(m.cov.get(0, 0)).toBeCloseTo((1 - t) ** 2, 12);
    }
  });

  it('is the memoryless SDE of the N(0, 1) flow: κx = 2v_lin − x/t, same σ², and Φ(t,0) = 0 for t > 0', () => {
    const flow = memorylessFlowSde(gaussianFlowVelocity({ mean: 0, std: 1 }));
    for (const t of [0.1, 0.5, 0.95]) {
      const a = affineCoefficients((x) => sde.drift(x, t));
      const b = affineCoefficients((x) => flow.drift(x, t));
      expect(a.slope).toBeCloseTo(b.slope, 4);
      expect(a.slope).toBeCloseTo(sde.driftMatrix(t).get(0, 0), 5);
      expect(sde.diffusionCov(t).get(0, 0)).toBeCloseTo((2 * (1 - t)) / t, 13);
      expect(sde.transition(0, t).phi.get(0, 0)).toBe(0);
      const v = affineCoefficients((x) => sde.velocity(x, t));
      expect(v.slope).toBeCloseTo((2 * t - 1) / (t * t + (1 - t) ** 2), 6);
    }
  });
});
