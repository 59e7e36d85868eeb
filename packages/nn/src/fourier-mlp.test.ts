import { initBackend, Rng, tf } from '@bridgekit/core';
import { relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { builderContract } from './builder-contract.test-helper.js';
import { countParams } from './count-params.js';
import { fourierMlp } from './fourier-mlp.js';
import {
  HOST_ACTIVATIONS,
  type HostParams,
  type HostTensor,
  hostDense,
  hostFourier,
  randomHost,
  toHost,
  toTensor,
} from './host-graph.test-helper.js';
import { initParams } from './init-params.js';

/** ASBS FourierMLP forward, written from adjoint_samplers `components/model.py`. */
function asbsFourierMlp(p: HostParams, x: HostTensor, t: Float64Array, layers: number): HostTensor {
  const gelu = (h: HostTensor) => ({ shape: h.shape, data: h.data.map(HOST_ACTIVATIONS.gelu!) });
  const lin = (h: HostTensor, name: string) => hostDense(h, p[`${name}.weight`]!, p[`${name}.bias`]!);
  const feats = hostFourier(t, p['timestep_embed.timestep_phase']!.data, 0.1, 100);
  const embedT = lin(gelu(lin(feats, 'timestep_embed.hidden_layer.0')), 'timestep_embed.out_layer');
  const embedX = lin(x, 'input_embed');
  let embed: HostTensor = { shape: embedX.shape, data: embedX.data.map((v, i) => v + embedT.data[i]!) };
  for (let i = 0; i < layers - 2; i++) embed = lin(gelu(embed), `hidden_layer.${i}`);
  return lin(gelu(embed), 'out_layer');
}

describe('fourierMlp (ASBS)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  // By hand for d = 2, C = 64, L = 4:
  //   input_embed Linear(2, 64) = 2·64 + 64 = 192;  phase φ = 64
  //   timestep_embed: Linear(128, 64) + Linear(64, 64) = 8 256 + 4 160 = 12 416
  //   L − 2 = 2 hidden Linear(64, 64) = 8 320;  out_layer Linear(64, 2) = 130
  const expected = 192 + 64 + 12_416 + 8_320 + 130;
  builderContract(() => fourierMlp({ dataDim: 2 }), { batch: 4, expectedParams: expected });

  it(`has ${expected} parameters for d = 2 (21 122)`, () => {
    expect(countParams(fourierMlp({ dataDim: 2 }))).toBe(21_122);
  });

  it('outputs exactly 0 at initialisation (zero-initialised head)', () => {
    const g = fourierMlp({ dataDim: 3 });
    const out = tf.tidy(() => {
      const ps = initParams(g, new Rng(0));
      const x = tf.tensor2d(new Rng(1).normalFloat32(30), [10, 3]);
      return Array.from(apply(g, ps, x, tf.linspace(0, 1, 10) as tf.Tensor1D).dataSync());
    });
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('computes exactly the ASBS network (checked with a non-zero head)', () => {
    const g = fourierMlp({ dataDim: 2, zeroInit: false, layers: 5 });
    const x = randomHost(new Rng(2), [3, 2]);
    const t = Float64Array.from([0, 0.4, 1]);
    const ps = initParams(g, new Rng(4));
    const got = tf.tidy(() =>
      Array.from(apply(g, ps, toTensor(x), toTensor({ shape: [3], data: t })).dataSync()),
    );
    const params = toHost(ps);
    tf.dispose(Object.values(ps));
    expect(relativeError(got, asbsFourierMlp(params, x, t, 5).data)).toBeLessThan(2e-5);
  });

  it('draws the phase from N(0, 1), as torch.randn', () => {
    const g = fourierMlp({ dataDim: 1, channels: 2000 });
    const phase = tf.tidy(() =>
      Array.from(initParams(g, new Rng(0))['timestep_embed.timestep_phase']!.dataSync()),
    );
    const mean = phase.reduce((a, b) => a + b, 0) / phase.length;
    const variance = phase.reduce((a, b) => a + (b - mean) ** 2, 0) / phase.length;
    // Standard errors: mean 1/√2000 ≈ 0.022, variance √(2/2000) ≈ 0.032.
    expect(Math.abs(mean)).toBeLessThan(0.09);
    expect(Math.abs(variance - 1)).toBeLessThan(0.13);
  });

  it('names bad options', () => {
    expect(() => fourierMlp({ dataDim: 2, layers: 1 })).toThrow(/layers must be an integer ≥ 2/);
    expect(() => fourierMlp({ dataDim: 2, channels: 2.5 })).toThrow(
      /channels must be a positive integer, got 2.5/,
    );
  });
});
