import { initBackend, tf } from '@bridgekit/core';
import { relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AdamState, adam, adamBiasCorrections, initAdamState } from './adam.js';
import { adamw } from './adamw.js';

/** Float64 Adam/AdamW on the host, after PyTorch's update equations. */
function hostAdam(
  p0: number[],
  grad: (p: number[]) => number[],
  steps: number,
  o: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean },
): number[] {
  let p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    const g = grad(p).map((gi, i) => (o.decoupled ? gi : gi + o.weightDecay * p[i]!));
    const bc1 = 1 - o.beta1 ** t;
    const bc2 = 1 - o.beta2 ** t;
    p = p.map((pi, i) => {
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g[i]!;
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g[i]! ** 2;
      const base = o.decoupled ? pi * (1 - o.lr * o.weightDecay) : pi;
      return base - (o.lr * (m[i]! / bc1)) / (Math.sqrt(v[i]! / bc2) + o.eps);
    });
  }
  return p;
}

// f(p) = ½ Σ a_i (p_i − c_i)², an ill-conditioned quadratic: ∇f = a ⊙ (p − c).
const A = [1, 10, 0.1, 3];
const C = [0.5, -1, 2, 0];
const P0 = [1, 1, -1, 0.25];
const hostGrad = (p: number[]) => p.map((pi, i) => A[i]! * (pi - C[i]!));

function runTf(update: typeof adam, steps: number, options: { lr: number; weightDecay?: number }): number[] {
  let params = { p: tf.tensor1d(P0) as tf.Tensor };
  let state: AdamState = initAdamState(params);
  for (let i = 0; i < steps; i++) {
    const grads = { p: tf.tidy(() => tf.mul(tf.tensor1d(A), tf.sub(params.p, tf.tensor1d(C)))) };
    const next = update(params, grads, state, options);
    tf.dispose([params.p, grads.p, state.m.p!, state.v.p!]);
    params = next.params as { p: tf.Tensor };
    state = next.state;
  }
  const out = Array.from(params.p.dataSync());
  tf.dispose([params.p, state.m.p!, state.v.p!]);
  expect(state.step).toBe(steps);
  return out;
}

describe('adam and adamw', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const defaults = { beta1: 0.9, beta2: 0.999, eps: 1e-8 };

  it('Adam matches a float64 host Adam for 5 steps on a quadratic', () => {
    const got = runTf(adam, 5, { lr: 0.1 });
    const want = hostAdam(P0, hostGrad, 5, { ...defaults, lr: 0.1, weightDecay: 0, decoupled: false });
    expect(relativeError(got, want)).toBeLessThan(1e-6);
  });

  it('Adam with weightDecay adds λp to the gradient (coupled L2, as torch.optim.Adam)', () => {
    const got = runTf(adam, 5, { lr: 0.1, weightDecay: 0.5 });
    const want = hostAdam(P0, hostGrad, 5, { ...defaults, lr: 0.1, weightDecay: 0.5, decoupled: false });
    expect(relativeError(got, want)).toBeLessThan(1e-6);
  });

  it('AdamW decouples the decay: p ← p(1 − lr·λ) − lr·m̂/(√v̂ + ε)', () => {
    const got = runTf(adamw, 5, { lr: 0.1, weightDecay: 0.5 });
    const want = hostAdam(P0, hostGrad, 5, { ...defaults, lr: 0.1, weightDecay: 0.5, decoupled: true });
    expect(relativeError(got, want)).toBeLessThan(1e-6);
    // The two kinds of decay differ measurably here, so the check above can tell them apart.
    const coupled = hostAdam(P0, hostGrad, 5, { ...defaults, lr: 0.1, weightDecay: 0.5, decoupled: false });
    expect(relativeError(coupled, want)).toBeGreaterThan(1e-3);
  });

  it('bias corrections are float64: at t = 1000 the update matches the float64 formula to 1e-6', () => {
    const { bc1, bc2 } = adamBiasCorrections(1000, 0.9, 0.999);
    expect(bc2).toBe(1 - 0.999 ** 1000);
    expect(bc1).toBe(1 - 0.9 ** 1000);
    // In float32, 0.999 is 0.99900001287…, and 0.999^1000 comes out 1.3e-5 (relative) too large.
    const f32 = tf.tidy(() => tf.pow(tf.scalar(0.999), tf.scalar(1000)).dataSync()[0]!);
    expect(Math.abs(f32 / 0.999 ** 1000 - 1)).toBeGreaterThan(1e-5);

    // One update from step 999 with given moments and p = 0, so the new p is exactly −update.
    const g = [0.3, -2, 1e-3];
    const m0 = [0.1, -0.5, 2e-4];
    const v0 = [0.04, 3, 1e-6];
    const params = { p: tf.zeros([3]) };
    const state = { step: 999, m: { p: tf.tensor1d(m0) }, v: { p: tf.tensor1d(v0) } };
    const out = adam(params, { p: tf.tensor1d(g) }, state, { lr: 1e-3 });
    const got = Array.from(out.params.p!.dataSync());
    const update = (bc2Value: number) =>
      g.map((gi, i) => {
        const m = 0.9 * m0[i]! + 0.1 * gi;
        const v = 0.999 * v0[i]! + 0.001 * gi * gi;
        return -(1e-3 * (m / bc1)) / (Math.sqrt(v / bc2Value) + 1e-8);
      });
    const want = update(bc2);
    const withF32Correction = update(1 - f32);
    const rel = (a: number[], b: number[]) => Math.max(...a.map((ai, i) => Math.abs(ai / b[i]! - 1)));
    expect(rel(got, want)).toBeLessThan(1e-6);
    expect(rel(withF32Correction, want)).toBeGreaterThan(3e-6);
  });

  it('is pure: inputs stay alive and unchanged, outputs are new tensors', () => {
    const params = { w: tf.tensor1d([1, 2]) };
    const grads = { w: tf.tensor1d([0.5, -0.5]) };
    const state = initAdamState(params);
    const out = adamw(params, grads, state, { lr: 0.01 });
    expect(out.params.w).not.toBe(params.w);
    expect(Array.from(params.w.dataSync())).toEqual([1, 2]);
    expect(state.step).toBe(0);
    expect(Array.from(state.m.w!.dataSync())).toEqual([0, 0]);
    expect(out.state.step).toBe(1);
  });

  it('names bad arguments before making any tensor', () => {
    const params = { w: tf.zeros([2]), b: tf.zeros([1]) };
    const state = initAdamState(params);
    const before = tf.memory().numTensors;
    expect(() => adam(params, { w: tf.zeros([2]) }, state, { lr: 0.1 })).toThrow(
      /adam: grads has no entry for parameter 'b'/,
    );
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(() => adam(params, { w: tf.zeros([3]), b: tf.zeros([1]) }, state, { lr: 0.1 })).toThrow(
      /grads\['w'\] has shape \[3\], parameter is \[2\]/,
    );
    expect(() => adamw(params, params, state, { lr: 0.1, beta2: 1 })).toThrow(
      /adamw: beta2 must be in \[0, 1\), got 1/,
    );
    expect(() => adam(params, params, state, { lr: -1 })).toThrow(
      /adam: lr must be a finite number ≥ 0, got -1/,
    );
  });
});
