import { eigSym, Matrix, Rng } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { cldSde, constantSchedule, powerSchedule } from '@bridgekit/sde';
import { describe, expect, it } from 'vitest';
import { linearPolicyObjective } from './forward-objective.js';
import { gridKernels } from './grid-kernels.js';
import {
  flattenParams,
  kronEye,
  maxDiff,
  randomParams,
  randomStats,
  unflattenParams,
} from './test-support.test-helper.js';
import { trainingGrid } from './variational-session.js';
import {
  baseDamping,
  initMomentumPolicy,
  type MomentumPolicy,
  type MomentumPolicyConfig,
  momentumPolicyConfig,
  stiffnessAndDamping,
  vsmdFamily,
} from './vsmd-family.js';

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const GRID = trainingGrid(10, 1e-3);

function randomPolicy(config: MomentumPolicyConfig, seed: number): MomentumPolicy {
  const init = initMomentumPolicy(config);
  return { config, params: randomParams(new Rng(seed), init.params, { u: 0.6, kappa: 0.5 }) };
}

describe('momentumPolicyConfig', () => {
  it('fills in the CLD defaults', () => {
    expect(momentumPolicyConfig({ dim: 2 })).toEqual({ dim: 2, mass: 0.25, dampingRatio: 1, gamma0: 0.04 });
  });

  it('rejects bad fields, naming them', () => {
    expect(() => momentumPolicyConfig({ dim: 0 })).toThrow(
      'momentum policy: dim must be a positive integer, got 0',
    );
    expect(() => momentumPolicyConfig({ dim: 2, mass: 0 })).toThrow(
      'mass must be a finite number > 0, got 0',
    );
    expect(() => momentumPolicyConfig({ dim: 2, mass: Number.NaN })).toThrow(/mass must be/);
    expect(() => momentumPolicyConfig({ dim: 2, dampingRatio: -1 })).toThrow(
      /dampingRatio must be a finite number > 0 .*got -1/,
    );
    expect(() => momentumPolicyConfig({ dim: 2, gamma0: -0.1 })).toThrow(
      'gamma0 must be a finite number ≥ 0, got -0.1',
    );
  });
});

describe('VSMD at K = I is exactly CLD', () => {
  it.each([
    [0.25, 1, 0.04],
    [0.4, 0.7, 0.1],
  ])(
    'M = %s, ζ_d = %s, γ₀ = %s: drift, diffusion, initial covariance and grid kernels (1e-10)',
    (mass, ratio, gamma0) => {
      const d = 2;
      const config = momentumPolicyConfig({ dim: d, mass, dampingRatio: ratio, gamma0 });
      const family = vsmdFamily(schedule, config);
      const policy = initMomentumPolicy(config);
      const sde = family.forwardSde(policy);
      const cld = cldSde({ schedule, mass, dampingRatio: ratio, gamma0 });
      expect(sde.kernelMethod).toBe('time-change');
      for (const t of [0.01, 0.5, 1]) {
        expect(maxDiff(sde.driftMatrix(t), kronEye(cld.driftMatrix(t), d))).toBeLessThan(1e-10);
        expect(maxDiff(sde.diffusionCov(t), kronEye(cld.diffusionCov(t), d))).toBeLessThan(1e-10);
      }
      expect(maxDiff(sde.initialCov(), kronEye(cld.initialCov(), d))).toBeLessThan(1e-15);
      expect(maxDiff(family.baseDrift, kronEye(cld.timeChange!.f0, d))).toBeLessThan(1e-15);
      expect(family.matrixAt(policy, 0.5).maxAbs()).toBeLessThan(1e-15);
      const ours = gridKernels(sde, GRID);
      const ref = gridKernels(cld, GRID);
      GRID.forEach((_, k) => {
        expect(maxDiff(ours.mean[k]!, kronEye(ref.mean[k]!, d))).toBeLessThan(1e-10);
        expect(maxDiff(ours.cov[k]!, kronEye(ref.cov[k]!, d))).toBeLessThan(1e-10);
      });
    },
  );

  it('T5: β ≡ 4, M = 0.25, from z₀ = 0 (γ₀ = 0): Σ(1) = [[0.999984, 7.2e−6], [7.2e−6, 0.249997]] per pair', () => {
    const d = 2;
    const config = momentumPolicyConfig({ dim: d, gamma0: 0 });
    const family = vsmdFamily(constantSchedule(4), config);
    const cov = gridKernels(family.forwardSde(initMomentumPolicy(config)), [0.5, 1]).cov[1]!;
    for (let i = 0; i < d; i++) {
      expect(Math.abs(cov.get(i, i) - 0.999984)).toBeLessThan(1e-6);
      expect(Math.abs(cov.get(i, d + i) - 7.2e-6)).toBeLessThan(1e-7);
      expect(Math.abs(cov.get(d + i, d + i) - 0.249997)).toBeLessThan(1e-6);
      // Coordinates do not mix while K = I.
      expect(Math.abs(cov.get(i, 1 - i))).toBeLessThan(1e-15);
    }
  });
});

describe('the critical-damping transform', () => {
  it.each([1, 0.7])(
    'ζ_d = %s: K = U diag(e^κ) Uᵀ SPD, C = 2ζ_d (K/M)^{1/2} (C² = 4ζ_d² K/M, CK = KC)',
    (ratio) => {
      const config = momentumPolicyConfig({ dim: 3, mass: 0.4, dampingRatio: ratio });
      const policy = randomPolicy(config, 1);
      const { stiffness: k, damping: c, u } = stiffnessAndDamping(policy);
      expect(u.transpose().mul(u).sub(Matrix.eye(3)).maxAbs()).toBeLessThan(1e-13);
      expect(maxDiff(k, k.transpose())).toBeLessThan(1e-14);
      expect(maxDiff(c, c.transpose())).toBeLessThan(1e-14);
      const eig = eigSym(k).values;
      const expected = Array.from(policy.params.kappa!, Math.exp).sort((a, b) => a - b);
      eig.forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i]!, 12);
      });
      expect(maxDiff(c.mul(c), k.scale((4 * ratio * ratio) / 0.4))).toBeLessThan(1e-12);
      expect(maxDiff(c.mul(k), k.mul(c))).toBeLessThan(1e-12);
      // K ≠ I: the transform is not the trivial one.
      expect(maxDiff(k, Matrix.eye(3))).toBeGreaterThan(0.1);
    },
  );

  it('F = F_base + Γ²Ã (matrixAt); Ã has velocity rows only and no time dependence', () => {
    const d = 3;
    const config = momentumPolicyConfig({ dim: d, mass: 0.3, dampingRatio: 0.8 });
    const family = vsmdFamily(schedule, config);
    const policy = randomPolicy(config, 2);
    const gamma2 = Matrix.diag(Array.from(family.noiseScale, (g) => g * g));
    expect(Array.from(family.noiseScale)).toEqual([
      0,
      0,
      0,
      ...Array(3).fill(Math.sqrt(2 * baseDamping(config))),
    ]);
    expect(baseDamping(config)).toBeCloseTo(2 * 0.8 * Math.sqrt(0.3), 15);
    const sde = family.forwardSde(policy);
    const a = family.matrixAt(policy, 0.3);
    expect(maxDiff(family.matrixAt(policy, 0.9), a)).toBe(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < 2 * d; j++) expect(a.get(i, j)).toBe(0);
    expect(a.block(d, 0, d, 2 * d).maxAbs()).toBeGreaterThan(0.05);
    const { stiffness, damping } = stiffnessAndDamping(policy);
    const f = family.baseDrift.add(gamma2.mul(a));
    expect(maxDiff(f.block(0, 0, d, d), Matrix.zeros(d))).toBe(0);
    expect(maxDiff(f.block(0, d, d, d), Matrix.scalar(d, 1 / 0.3))).toBeLessThan(1e-15);
    expect(maxDiff(f.block(d, 0, d, d), stiffness.scale(-1))).toBeLessThan(1e-12);
    expect(maxDiff(f.block(d, d, d, d), damping.scale(-1))).toBeLessThan(1e-12);
    for (const t of [0.1, 0.7]) {
      expect(maxDiff(sde.driftMatrix(t), f.scale(schedule.beta(t)))).toBeLessThan(1e-11);
      expect(maxDiff(sde.diffusionCov(t), gamma2.scale(schedule.beta(t)))).toBeLessThan(1e-14);
    }
  });

  it('lifts x to (x, 0) and marks only the velocities noisy', () => {
    const family = vsmdFamily(schedule, momentumPolicyConfig({ dim: 2 }));
    expect(family.name).toBe('vsmd');
    expect(family.stateDim).toBe(4);
    expect(family.dataDim).toBe(2);
    expect([...family.noisy]).toEqual([2, 3]);
    const out = Float64Array.from([9, 9, 9, 9]);
    family.lift(Float32Array.from([1.5, -2]), out);
    expect(Array.from(out)).toEqual([1.5, -2, 0, 0]);
  });
});

describe('vsmdFamily.gradient vs finite differences of the forward objective', () => {
  it.each([
    [2, 1],
    [2, 0.7],
    [3, 1],
  ])('d = %s, ζ_d = %s', (d, ratio) => {
    const config = momentumPolicyConfig({ dim: d, mass: 0.25, dampingRatio: ratio });
    const family = vsmdFamily(schedule, config);
    const policy = randomPolicy(config, 3 + d);
    const times = Array.from(trainingGrid(6, 1e-3));
    const stats = randomStats(new Rng(4), 2 * d, times);
    const objective = (p: MomentumPolicy) =>
      linearPolicyObjective({
        matrices: times.map((t) => family.matrixAt(p, t)),
        stats,
        schedule,
        zeta: 0.75,
        noiseScale: family.noiseScale,
      });
    const analytic = flattenParams(family.gradient(policy, times, objective(policy).grads));
    const loss = (flat: Float64Array) =>
      objective(family.withParams(policy, unflattenParams(flat, policy.params))).loss;
    const numeric = fdGradient(loss, flattenParams(family.params(policy)), 1e-6);
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-7);
    expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(0.1);
  });
});
