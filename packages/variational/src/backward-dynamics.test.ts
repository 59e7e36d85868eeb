import { cholesky, initBackend, inv, Matrix, Rng, tf } from '@bridgekit/core';
import { eulerMaruyama, eulerOde, heunOde, uniformGrid } from '@bridgekit/samplers';
import { constantSchedule, powerSchedule } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackwardPolicy, backwardSde, probabilityFlowOde } from './backward-dynamics.js';
import type { VariationalFamily } from './family.js';
import { type ForwardPolicy, forwardPolicyConfig } from './forward-policy.js';
import { gridKernels } from './grid-kernels.js';
import { columnMoments } from './test-support.test-helper.js';
import { vsdmFamily } from './vsdm-family.js';
import { type MomentumPolicy, momentumPolicyConfig, vsmdFamily } from './vsmd-family.js';

// Data N(m, s²I): every forward marginal is Gaussian, N(μ_t, C_t) with μ_t = M_t·lift(m) and
// C_t = M_t diag(s²I, 0) M_tᵀ + Σ_t, so the exact backward policy is ẑ = √β Γ (∇log ρ_t − Ã_t z) on the
// noisy coordinates (∇log φ̂ = ∇log ρ − ∇log ψ). With it, the backward SDE and the probability-flow ODE
// started from the exact time-1 marginal must return the data law (up to the Euler error) for ANY
// learned policy: this checks the sign and scale conventions of Ã, Γ and ẑ in both (§2.3, §9 T16).
const MEAN = [1.5, -2];
const STD = 0.5;
const N = 4000;

beforeAll(async () => {
  await initBackend('wasm');
});

function exactMarginal<P>(family: VariationalFamily<P>, policy: P) {
  const D = family.stateDim;
  const sde = family.forwardSde(policy);
  const lifted = new Float64Array(D);
  family.lift(Float32Array.from(MEAN), lifted);
  const data = Matrix.zeros(D);
  for (let i = 0; i < family.dataDim; i++) data.data[i * D + i] = STD * STD;
  const cache = new Map<number, { mu: Float64Array; cov: Matrix; precision: Matrix; a: Matrix }>();
  return (t: number) => {
    let c = cache.get(t);
    if (c === undefined) {
      const k = gridKernels(sde, [t]);
      const m = k.mean[0]!;
      const cov = m.mul(data).mul(m.transpose()).add(k.cov[0]!).symmetrize();
      const mu = Float64Array.from({ length: D }, (_, i) => {
        let v = 0;
        for (let j = 0; j < D; j++) v += m.get(i, j) * lifted[j]!;
        return v;
      });
      c = { mu, cov, precision: inv(cov), a: family.matrixAt(policy, t) };
      cache.set(t, c);
    }
    return c;
  };
}

function exactPolicy<P>(family: VariationalFamily<P>, policy: P): BackwardPolicy {
  const marginal = exactMarginal(family, policy);
  const D = family.stateDim;
  const n = family.noisy.length;
  return (z, t) => {
    const { mu, precision, a } = marginal(t);
    const host = z.dataSync();
    const rows = z.shape[0];
    const sb = Math.sqrt(family.schedule.beta(t));
    const out = new Float32Array(rows * n);
    for (let p = 0; p < rows; p++) {
      family.noisy.forEach((r, j) => {
        let s = 0;
        for (let c = 0; c < D; c++) {
          const x = host[p * D + c]!;
          s -= precision.get(r, c) * (x - mu[c]!) + a.get(r, c) * x;
        }
        out[p * n + j] = sb * family.noiseScale[r]! * s;
      });
    }
    return tf.tensor2d(out, [rows, n]);
  };
}

function sample<P>(family: VariationalFamily<P>, policy: P, solver: 'sde' | 'ode' | 'heun', nfe: number) {
  const D = family.stateDim;
  const d = family.dataDim;
  const { mu, cov } = exactMarginal(family, policy)(1);
  const chol = cholesky(cov);
  const eps = new Rng(11).normal(N * D);
  const start = new Float32Array(N * D);
  for (let p = 0; p < N; p++) {
    for (let r = 0; r < D; r++) {
      let v = mu[r]!;
      for (let c = 0; c <= r; c++) v += chol.get(r, c) * eps[p * D + c]!;
      start[p * D + r] = v;
    }
  }
  const x0 = tf.tensor2d(start, [N, D]);
  const zhat = exactPolicy(family, policy);
  const grid = uniformGrid(1, 1e-3, nfe);
  const result =
    solver === 'sde'
      ? eulerMaruyama(backwardSde(family, zhat), x0, grid, { rng: new Rng(12) })
      : (solver === 'heun' ? heunOde : eulerOde)(probabilityFlowOde(family, policy, zhat), x0, grid);
  const flat = result.x.dataSync();
  tf.dispose([x0, result.x]);
  const out = new Float32Array(N * d);
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) out[i * d + j] = flat[i * D + j]!;
  return columnMoments(out, d);
}

// n = 4000: SE of a mean ≈ 0.008, of a std ≈ 0.006; the tolerance 0.05 covers the Euler bias.
function expectDataLaw(m: { mean: number[]; std: number[] }): void {
  for (const k of [0, 1]) {
    expect(Math.abs(m.mean[k]! - MEAN[k]!)).toBeLessThan(0.05);
    expect(Math.abs(m.std[k]! - STD)).toBeLessThan(0.05);
  }
}

describe('backward dynamics with the exact Gaussian policy return the data law', () => {
  const vsdmPolicy: ForwardPolicy = {
    config: forwardPolicyConfig({ dim: 2 }),
    params: {
      u: Float64Array.from([0, 0, 0.6, 0]),
      s: Float64Array.from([0.45, -0.3]),
      v: Float64Array.from([0, 0, -0.4, 0]),
    },
  };
  const vsdm = vsdmFamily(powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 }), 2);

  it.each(['sde', 'ode'] as const)('VSDM with a learned full A: %s', (solver) => {
    expect(vsdm.matrixAt(vsdmPolicy, 0.5).maxAbs()).toBeGreaterThan(0.2);
    expectDataLaw(sample(vsdm, vsdmPolicy, solver, 100));
  });

  it('VSMD with a learned K (reverse SDE)', () => {
    const config = momentumPolicyConfig({ dim: 2, dampingRatio: 1 });
    const policy: MomentumPolicy = {
      config,
      params: { u: Float64Array.from([0, 0.3, -0.2, 0]), kappa: Float64Array.from([0.4, -0.3]) },
    };
    const vsmd = vsmdFamily(constantSchedule(5), config);
    expect(vsmd.matrixAt(policy, 0.5).maxAbs()).toBeGreaterThan(0.1);
    expectDataLaw(sample(vsmd, policy, 'sde', 200));
  });

  it('VSMD probability flow: Heun (as the model samples it) keeps the law; Euler at the same NFE inflates it', () => {
    const config = momentumPolicyConfig({ dim: 2, dampingRatio: 1 });
    const policy: MomentumPolicy = {
      config,
      params: { u: Float64Array.from([0, 0.3, -0.2, 0]), kappa: Float64Array.from([0.4, -0.3]) },
    };
    const vsmd = vsmdFamily(constantSchedule(5), config);
    // NFE 100 either way: 50 Heun steps against 100 Euler steps. Euler's rotation error grows the
    // std well beyond 0.5 (each step multiplies the oscillation by √(1 + (ωh)²)).
    expectDataLaw(sample(vsmd, policy, 'heun', 50));
    const euler = sample(vsmd, policy, 'ode', 100);
    expect(Math.max(...euler.std.map((v) => Math.abs(v - STD)))).toBeGreaterThan(0.1);
  });
});
