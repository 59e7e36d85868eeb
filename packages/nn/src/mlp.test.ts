import { initBackend, Rng, tf } from '@bridgekit/core';
import { relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { builderContract } from './builder-contract.test-helper.js';
import { countParams } from './count-params.js';
import { HOST_ACTIVATIONS, hostDense, randomHost, toHost, toTensor } from './host-graph.test-helper.js';
import { initParams } from './init-params.js';
import { mlp } from './mlp.js';

describe('mlp', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  // d inputs + e time features → h₁ → … → out: Σ (fan-in + 1)·fan-out.
  const count = (d: number, e: number, hidden: number[], out: number) =>
    [d + e, ...hidden].reduce((s, fanIn, i) => s + (fanIn + 1) * ([...hidden, out][i] as number), 0);

  describe('raw time (TorchCFM "MLP 3×64": d + 1 inputs, three SELU layers of width 64)', () => {
    builderContract(
      () =>
        mlp({
          inputDim: 2,
          outputDim: 2,
          hidden: [64, 64, 64],
          activation: 'selu',
          timeEmbedding: { kind: 'raw' },
        }),
      { batch: 5, expectedParams: 3 * 64 + 64 + 2 * (64 * 64 + 64) + 64 * 2 + 2 },
    );
  });
  describe('sinusoidal time', () => {
    builderContract(
      () =>
        mlp({
          inputDim: 3,
          outputDim: 2,
          hidden: [16, 8],
          timeEmbedding: { kind: 'sinusoidal', dim: 6 },
          timeScale: 50,
        }),
      { batch: 4, expectedParams: count(3, 6, [16, 8], 2) },
    );
  });
  describe('fourier time', () => {
    builderContract(
      () =>
        mlp({
          inputDim: 1,
          outputDim: 3,
          hidden: [8],
          activation: 'gelu',
          timeEmbedding: { kind: 'fourier', dim: 4 },
        }),
      { batch: 3, expectedParams: count(1, 4, [8], 3) + 2 /* phase */ },
    );
  });
  describe('no time', () => {
    builderContract(() => mlp({ inputDim: 4, outputDim: 1, hidden: [5], timeEmbedding: { kind: 'none' } }), {
      batch: 2,
      expectedParams: count(4, 0, [5], 1),
    });
  });

  it('defaults to three hidden SiLU layers of width 256 and raw time', () => {
    const g = mlp({ inputDim: 2, outputDim: 2 });
    expect(g.builderConfig).toEqual({
      inputDim: 2,
      outputDim: 2,
      hidden: [256, 256, 256],
      activation: 'silu',
      timeEmbedding: { kind: 'raw' },
      timeScale: 1,
    });
    expect(countParams(g)).toBe(count(2, 1, [256, 256, 256], 2));
  });

  it('computes SELU(W₃ SELU(W₂ SELU(W₁ [x, t]))) — TorchCFM order: x first, then t', () => {
    const g = mlp({ inputDim: 2, outputDim: 2, hidden: [4, 3], activation: 'selu' });
    const x = randomHost(new Rng(0), [3, 2]);
    const tv = [0.1, 0.5, 0.9];
    const ps = initParams(g, new Rng(9));
    const got = tf.tidy(() => Array.from(apply(g, ps, toTensor(x), tf.tensor1d(tv)).dataSync()));
    const params = toHost(ps);
    tf.dispose(Object.values(ps));
    const input = {
      shape: [3, 3],
      data: Float64Array.from(
        [0, 1, 2].flatMap((b) => [x.data[2 * b]!, x.data[2 * b + 1]!, Math.fround(tv[b]!)]),
      ),
    };
    const act = (h: { shape: number[]; data: Float64Array }) => ({
      shape: h.shape,
      data: h.data.map(HOST_ACTIVATIONS.selu!),
    });
    const h1 = act(hostDense(input, params['fc0.weight']!, params['fc0.bias']!));
    const h2 = act(hostDense(h1, params['fc1.weight']!, params['fc1.bias']!));
    const out = hostDense(h2, params['out.weight']!, params['out.bias']!);
    expect(relativeError(got, out.data)).toBeLessThan(1e-6);
  });

  it('initialises linear layers as PyTorch does: U(±1/√fanIn) for weights and biases', () => {
    const g = mlp({ inputDim: 2, outputDim: 2, hidden: [400] });
    const ps = initParams(g, new Rng(0));
    const w = Array.from(ps['fc0.weight']!.dataSync());
    const b = Array.from(ps['out.bias']!.dataSync());
    const bound0 = 1 / Math.sqrt(3);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound0);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.98 * bound0);
    expect(Math.max(...b.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(400));
    // U(±a) has variance a²/3; 1200 draws give a standard error of about 4%.
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(variance / (bound0 ** 2 / 3)).toBeGreaterThan(0.88);
    expect(variance / (bound0 ** 2 / 3)).toBeLessThan(1.12);
    tf.dispose(Object.values(ps));
  });

  it('names bad options', () => {
    expect(() => mlp({ inputDim: 0, outputDim: 2 })).toThrow(
      /mlp: inputDim must be a positive integer, got 0/,
    );
    expect(() => mlp({ inputDim: 2, outputDim: 2, hidden: [8, 0] })).toThrow(
      /hidden\[1\] must be a positive integer/,
    );
    expect(() => mlp({ inputDim: 2, outputDim: 2, timeEmbedding: { kind: 'fourier', dim: 5 } })).toThrow(
      /timeEmbedding.dim must be even for 'fourier'/,
    );
    expect(() =>
      mlp({ inputDim: 2, outputDim: 2, timeEmbedding: { kind: 'learned' } as unknown as { kind: 'none' } }),
    ).toThrow(/timeEmbedding.kind must be one of none, raw, sinusoidal, fourier; got 'learned'/);
  });
});
