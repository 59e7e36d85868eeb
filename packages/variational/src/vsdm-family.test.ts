import { eigSym, initBackend, Matrix, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import {
  powerSchedule,
  probabilityFlow,
  reverseTimeSde,
  type State,
  variationalLinearSde,
  vpSde,
} from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { backwardSde, probabilityFlowOde } from './backward-dynamics.js';
import { linearPolicyObjective } from './forward-objective.js';
import {
  type ForwardPolicy,
  type ForwardPolicyConfig,
  forwardPolicyConfig,
  initForwardPolicy,
  policyMatrix,
  timeFactor,
} from './forward-policy.js';
import { gridKernels } from './grid-kernels.js';
import {
  expectMatrix,
  flattenParams,
  maxDiff,
  randomParams,
  randomStats,
  unflattenParams,
} from './test-support.test-helper.js';
import { trainingGrid } from './variational-session.js';
import { vsdmFamily } from './vsdm-family.js';

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const T3_A = Matrix.from([
  [0.3, 0.2],
  [-0.1, 0.1],
]);
const GRID = trainingGrid(10, 1e-3);

beforeAll(async () => {
  await initBackend('cpu');
});

function randomPolicy(config: ForwardPolicyConfig, seed: number): ForwardPolicy {
  const rng = new Rng(seed);
  const init = initForwardPolicy(config, rng.fork('init'));
  return {
    config,
    params: randomParams(rng.fork('params'), init.params, {
      u: 0.5,
      v: 0.5,
      s: 0.4,
      a: 0.4,
      'time.w1': 0.5,
      'time.b1': 0.5,
      'time.w2': 0.2,
    }),
  };
}

/**
 * 'full' parameters with U·diag(s)·Vᵀ = a for a 2×2 a with det a > 0 (by the eigen-decomposition of
 * aᵀa; a 2×2 rotation by θ is expm(W − Wᵀ) with W = [[0, 0], [θ, 0]]).
 */
function fullParamsOf(a: Matrix): { u: Float64Array; s: Float64Array; v: Float64Array } {
  const { values, vectors } = eigSym(a.transpose().mul(a));
  let v = vectors;
  if (v.get(0, 0) * v.get(1, 1) - v.get(0, 1) * v.get(1, 0) < 0) v = v.mul(Matrix.diag([1, -1]));
  const s = values.map(Math.sqrt);
  const u = a.mul(v).mul(Matrix.diag(s.map((x) => 1 / x)));
  const angle = (q: Matrix) => Math.atan2(q.get(1, 0), q.get(0, 0));
  return {
    u: Float64Array.from([0, 0, angle(u), 0]),
    s: Float64Array.from(s),
    v: Float64Array.from([0, 0, angle(v), 0]),
  };
}

describe('T2: the initial VSDM policy (A = 0) is the VP-SDE', () => {
  it.each([
    ['full', false],
    ['diagonal', false],
  ] as const)(
    '%s static: M_k = e^{−B/2}I, Σ_k = (1 − e^{−B})I on the grid (1e-10)',
    (structure, timeVarying) => {
      const family = vsdmFamily(schedule, 3);
      const policy = initForwardPolicy(forwardPolicyConfig({ dim: 3, structure, timeVarying }), new Rng(0));
      const kernels = gridKernels(family.forwardSde(policy), GRID);
      GRID.forEach((t, k) => {
        const b = schedule.integral(t);
        expect(maxDiff(kernels.mean[k]!, Matrix.scalar(3, Math.exp(-b / 2)))).toBeLessThan(1e-10);
        expect(maxDiff(kernels.cov[k]!, Matrix.scalar(3, -Math.expm1(-b)))).toBeLessThan(1e-10);
      });
    },
  );

  it('time-varying (Van Loan path): the same kernels up to the midpoint-rule error of ∫β (≈ 4e-6)', () => {
    const family = vsdmFamily(schedule, 2);
    const policy = initForwardPolicy(forwardPolicyConfig({ dim: 2, timeVarying: true }), new Rng(0));
    const sde = family.forwardSde(policy);
    expect(sde.kernelMethod).toBe('van-loan');
    const kernels = gridKernels(sde, GRID);
    GRID.forEach((t, k) => {
      const b = schedule.integral(t);
      expect(maxDiff(kernels.mean[k]!, Matrix.scalar(2, Math.exp(-b / 2)))).toBeLessThan(1e-5);
      expect(maxDiff(kernels.cov[k]!, Matrix.scalar(2, -Math.expm1(-b)))).toBeLessThan(1e-5);
    });
  });

  it('the DSM target √β(−L^{−T}ε − A x_t) reduces to −√β ε / √(1 − e^{−B})', () => {
    const family = vsdmFamily(schedule, 2);
    const policy = initForwardPolicy(forwardPolicyConfig({ dim: 2 }), new Rng(0));
    const kernels = gridKernels(family.forwardSde(policy), GRID);
    const rng = new Rng(1);
    GRID.forEach((t, k) => {
      const eps = rng.normal(2);
      const x0 = rng.normal(2);
      const beta = schedule.beta(t);
      const a = family.matrixAt(policy, t);
      const m = kernels.mean[k]!;
      const l = kernels.chol[k]!;
      const lit = kernels.cholInvT[k]!;
      const xt = [0, 1].map(
        (i) => m.get(i, 0) * x0[0]! + m.get(i, 1) * x0[1]! + l.get(i, 0) * eps[0]! + l.get(i, 1) * eps[1]!,
      );
      for (let i = 0; i < 2; i++) {
        const target =
          Math.sqrt(beta) *
          (-(lit.get(i, 0) * eps[0]! + lit.get(i, 1) * eps[1]!) -
            (a.get(i, 0) * xt[0]! + a.get(i, 1) * xt[1]!));
        const vp = (-Math.sqrt(beta) * eps[i]!) / Math.sqrt(-Math.expm1(-schedule.integral(t)));
        expect(Math.abs(target - vp)).toBeLessThan(1e-9 * Math.max(1, Math.abs(vp)));
      }
    });
  });

  it('backwardSde is the VP reverse SDE −½βx − √β ẑ and the PF-ODE is −½βx − ½√β ẑ', () => {
    const family = vsdmFamily(schedule, 2);
    const policy = initForwardPolicy(forwardPolicyConfig({ dim: 2, timeVarying: true }), new Rng(0));
    const w = tf.tensor2d([0.7, -0.4, 0.2, 1.1], [2, 2]);
    const zhat = (z: State, t: number) => tf.tidy(() => tf.add(tf.tanh(tf.matMul(z, w)), t) as tf.Tensor2D);
    // With A = 0, ∇log φ̂ = ∇log ρ, so ẑ = √β·score.
    const score = (z: State, t: number) =>
      tf.tidy(() => tf.div(zhat(z, t), Math.sqrt(schedule.beta(t))) as State);
    const vp = vpSde({ schedule });
    const reverse = reverseTimeSde(vp, score);
    const flow = probabilityFlow(vp, score);
    const sde = backwardSde(family, zhat);
    const ode = probabilityFlowOde(family, policy, zhat);
    const z = tf.tensor2d(new Rng(2).normalFloat32(16), [8, 2]);
    for (const t of [0.01, 0.4, 1]) {
      const beta = schedule.beta(t);
      const expectedDrift = tf.tidy(() =>
        tf.sub(tf.mul(z, -0.5 * beta), tf.mul(zhat(z, t), Math.sqrt(beta))),
      );
      const expectedVelocity = tf.tidy(() =>
        tf.sub(tf.mul(z, -0.5 * beta), tf.mul(zhat(z, t), 0.5 * Math.sqrt(beta))),
      );
      const tensors = [sde.drift(z, t), reverse.drift(z, t), ode.velocity(z, t), flow.velocity(z, t)];
      const [drift, refDrift, velocity, refVelocity] = tensors.map((x) => x.dataSync());
      const e1 = expectedDrift.dataSync();
      const e2 = expectedVelocity.dataSync();
      expect(relativeError(drift!, e1)).toBeLessThan(1e-5);
      expect(relativeError(refDrift!, e1)).toBeLessThan(1e-5);
      expect(relativeError(velocity!, e2)).toBeLessThan(1e-5);
      expect(relativeError(refVelocity!, e2)).toBeLessThan(1e-5);
      const g = sde.diffusion(t, z) as tf.Tensor;
      expect(g.shape).toEqual([1, 2]);
      for (const v of g.dataSync()) expect(v).toBeCloseTo(Math.sqrt(beta), 5);
      tf.dispose([...tensors, expectedDrift, expectedVelocity, g]);
    }
    tf.dispose([w, z]);
  });

  it('with A ≠ 0 the PF-ODE is −½βx + ½√β(z_f − ẑ), z_f = √β A_t x', () => {
    const family = vsdmFamily(schedule, 2);
    const policy = randomPolicy(
      forwardPolicyConfig({ dim: 2, timeVarying: true, embedDim: 8, hidden: 4 }),
      3,
    );
    const zhat = (z: State, t: number) => tf.tidy(() => tf.mul(tf.sin(z), 1 + t) as tf.Tensor2D);
    const ode = probabilityFlowOde(family, policy, zhat);
    const z = tf.tensor2d(new Rng(4).normalFloat32(10), [5, 2]);
    const host = z.dataSync();
    for (const t of [0.05, 0.6, 1]) {
      const beta = schedule.beta(t);
      const at = policyMatrix(policy).scale(timeFactor(policy, t));
      expect(at.maxAbs()).toBeGreaterThan(0.05);
      const zh = zhat(z, t);
      const zhHost = zh.dataSync();
      const v = ode.velocity(z, t);
      const vHost = v.dataSync();
      for (let p = 0; p < 5; p++) {
        for (let i = 0; i < 2; i++) {
          const x = host[2 * p + i]!;
          const zf = Math.sqrt(beta) * (at.get(i, 0) * host[2 * p]! + at.get(i, 1) * host[2 * p + 1]!);
          const expected = -0.5 * beta * x + 0.5 * Math.sqrt(beta) * (zf - zhHost[2 * p + i]!);
          expect(Math.abs(vHost[2 * p + i]! - expected)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected)));
        }
      }
      tf.dispose([zh, v]);
    }
    z.dispose();
  });
});

describe('kernels of a learned A', () => {
  it('T3: static A = [[0.3, 0.2], [−0.1, 0.1]] through a full policy gives Σ₁ and M₁ (1e-6)', () => {
    const family = vsdmFamily(schedule, 2);
    const config = forwardPolicyConfig({ dim: 2, structure: 'full' });
    const policy: ForwardPolicy = { config, params: fullParamsOf(T3_A) };
    expect(maxDiff(policyMatrix(policy), T3_A)).toBeLessThan(1e-14);
    const kernels = gridKernels(family.forwardSde(policy), GRID);
    const last = GRID.length - 1;
    expect(GRID[last]).toBe(1);
    const sigma1 = [
      [1.990075, 0.07059],
      [0.07059, 1.173496],
    ];
    const m1 = [
      [0.419206, 0.237638],
      [-0.118819, 0.181568],
    ];
    expectMatrix(kernels.cov[last]!, sigma1, 1e-6);
    expectMatrix(kernels.mean[last]!, m1, 1e-6);
    // The same through variationalLinearSde directly.
    const direct = gridKernels(variationalLinearSde({ schedule, a: T3_A }), GRID);
    expectMatrix(direct.cov[last]!, sigma1, 1e-6);
    expectMatrix(direct.mean[last]!, m1, 1e-6);
  });

  it('diagonal A = diag(a): every coordinate is a scalar OU with closed-form kernels (1e-10)', () => {
    const family = vsdmFamily(schedule, 3);
    const config = forwardPolicyConfig({ dim: 3, structure: 'diagonal' });
    const a = [0.3, -0.8, 0.45];
    const policy: ForwardPolicy = { config, params: { a: Float64Array.from(a) } };
    const kernels = gridKernels(family.forwardSde(policy), GRID);
    GRID.forEach((t, k) => {
      const b = schedule.integral(t);
      // dx = β(a − ½)x dt + √β dW ⇒ mean e^{(a−½)B}, variance (1 − e^{(2a−1)B})/(1 − 2a).
      const mean = Matrix.diag(a.map((ai) => Math.exp((ai - 0.5) * b)));
      const cov = Matrix.diag(a.map((ai) => -Math.expm1((2 * ai - 1) * b) / (1 - 2 * ai)));
      expect(maxDiff(kernels.mean[k]!, mean)).toBeLessThan(1e-10);
      expect(maxDiff(kernels.cov[k]!, cov)).toBeLessThan(1e-10);
    });
  });

  it('T4: A_t = e^{sin 3t}·A composed on the grid gives the ODE Σ₁, not the single-expm value', () => {
    const c = (t: number) => Math.exp(Math.sin(3 * t));
    const sde = variationalLinearSde({ schedule, a: T3_A, timeFactor: c });
    const kernels = gridKernels(sde, GRID);
    const sigma1 = kernels.cov[GRID.length - 1]!;
    expectMatrix(
      sigma1,
      [
        [4.304, -0.269],
        [-0.269, 1.404],
      ],
      1e-3,
    );
    expect(
      maxDiff(
        sigma1,
        Matrix.from([
          [5.599, -0.372],
          [-0.372, 1.546],
        ]),
      ),
    ).toBeGreaterThan(1);
  });

  it('a time-varying policy uses Van Loan with A_t = c(t)A from the policy', () => {
    const family = vsdmFamily(schedule, 2);
    const policy = randomPolicy(
      forwardPolicyConfig({ dim: 2, timeVarying: true, embedDim: 8, hidden: 4 }),
      5,
    );
    const sde = family.forwardSde(policy);
    expect(sde.kernelMethod).toBe('van-loan');
    const a = policyMatrix(policy);
    for (const t of [0.1, 0.5, 0.9]) {
      const c = timeFactor(policy, t);
      expect(Math.abs(c - 1)).toBeGreaterThan(1e-3);
      expect(maxDiff(family.matrixAt(policy, t), a.scale(c))).toBe(0);
      const expected = a.scale(c).sub(Matrix.scalar(2, 0.5)).scale(schedule.beta(t));
      expect(maxDiff(sde.driftMatrix(t), expected)).toBeLessThan(1e-14);
    }
    const reference = variationalLinearSde({ schedule, a, timeFactor: (t) => timeFactor(policy, t) });
    const k1 = gridKernels(sde, GRID);
    const k2 = gridKernels(reference, GRID);
    expect(maxDiff(k1.cov[GRID.length - 1]!, k2.cov[GRID.length - 1]!)).toBe(0);
  });
});

describe('vsdmFamily.gradient vs finite differences of the forward objective', () => {
  it.each([
    ['full', false],
    ['full', true],
    ['diagonal', false],
    ['diagonal', true],
  ] as const)('%s (time-varying %s)', (structure, timeVarying) => {
    const family = vsdmFamily(schedule, 3);
    const config = forwardPolicyConfig({ dim: 3, structure, timeVarying, embedDim: 8, hidden: 4 });
    const policy = randomPolicy(config, 7);
    const times = Array.from(trainingGrid(6, 1e-3));
    const stats = randomStats(new Rng(8), 3, times);
    const objective = (p: ForwardPolicy) =>
      linearPolicyObjective({
        matrices: times.map((t) => family.matrixAt(p, t)),
        stats,
        schedule,
        zeta: 0.75,
        noiseScale: family.noiseScale,
      });
    const { grads } = objective(policy);
    const analytic = flattenParams(family.gradient(policy, times, grads));
    const loss = (flat: Float64Array) =>
      objective(family.withParams(policy, unflattenParams(flat, policy.params))).loss;
    const numeric = fdGradient(loss, flattenParams(family.params(policy)), 1e-6);
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-7);
    expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(0.1);
  });
});

describe('vsdmFamily', () => {
  it('has Γ = I, F_base = −½I, every coordinate noisy, and lifts x to itself', () => {
    const family = vsdmFamily(schedule, 3);
    expect(family.name).toBe('vsdm');
    expect(family.stateDim).toBe(3);
    expect(family.dataDim).toBe(3);
    expect([...family.noisy]).toEqual([0, 1, 2]);
    expect(Array.from(family.noiseScale)).toEqual([1, 1, 1]);
    expect(maxDiff(family.baseDrift, Matrix.scalar(3, -0.5))).toBe(0);
    const out = new Float64Array(3);
    family.lift(Float32Array.from([1.5, -2, 0.25]), out);
    expect(Array.from(out)).toEqual([1.5, -2, 0.25]);
  });
});
