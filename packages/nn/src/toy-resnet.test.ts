import { initBackend, Rng, tf } from '@bridgekit/core';
import { relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import { builderContract } from './builder-contract.test-helper.js';
import { countParams } from './count-params.js';
import {
  HOST_ACTIVATIONS,
  type HostParams,
  type HostTensor,
  hostDense,
  hostSinusoidal,
  randomHost,
  toHost,
  toTensor,
} from './host-graph.test-helper.js';
import { initParams } from './init-params.js';
import { toyResNet } from './toy-resnet.js';

/** VSDM's toy policy written out from algorithms.md §1.7, independently of the graph. */
function vsdmToy(p: HostParams, x: HostTensor, t: Float64Array, steps: number): HostTensor {
  const silu = (h: HostTensor) => ({ shape: h.shape, data: h.data.map(HOST_ACTIVATIONS.silu!) });
  const lin = (h: HostTensor, name: string) => hostDense(h, p[`${name}.weight`]!, p[`${name}.bias`]!);
  const emb = hostSinusoidal(t, 128, 10_000, steps);
  const tOut = lin(silu(lin(emb, 't_module.0')), 't_module.2');
  let h = lin(x, 'x_module.map');
  for (let i = 0; i < 3; i++) {
    let r = h;
    for (let j = 0; j < 3; j++) r = silu(lin(r, `x_module.res_blocks.${i}.${2 * j}`));
    h = { shape: h.shape, data: h.data.map((v, k) => (v + r.data[k]!) / Math.sqrt(2)) };
  }
  const sum = { shape: h.shape, data: h.data.map((v, k) => v + tOut.data[k]!) };
  return lin(silu(lin(sum, 'out_module.0')), 'out_module.2');
}

describe('toyResNet (VSDM backward net)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  // By hand for d = 2, width 256, embedding 128:
  //   t_module: Linear(128, 256) + Linear(256, 256) = (128·256 + 256) + (256·256 + 256) = 98 816
  //   x_module.map: Linear(2, 256) = 2·256 + 256 = 768
  //   3 blocks × 3 × Linear(256, 256) = 9·(65 536 + 256) = 592 128
  //   out_module: Linear(256, 256) + Linear(256, 2) = 65 792 + 514 = 66 306
  const expected = 98_816 + 768 + 592_128 + 66_306;
  builderContract(() => toyResNet({ dataDim: 2 }), { batch: 3, expectedParams: expected });

  it(`has ${expected} parameters for d = 2 (758 018)`, () => {
    expect(countParams(toyResNet({ dataDim: 2 }))).toBe(758_018);
  });

  it('computes exactly the §1.7 network, with the embedding of the step index t·K/T', () => {
    const g = toyResNet({ dataDim: 2, steps: 100, horizon: 1 });
    const x = randomHost(new Rng(1), [4, 2], 2);
    const t = Float64Array.from([0, 0.013, 0.5, 1]);
    const ps = initParams(g, new Rng(3));
    const got = tf.tidy(() =>
      Array.from(apply(g, ps, toTensor(x), toTensor({ shape: [4], data: t })).dataSync()),
    );
    const params = toHost(ps);
    tf.dispose(Object.values(ps));
    expect(relativeError(got, vsdmToy(params, x, t, 100).data)).toBeLessThan(2e-5);
  });

  it('zeroOutput zero-initialises the last layer', () => {
    const g = toyResNet({ dataDim: 3, zeroOutput: true });
    const last = g.params.filter((p) => p.name.startsWith('out_module.2'));
    expect(last.map((p) => p.init.kind)).toEqual(['zeros', 'zeros']);
  });

  it('names bad options', () => {
    expect(() => toyResNet({ dataDim: 2, steps: 0 })).toThrow(
      /toyResNet: steps must be a positive integer, got 0/,
    );
    expect(() => toyResNet({ dataDim: 2, horizon: -1 })).toThrow(/horizon must be positive, got -1/);
  });
});
