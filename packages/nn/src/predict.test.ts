import { initBackend, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { initParams } from './init-params.js';
import { mlp } from './mlp.js';
import { predict } from './predict.js';

describe('predict', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const graph = mlp({
    inputDim: 2,
    outputDim: 3,
    hidden: [8],
    timeEmbedding: { kind: 'sinusoidal', dim: 4 },
  });

  it('evaluates in chunks and equals one apply, leaving only its result behind', () => {
    const params = initParams(graph, new Rng(0));
    const rng = new Rng(1);
    const x = tf.tensor2d(rng.normalFloat32(2 * 103), [103, 2]);
    const t = tf.tensor1d(rng.uniformFloat32(103));
    const whole = apply(graph, params, x, t);
    const before = tf.memory().numTensors;
    const chunked = predict(graph, params, x, t, { batchSize: 10 });
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(chunked.shape).toEqual([103, 3]);
    expect(Array.from(chunked.dataSync())).toEqual(Array.from(whole.dataSync()));
    tf.dispose([whole, chunked, x, t, ...Object.values(params)]);
  });

  it('names a bad batch size and a mismatched t', () => {
    const params = initParams(graph, new Rng(0));
    const x = tf.zeros([4, 2]) as tf.Tensor2D;
    expect(() => predict(graph, params, x, tf.zeros([4]) as tf.Tensor1D, { batchSize: 0 })).toThrow(
      /options.batchSize must be a positive integer, got 0/,
    );
    expect(() => predict(graph, params, x, tf.zeros([3]) as tf.Tensor1D)).toThrow(
      /t must be \[B\] with B = 4/,
    );
  });
});
