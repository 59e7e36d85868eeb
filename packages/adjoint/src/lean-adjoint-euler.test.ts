import { initBackend, Matrix, Rng, tf } from '@bridgekit/core';
import { fdGradient, logLogSlope, relativeError } from '@bridgekit/core/testing';
import { uniformGrid } from '@bridgekit/samplers';
import {
  brownianSde,
  eamLinearBaseSde,
  gaussianFlowVelocity,
  linearSchedule,
  memorylessFlowSde,
  vpSde,
} from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DriftFn } from './lean-adjoint-euler.js';
import { leanAdjointEuler } from './lean-adjoint-euler.js';
import { adjointPropagator } from './linear-adjoint.js';
import { fNonCommuting, nonCommutingSde, rk4BackwardAdjoint } from './linear-drift.test-helper.js';
import { mlpDrift } from './mlp-drift.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const B = 3;

/** ã(t_0) by leanAdjointEuler on `steps` uniform steps of [t0, 1], downloaded as float64. */
function eulerStart(drift: DriftFn, t0: number, steps: number, a1: Float32Array, dim: number): Float64Array {
  const times = uniformGrid(t0, 1, steps);
  const x = tf.zeros([B, dim]) as tf.Tensor2D; // a linear drift's Jacobian does not depend on the path
  const terminal = tf.tensor2d(a1, [B, dim]);
  const { adjoints } = leanAdjointEuler({ drift, path: { times, states: times.map(() => x) }, terminal });
  const a0 = Float64Array.from(adjoints[0]!.dataSync());
  for (const a of adjoints) a.dispose();
  x.dispose();
  terminal.dispose();
  return a0;
}

/** (P ⊗ I_m) a for every row of a row-major [B, n·m] array. */
function applyBlocks(p: Matrix, a: ArrayLike<number>, dim: number): Float64Array {
  const n = p.rows;
  const m = dim / n;
  const out = new Float64Array(a.length);
  for (let b = 0; b < a.length / dim; b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += p.get(i, k) * a[b * dim + k * m + j]!;
        out[b * dim + i * m + j] = s;
      }
  return out;
}

const STEPS = [40, 80, 160, 320, 640];

/** Observed order of the Euler adjoint at t0 against a float64 reference; also returns the errors. */
function observedOrder(
  drift: DriftFn,
  t0: number,
  dim: number,
  reference: (a1: Float32Array) => Float64Array,
) {
  const a1 = new Rng(7).normalFloat32(B * dim);
  const exact = reference(a1);
  const errors = STEPS.map((k) => relativeError(eulerStart(drift, t0, k, a1, dim), exact));
  return {
    slope: logLogSlope(
      STEPS.map((k) => (1 - t0) / k),
      errors,
    ),
    errors,
  };
}

describe('leanAdjointEuler converges to the closed form Φ(1,t)ᵀã₁ with order 1 (T9)', () => {
  it('VP drift −½β(t)x, β linear 0.1 → 20: ã_0 = e^{−½∫₀¹β}ã_1', () => {
    const sde = vpSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) });
    const scale = Math.exp(-0.5 * 10.05);
    const { slope, errors } = observedOrder(
      (x, t) => sde.drift(x, t),
      0,
      2,
      (a1) => Float64Array.from(a1, (v) => v * scale),
    );
    expect(slope).toBeGreaterThan(0.8);
    expect(slope).toBeLessThan(1.2);
    // Halving Δt halves the error at every refinement, not only on average.
    for (let i = 1; i < errors.length; i++) expect(errors[i - 1]! / errors[i]!).toBeCloseTo(2, 0);
  });

  it('non-commuting time-varying 2×2 F(t) acting on 2 blocks of 2 coordinates', () => {
    const { slope, errors } = observedOrder(
      (x, t) => nonCommutingSde.drift(x, t),
      0,
      4,
      (a1) => applyBlocks(rk4BackwardAdjoint(fNonCommuting, Matrix.eye(2), 0, 1, 2000), a1, 4),
    );
    expect(slope).toBeGreaterThan(0.8);
    expect(slope).toBeLessThan(1.2);
    expect(errors[errors.length - 1]).toBeLessThan(2e-3);
  });

  it("the memoryless flow SDE of N(0, I) data is EAM's linear base: Φ(1, t) = t/(t²+(1−t)²) (T11)", () => {
    const flow = memorylessFlowSde(gaussianFlowVelocity({ mean: 0, std: 1 }));
    const phi = adjointPropagator(eamLinearBaseSde(), 0.1, 1).get(0, 0);
    expect(phi).toBeCloseTo(0.1 / (0.01 + 0.81), 14);
    const { slope } = observedOrder(
      (x, t) => flow.drift(x, t),
      0.1,
      2,
      (a1) => Float64Array.from(a1, (v) => v * phi),
    );
    expect(slope).toBeGreaterThan(0.8);
    expect(slope).toBeLessThan(1.2);
  });
});

describe('leanAdjointEuler recursion', () => {
  it('evaluates J_b at the end of each interval: ã_{k−1} = (I + Δt F(t_k)ᵀ) ã_k exactly', () => {
    const times = [0, 0.2, 0.5, 1];
    const a1 = [0.7, -1.3];
    const x = tf.zeros([1, 2]) as tf.Tensor2D;
    const terminal = tf.tensor2d([a1]);
    const { adjoints } = leanAdjointEuler({
      drift: (u, t) => nonCommutingSde.drift(u, t),
      path: { times, states: times.map(() => x) },
      terminal,
    });
    const product = (at: 'end' | 'start') => {
      let a = Matrix.from(a1.map((v) => [v]));
      for (let k = times.length - 1; k >= 1; k--) {
        const f = fNonCommuting(at === 'end' ? times[k]! : times[k - 1]!);
        a = a.add(
          f
            .transpose()
            .mul(a)
            .scale(times[k]! - times[k - 1]!),
        );
      }
      return a.data;
    };
    const got = adjoints[0]!.dataSync();
    expect(relativeError(got, product('end'))).toBeLessThan(1e-6);
    expect(relativeError(got, product('start'))).toBeGreaterThan(1e-2);
    for (const a of adjoints) a.dispose();
    x.dispose();
    terminal.dispose();
  });

  it('no drift (Brownian motion): ã is constant, bit for bit', () => {
    const sde = brownianSde({ sigma: 0.3 });
    const times = [0, 0.1, 0.35, 0.6, 1];
    const rng = new Rng(3);
    const states = times.map(() => tf.tensor2d(rng.normalFloat32(8), [4, 2]));
    const terminal = tf.tensor2d(rng.normalFloat32(8), [4, 2]);
    const { adjoints } = leanAdjointEuler({
      drift: (x, t) => sde.drift(x, t),
      path: { times, states },
      terminal,
    });
    const want = Array.from(terminal.dataSync());
    for (const a of adjoints) expect(Array.from(a.dataSync())).toEqual(want);
    tf.dispose([...adjoints, ...states, terminal]);
  });

  it('adds the running-cost gradient at the end of each interval: ã_0 = ã_K + Σ_k Δt_k ∇f(x_k, t_k)', () => {
    const times = [0, 0.1, 0.35, 0.6, 1];
    const rng = new Rng(4);
    const host = times.map(() => rng.normalFloat32(6));
    const states = host.map((v) => tf.tensor2d(v, [3, 2]));
    const a1 = rng.normalFloat32(6);
    const terminal = tf.tensor2d(a1, [3, 2]);
    // f(x, t) = ½ t ‖x‖², ∇f = t x; zero drift.
    const { adjoints } = leanAdjointEuler({
      drift: (x) => tf.zerosLike(x),
      path: { times, states },
      terminal,
      runningCostGrad: (x, t) => tf.mul(x, t),
    });
    const want = Float64Array.from(a1);
    for (let k = 1; k < times.length; k++)
      for (let i = 0; i < 6; i++) want[i]! += (times[k]! - times[k - 1]!) * times[k]! * host[k]![i]!;
    expect(relativeError(adjoints[0]!.dataSync(), want)).toBeLessThan(1e-6);
    tf.dispose([...adjoints, ...states, terminal]);
  });

  it('one step of a nonlinear (tanh/silu MLP) drift matches central finite differences of ⟨ã, b⟩', () => {
    const net = mlpDrift(3, 8, 11);
    const rng = new Rng(5);
    const x1 = Float64Array.from(rng.normalFloat32(4 * 3));
    const a1 = Float64Array.from(rng.normalFloat32(4 * 3));
    const times = [0.3, 0.7];
    const states = [tf.zeros([4, 3]) as tf.Tensor2D, tf.tensor2d(Float32Array.from(x1), [4, 3])];
    const terminal = tf.tensor2d(Float32Array.from(a1), [4, 3]);
    const { adjoints } = leanAdjointEuler({
      drift: net.drift,
      path: { times, states },
      terminal,
      runningCostGrad: (x, t) => tf.mul(tf.cos(x), t), // f = t Σ sin x
    });
    const inner = (x: Float64Array) => net.host(x, 0.7).reduce((s, v, i) => s + v * a1[i]!, 0);
    const jta = fdGradient(inner, x1);
    const want = a1.map((a, i) => a + 0.4 * (jta[i]! + 0.7 * Math.cos(x1[i]!)));
    expect(relativeError(adjoints[0]!.dataSync(), want)).toBeLessThan(1e-4);
    tf.dispose([...adjoints, ...states, terminal]);
  });

  it('returns K+1 tensors the caller owns and leaks nothing else', () => {
    const net = mlpDrift(2, 4, 1);
    const times = uniformGrid(0, 1, 5);
    const states = times.map(() => tf.ones([2, 2]) as tf.Tensor2D);
    const terminal = tf.ones([2, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const { adjoints } = leanAdjointEuler({ drift: net.drift, path: { times, states }, terminal });
    expect(adjoints).toHaveLength(6);
    expect(tf.memory().numTensors).toBe(before + 6);
    tf.dispose([...adjoints, ...states, terminal]);
  });
});

describe('leanAdjointEuler errors name the argument', () => {
  const x = () => tf.zeros([2, 2]) as tf.Tensor2D;
  const drift: DriftFn = (u) => tf.mul(u, 2);

  it('rejects times that do not increase', () => {
    expect(() =>
      leanAdjointEuler({ drift, path: { times: [0, 0.5, 0.5], states: [x(), x(), x()] }, terminal: x() }),
    ).toThrow(/path\.times must increase strictly.*times\[1\] = 0\.5 and times\[2\] = 0\.5/);
  });

  it('rejects a path with the wrong number or shape of states', () => {
    expect(() => leanAdjointEuler({ drift, path: { times: [0, 1], states: [x()] }, terminal: x() })).toThrow(
      /path\.states must hold one \[B, D\] tensor per time \(2\)/,
    );
    expect(() =>
      leanAdjointEuler({
        drift,
        path: { times: [0, 1], states: [x(), tf.zeros([3, 2]) as tf.Tensor2D] },
        terminal: x(),
      }),
    ).toThrow(/path\.states\[1\] must have shape \[2, 2\], got \[3, 2\]/);
  });

  it('rejects a drift that returns the wrong shape, naming the time', () => {
    expect(() =>
      leanAdjointEuler({
        drift: (u) => tf.sum(u, 1, true) as tf.Tensor2D,
        path: { times: [0, 1], states: [x(), x()] },
        terminal: x(),
      }),
    ).toThrow(/drift at t = 1: the function returned a float32 tensor of shape \[2, 1\]/);
    expect(() =>
      leanAdjointEuler({
        drift: 'x' as unknown as DriftFn,
        path: { times: [0, 1], states: [x(), x()] },
        terminal: x(),
      }),
    ).toThrow(/drift must be a function/);
  });

  it('names the step where the adjoint stops being finite and frees what it made', () => {
    const times = [0, 0.25, 0.5, 0.75, 1];
    const states = times.map(x);
    const terminal = tf.ones([2, 2]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    expect(() =>
      leanAdjointEuler({
        drift: (u, t) => tf.mul(u, t === 0.5 ? Number.NaN : 1),
        path: { times, states },
        terminal,
      }),
    ).toThrow(/non-finite \(NaN or ±Inf\) at step 3 of 4, from t = 0\.5 back to t = 0\.25/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...states, terminal]);
  });
});
