import { initBackend, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { adam, initAdamState } from './adam.js';
import {
  type HostParams,
  type HostTensor,
  hostApply,
  randomHost,
  toHost,
  toTensor,
} from './host-graph.test-helper.js';
import { initParams } from './init-params.js';
import { mlp } from './mlp.js';
import { regressionLoss, regressionStep } from './regression-step.js';
import { createTrainState, disposeTrainState } from './train-state.js';

describe('regressionLoss and regressionStep (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const graph = mlp({
    inputDim: 2,
    outputDim: 3,
    hidden: [4],
    activation: 'tanh',
    timeEmbedding: { kind: 'fourier', dim: 4, omegaMax: 3 },
  });
  const rng = new Rng('regression');
  const x = randomHost(rng, [5, 2]);
  const t: HostTensor = { shape: [5], data: Float64Array.from(rng.uniformFloat32(5)) };
  const target = randomHost(rng, [5, 3]);
  const weight: HostTensor = { shape: [5], data: Float64Array.of(1, 0.5, 2, 0, 1.5) };

  /** (1/B) Σ_b w_b ‖net(x_b, t_b) − target_b‖² / D on the host. */
  const hostLoss = (params: HostParams) => {
    const out = hostApply(graph, params, x, t).data;
    let sum = 0;
    for (let b = 0; b < 5; b++) {
      let sq = 0;
      for (let j = 0; j < 3; j++) sq += (out[b * 3 + j]! - target.data[b * 3 + j]!) ** 2;
      sum += (weight.data[b]! * sq) / 3;
    }
    return sum / 5;
  };
  const batch = () => ({
    x: toTensor<tf.Rank.R2>(x),
    t: toTensor<tf.Rank.R1>(t),
    target: toTensor<tf.Rank.R2>(target),
    weight: toTensor<tf.Rank.R1>(weight),
  });

  it('is (1/B)·Σ w_b‖net − target‖²/D, and its gradient matches float64 finite differences', () => {
    const params = initParams(graph, new Rng(1));
    const host = toHost(params);
    const names = ['fc0.weight', 'out.bias', 't_embed.phase'];
    const { value, grads } = tf.tidy(() => {
      const b = batch();
      const f = (...ps: tf.Tensor[]) =>
        regressionLoss(graph, { ...params, ...Object.fromEntries(names.map((n, i) => [n, ps[i]!])) }, b);
      const r = tf.valueAndGrads(f)(names.map((n) => params[n]!));
      return { value: r.value.dataSync()[0]!, grads: r.grads.map((g) => Array.from(g.dataSync())) };
    });
    expect(value).toBeCloseTo(hostLoss(host), 6);
    for (const [i, n] of names.entries()) {
      const spec = host[n]!;
      const fd = fdGradient((v) => hostLoss({ ...host, [n]: { shape: spec.shape, data: v } }), spec.data);
      expect(relativeError(grads[i]!, fd), n).toBeLessThan(1e-5);
    }
    tf.dispose(Object.values(params));
  });

  it('a step is Adam applied to that gradient at the scheduled rate, and returns the loss before it', () => {
    const state = createTrainState(graph, new Rng(2), { lr: 0.05 });
    const names = graph.params.map((p) => p.name);
    const b = batch();
    // The reference update, from the same gradient computed directly.
    const { grads, loss } = tf.tidy(() => {
      const r = tf.valueAndGrads((...ps: tf.Tensor[]) =>
        regressionLoss(graph, Object.fromEntries(names.map((n, i) => [n, ps[i]!])), b),
      )(names.map((n) => state.params[n]!));
      return { grads: Object.fromEntries(names.map((n, i) => [n, r.grads[i]!])), loss: r.value };
    });
    const want = adam(state.params, grads, state.optimizer.state, { lr: 0.05 });
    const lossBefore = loss.dataSync()[0]!;
    const oldParam = state.params['fc0.weight']!;
    const { state: next, loss: got } = regressionStep(state, b);
    expect(got).toBe(lossBefore);
    expect(next.optimizer.state.step).toBe(1);
    for (const n of names) {
      expect(Array.from(next.params[n]!.dataSync()), n).toEqual(Array.from(want.params[n]!.dataSync()));
    }
    expect(oldParam.isDisposed).toBe(true);
    expect(b.x.isDisposed).toBe(false);
    disposeTrainState(next);
    tf.dispose([
      ...Object.values(grads),
      loss,
      ...Object.values(want.params),
      ...Object.values(want.state.m),
      ...Object.values(want.state.v),
    ]);
  });

  it('names a target or weight of the wrong shape', () => {
    const state = createTrainState(graph, new Rng(3), { lr: 0.01 });
    const b = batch();
    expect(() => regressionStep(state, { ...b, target: tf.zeros([5, 2]) as tf.Tensor2D })).toThrow(
      /batch.target must be \[5, 3\] \(B × outputDim\), got \[5, 2\]/,
    );
    expect(() => regressionStep(state, { ...b, weight: tf.zeros([4]) as tf.Tensor1D })).toThrow(
      /batch.weight must be \[5\], got \[4\]/,
    );
    disposeTrainState(state);
  });

  it('an x of the wrong shape throws without leaking, and the state stays usable', () => {
    const state = createTrainState(graph, new Rng(5), { lr: 0.01 });
    const b = batch();
    const bad = tf.zeros([5, 3]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    expect(() => regressionStep(state, { ...b, x: bad })).toThrow(/x must be \[B, 2\], got shape \[5, 3\]/);
    expect(tf.memory().numTensors).toBe(before);
    const { state: next, loss } = regressionStep(state, b);
    expect(Number.isFinite(loss)).toBe(true);
    disposeTrainState(next);
  });

  it('builders copy their array options, so later edits do not change the graph', () => {
    const hidden = [4, 4];
    const g = mlp({ inputDim: 1, outputDim: 1, hidden });
    hidden.push(9);
    expect(g.builderConfig.hidden).toEqual([4, 4]);
  });

  it('initAdamState starts every moment at zero', () => {
    const params = initParams(graph, new Rng(4));
    const s = initAdamState(params);
    expect(s.step).toBe(0);
    expect(Object.values(s.v).every((v) => v.dataSync().every((e) => e === 0))).toBe(true);
  });
});
