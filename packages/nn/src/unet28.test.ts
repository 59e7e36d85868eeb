import { initBackend, Rng, tf } from '@bridgekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builderContract } from './builder-contract.test-helper.js';
import { countParams } from './count-params.js';
import { gradientStep } from './gradient-step.js';
import { regressionLoss, regressionStep } from './regression-step.js';
import { createTrainState, disposeTrainState } from './train-state.js';
import { unet28 } from './unet28.js';

describe('unet28 (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  builderContract(() => unet28({ channels: [8, 16], timeEmbedDim: 8 }), { batch: 2 });

  it('has the parameter count of its blocks', () => {
    const [c0, c1] = [16, 32];
    const e = 4 * c0;
    const conv = (k: number, i: number, o: number) => k * k * i * o + o;
    const norm = (c: number) => 2 * c;
    const block = (i: number, o: number) =>
      norm(i) + conv(3, i, o) + (e + 1) * o + norm(o) + conv(3, o, o) + (i === o ? 0 : conv(1, i, o));
    const expected =
      (32 + 1) * e +
      (e + 1) * e + // time embedding MLP
      conv(3, 1, c0) +
      block(c0, c0) +
      block(c0, c1) +
      block(c1, c1) +
      block(2 * c1, c1) +
      block(c1 + c0, c0) +
      norm(c0) +
      conv(3, c0, 1);
    expect(countParams(unet28({ channels: [c0, c1] }))).toBe(expected);
  });

  it('names channel counts that GroupNorm cannot split', () => {
    expect(() => unet28({ channels: [12, 16], groups: 8 })).toThrow(
      /channels\[0\] = 12 must be a positive multiple of groups = 8/,
    );
  });
});

describe('unet28 trains on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });
  afterAll(() => tf.disposeVariables());

  it('loss decreases over 20 steps at batch 32, gradients are finite (and steps/s is reported)', () => {
    const rng = new Rng('unet');
    const graph = unet28();
    const b = 32;
    // A denoising-style target: predict a fixed smooth image pattern from noisy inputs.
    const pattern = Float32Array.from(
      { length: 784 },
      (_, i) => Math.sin((i % 28) / 4) * Math.cos(Math.floor(i / 28) / 5),
    );
    const target = tf.tile(tf.tensor2d(pattern, [1, 784]), [b, 1]) as tf.Tensor2D;
    const x = tf.add(target, tf.tensor2d(rng.normalFloat32(b * 784), [b, 784])) as tf.Tensor2D;
    const t = tf.tensor1d(rng.uniformFloat32(b));
    let state = createTrainState(graph, rng, { lr: 2e-3 });

    const names = graph.params.map((p) => p.name);
    const finite = tf.tidy(() => {
      const grads = tf.grads((...ps: tf.Tensor[]) =>
        regressionLoss(graph, Object.fromEntries(names.map((n, i) => [n, ps[i]!])), { x, t, target }),
      )(names.map((n) => state.params[n]!));
      return (
        grads.every((g) => tf.all(tf.isFinite(g)).dataSync()[0] === 1) &&
        grads.some((g) => tf.any(tf.notEqual(g, 0)).dataSync()[0] === 1)
      );
    });
    expect(finite).toBe(true);

    const losses: number[] = [];
    const start = performance.now();
    for (let i = 0; i < 20; i++) {
      const r = regressionStep(state, { x, t, target });
      state = r.state;
      losses.push(r.loss);
    }
    const stepsPerSecond = 20 / ((performance.now() - start) / 1000);
    console.log(
      `unet28 (${countParams(graph)} params) batch 32 on wasm: ${stepsPerSecond.toFixed(2)} steps/s; loss ${losses[0]!.toFixed(4)} → ${losses.at(-1)!.toFixed(4)}`,
    );
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(losses.slice(-5))).toBeLessThan(0.7 * mean(losses.slice(0, 5)));
    // gradientStep is the engine underneath regressionStep; one more step through it keeps the count.
    const count = tf.memory().numTensors;
    state = gradientStep(state, (p) => regressionLoss(graph, p, { x, t, target })).state;
    expect(tf.memory().numTensors).toBe(count);
    disposeTrainState(state);
    tf.dispose([x, t, target]);
  });
});
