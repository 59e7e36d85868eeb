import { initBackend, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HostParams, hostApply, randomHost, toHost, toTensor } from './host-graph.test-helper.js';
import { initParams } from './init-params.js';
import { toyResNet } from './toy-resnet.js';
import { createTrainState, disposeTrainState } from './train-state.js';
import { vjpLoss, vjpStep } from './vjp-step.js';

describe('vjpLoss and vjpStep (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const graph = toyResNet({ dataDim: 2, hidden: 6, timeEmbedDim: 4, resBlocks: 1, blockDepth: 2 });
  const rng = new Rng('vjp');
  const x = randomHost(rng, [4, 2]);
  const t = { shape: [4], data: Float64Array.from(rng.uniformFloat32(4)) };
  const c = randomHost(rng, [4, 2]);

  it('its gradient is (1/B) Σ_b ⟨c_b, ∂net(x_b, t_b)/∂θ⟩ (float64 finite differences of the host surrogate)', () => {
    const params = initParams(graph, new Rng(1));
    const host = toHost(params);
    const surrogate = (p: HostParams) =>
      hostApply(graph, p, x, t).data.reduce((s, v, i) => s + v * c.data[i]!, 0) / 4;
    const names = ['x_module.map.weight', 't_module.0.bias', 'out_module.2.weight'];
    const grads = tf.tidy(() =>
      tf
        .grads((...ps: tf.Tensor[]) =>
          vjpLoss(
            graph,
            { ...params, ...Object.fromEntries(names.map((n, i) => [n, ps[i]!])) },
            {
              x: toTensor(x),
              t: toTensor(t),
              cotangent: toTensor(c),
            },
          ),
        )(names.map((n) => params[n]!))
        .map((g) => Array.from(g.dataSync())),
    );
    for (const [i, n] of names.entries()) {
      const spec = host[n]!;
      const fd = fdGradient((v) => surrogate({ ...host, [n]: { shape: spec.shape, data: v } }), spec.data);
      expect(relativeError(grads[i]!, fd), n).toBeLessThan(1e-5);
    }
    tf.dispose(Object.values(params));
  });

  it('a step returns the surrogate value and moves the parameters against it', () => {
    let state = createTrainState(graph, new Rng(2), { lr: 1e-3 });
    const batch = {
      x: toTensor<tf.Rank.R2>(x),
      t: toTensor<tf.Rank.R1>(t),
      cotangent: toTensor<tf.Rank.R2>(c),
    };
    const value = tf.tidy(() => vjpLoss(graph, state.params, batch).dataSync()[0]!);
    const first = vjpStep(state, batch);
    expect(first.loss).toBeCloseTo(value, 6);
    state = first.state;
    const after = tf.tidy(() => vjpLoss(graph, state.params, batch).dataSync()[0]!);
    expect(after).toBeLessThan(value);
    expect(() => vjpStep(state, { ...batch, cotangent: tf.zeros([4, 3]) as tf.Tensor2D })).toThrow(
      /batch.cotangent must be \[4, 2\] \(B × outputDim\), got \[4, 3\]/,
    );
    disposeTrainState(state);
  });
});
