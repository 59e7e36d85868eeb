import { initBackend, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fourierMlp } from './fourier-mlp.js';
import { gradientStep } from './gradient-step.js';
import type { Graph } from './graph.js';
import { stepLr, warmup } from './lr-schedule.js';
import { mlp } from './mlp.js';
import { regressionStep } from './regression-step.js';
import { createTrainState, disposeTrainState } from './train-state.js';
import { vjpStep } from './vjp-step.js';

/** A one-parameter graph: net(x) = x·w, w [1, 1]. */
const scalarGraph: Graph = {
  format: 'bridgekit-graph',
  version: 1,
  builder: 'test',
  builderConfig: {},
  inputDim: 1,
  outputDim: 1,
  params: [{ name: 'w', shape: [1, 1], init: { kind: 'zeros' } }],
  nodes: [
    { id: 'x', op: 'x', inputs: {} },
    { id: 'y', op: 'dense', inputs: { x: 'x' }, params: { weight: 'w' } },
  ],
  output: 'y',
};

describe('gradientStep', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('uses lrAt(schedule, step): a constant gradient moves w by ≈ the scheduled rate each step', () => {
    // Loss = w, so g = 1 and m̂/(√v̂ + ε) = 1/(1 + 1e-8): Adam moves w by −lr_k at step k.
    let state = createTrainState(scalarGraph, new Rng(0), {
      lr: warmup(stepLr({ lr: 0.1, stepSize: 3, gamma: 0.5 }), 2),
    });
    const moves: number[] = [];
    for (let k = 0; k < 5; k++) {
      const before = state.params.w!.dataSync()[0]!;
      state = gradientStep(state, (p) => tf.sum(p.w!) as tf.Scalar).state;
      moves.push(before - state.params.w!.dataSync()[0]!);
    }
    const want = [0.05, 0.1, 0.1, 0.05, 0.05];
    for (const [k, m] of moves.entries()) expect(m).toBeCloseTo(want[k]!, 6);
    disposeTrainState(state);
  });

  it('clipNorm rescales the gradient before Adam (visible in the first moment)', () => {
    let state = createTrainState(scalarGraph, new Rng(0), { lr: 0.1, clipNorm: 0.5 });
    state = gradientStep(state, (p) => tf.mul(tf.sum(p.w!), 4) as tf.Scalar).state;
    // m₁ = (1 − β₁)·g with g clipped from 4 to 0.5/(4 + 1e-6)·4.
    expect(state.optimizer.state.m.w!.dataSync()[0]).toBeCloseTo(0.1 * ((0.5 / (4 + 1e-6)) * 4), 7);
    disposeTrainState(state);
  });

  it('updates the EMA from the new parameters', () => {
    let state = createTrainState(scalarGraph, new Rng(0), { lr: 0.1 }, { emaDecay: 0.9 });
    state = gradientStep(state, (p) => tf.sum(p.w!) as tf.Scalar).state;
    const w = state.params.w!.dataSync()[0]!;
    expect(state.ema!.params.w!.dataSync()[0]).toBeCloseTo(0.9 * 0 + 0.1 * w, 7);
    disposeTrainState(state);
  });

  it('a non-finite loss throws, names the step and leaves the state usable', () => {
    let state = createTrainState(scalarGraph, new Rng(0), { lr: 0.1 });
    state = gradientStep(state, (p) => tf.sum(p.w!) as tf.Scalar).state;
    const before = tf.memory().numTensors;
    expect(() => gradientStep(state, (p) => tf.div(tf.sum(p.w!), 0) as tf.Scalar)).toThrow(
      /training step 2: the loss is -?Infinity; the state was left unchanged/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(state.params.w!.isDisposed).toBe(false);
    const x = tf.tensor2d([[1]]);
    expect(() =>
      regressionStep(state, { x, t: tf.zeros([1]) as tf.Tensor1D, target: tf.tensor2d([[Number.NaN]]) }),
    ).toThrow(/training step 2: the loss is NaN/);
    disposeTrainState(state);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`training steps do not leak on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    it('50 regressionStep and 50 vjpStep calls (AdamW, clipping, EMA, weights) keep the tensor count constant', () => {
      const g = fourierMlp({ dataDim: 2, channels: 8 });
      const rng = new Rng(1);
      const x = tf.tensor2d(rng.normalFloat32(16), [8, 2]);
      const t = tf.tensor1d(rng.uniformFloat32(8));
      const target = tf.tensor2d(rng.normalFloat32(16), [8, 2]);
      const weight = tf.tensor1d(rng.uniformFloat32(8));
      let state = createTrainState(g, rng, { kind: 'adamw', lr: 1e-3, clipNorm: 1 }, { emaDecay: 0.99 });
      state = regressionStep(state, { x, t, target, weight }).state;
      const count = tf.memory().numTensors;
      for (let i = 0; i < 50; i++) state = regressionStep(state, { x, t, target, weight }).state;
      expect(tf.memory().numTensors).toBe(count);
      for (let i = 0; i < 50; i++) state = vjpStep(state, { x, t, cotangent: target }).state;
      expect(tf.memory().numTensors).toBe(count);
      expect(state.optimizer.state.step).toBe(101);
      disposeTrainState(state);
      tf.dispose([x, t, target, weight]);
    });

    it('an mlp with raw time trains without leaking either', () => {
      const g = mlp({ inputDim: 2, outputDim: 2, hidden: [8, 8], activation: 'selu' });
      const x = tf.ones([4, 2]) as tf.Tensor2D;
      const t = tf.ones([4]) as tf.Tensor1D;
      let state = createTrainState(g, new Rng(0), { lr: 1e-2 });
      state = regressionStep(state, { x, t, target: x }).state;
      const count = tf.memory().numTensors;
      for (let i = 0; i < 10; i++) state = regressionStep(state, { x, t, target: x }).state;
      expect(tf.memory().numTensors).toBe(count);
      disposeTrainState(state);
    });
  });
}
