import { initBackend, Rng, tf } from '@bridgekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlp } from './mlp.js';
import { regressionStep } from './regression-step.js';
import { createTrainState, disposeTrainState } from './train-state.js';

describe('training throughput on wasm (reported; the bound only catches a fall back to slow kernels)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => tf.disposeVariables());

  it('mlp 3→256→256→2, batch 1024, regressionStep with Adam', () => {
    const rng = new Rng('speed');
    const graph = mlp({ inputDim: 3, outputDim: 2, hidden: [256, 256], timeEmbedding: { kind: 'none' } });
    const x = tf.tensor2d(rng.normalFloat32(1024 * 3), [1024, 3]);
    const t = tf.zeros([1024]) as tf.Tensor1D;
    const target = tf.tensor2d(rng.normalFloat32(1024 * 2), [1024, 2]);
    let state = createTrainState(graph, rng, { lr: 1e-3 });
    for (let i = 0; i < 3; i++) state = regressionStep(state, { x, t, target }).state;
    const steps = 30;
    const start = performance.now();
    for (let i = 0; i < steps; i++) state = regressionStep(state, { x, t, target }).state;
    const stepsPerSecond = steps / ((performance.now() - start) / 1000);
    console.log(`mlp 3→256→256→2 batch 1024 on wasm: ${stepsPerSecond.toFixed(1)} steps/s`);
    // The environment notes measured 8 steps/s with tfjs's own transposed-matmul gradient.
    expect(stepsPerSecond).toBeGreaterThan(4);
    disposeTrainState(state);
    tf.dispose([x, t, target]);
  });
});
