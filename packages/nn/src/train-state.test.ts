import { initBackend, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineLr } from './lr-schedule.js';
import { mlp } from './mlp.js';
import { createTrainState, disposeTrainState } from './train-state.js';

describe('createTrainState', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const g = mlp({ inputDim: 2, outputDim: 2, hidden: [4] });

  it('fills PyTorch defaults and describes the optimiser as JSON', () => {
    const s = createTrainState(g, new Rng(0), { lr: 1e-3 });
    const { state, ...config } = s.optimizer;
    expect(config).toEqual({
      kind: 'adam',
      lr: { kind: 'constant', lr: 1e-3 },
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
    });
    expect(state.step).toBe(0);
    expect(s.ema).toBeUndefined();
    disposeTrainState(s);
    const w = createTrainState(g, new Rng(0), { kind: 'adamw', lr: cosineLr({ lr: 1, totalSteps: 10 }) });
    expect(w.optimizer.weightDecay).toBe(0.01);
    disposeTrainState(w);
  });

  it('starts the EMA at a copy of the parameters, and disposeTrainState frees everything', () => {
    const before = tf.memory().numTensors;
    const s = createTrainState(g, new Rng(0), { lr: 1e-3 }, { emaDecay: 0.99 });
    expect(s.ema!.decay).toBe(0.99);
    expect(Array.from(s.ema!.params['fc0.weight']!.dataSync())).toEqual(
      Array.from(s.params['fc0.weight']!.dataSync()),
    );
    expect(s.ema!.params['fc0.weight']).not.toBe(s.params['fc0.weight']);
    disposeTrainState(s);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names bad optimiser options', () => {
    expect(() => createTrainState(g, new Rng(0), { lr: 1e-3, kind: 'sgd' as 'adam' })).toThrow(
      /optimizer.kind must be 'adam' or 'adamw', got 'sgd'/,
    );
    expect(() => createTrainState(g, new Rng(0), { lr: 1e-3, beta1: 1 })).toThrow(
      /optimizer.beta1 must be in \[0, 1\), got 1/,
    );
    expect(() => createTrainState(g, new Rng(0), { lr: 1e-3, clipNorm: 0 })).toThrow(
      /optimizer.clipNorm must be positive/,
    );
    expect(() => createTrainState(g, new Rng(0), { lr: 1e-3 }, { emaDecay: 2 })).toThrow(
      /options.emaDecay must be in \[0, 1\], got 2/,
    );
    expect(() => createTrainState(g, new Rng(0), { lr: -1 })).toThrow(
      /schedule.lr must be a finite number ≥ 0, got -1/,
    );
  });
});
