import { initBackend, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph, ParamInit, ParamSpec } from './graph.js';
import { initialValues, initParams } from './init-params.js';

const values = (shape: number[], init: ParamInit, seed = 0) =>
  Array.from(initialValues({ name: 'p', shape, init }, new Rng(seed)));
const maxAbs = (v: number[]) => Math.max(...v.map(Math.abs));

describe('initialisers', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('zeros, ones, identity and linspace are exact', () => {
    expect(values([2, 2], { kind: 'zeros' })).toEqual([0, 0, 0, 0]);
    expect(values([3], { kind: 'ones' })).toEqual([1, 1, 1]);
    expect(values([2, 3], { kind: 'identity' })).toEqual([1, 0, 0, 0, 1, 0]);
    expect(values([5], { kind: 'linspace', from: 0.1, to: 100 })).toEqual(
      [0.1, 25.075, 50.05, 75.025, 100].map(Math.fround),
    );
  });

  it('uniform bounds follow the fans: [in, out] and HWIO [h, w, i, o]', () => {
    // Sample maxima of 4096 uniforms come within 0.2% of the bound with overwhelming probability.
    const near = (v: number[], bound: number) => {
      expect(maxAbs(v)).toBeLessThanOrEqual(bound);
      expect(maxAbs(v)).toBeGreaterThan(0.99 * bound);
    };
    near(values([64, 64], { kind: 'uniform', bound: 0.3 }), 0.3);
    near(values([64, 64], { kind: 'glorot-uniform' }), Math.sqrt(6 / 128));
    near(values([64, 64], { kind: 'he-uniform' }), Math.sqrt(6 / 64));
    near(values([3, 3, 16, 32], { kind: 'glorot-uniform' }), Math.sqrt(6 / (9 * 16 + 9 * 32)));
    near(values([3, 3, 16, 32], { kind: 'he-uniform' }), Math.sqrt(6 / (9 * 16)));
    near(values([4096], { kind: 'torch-linear', fanIn: 25 }), 0.2);
  });

  it('normal(std) has the requested spread', () => {
    const v = values([10_000], { kind: 'normal', std: 0.5 });
    const variance = v.reduce((s, x) => s + x * x, 0) / v.length;
    // Standard error of the variance estimate: 0.25·√(2/10⁴) ≈ 0.0035.
    expect(Math.abs(variance - 0.25)).toBeLessThan(0.015);
  });

  it('initParams depends on the seed and the names, not on parameter order, and does not advance rng', () => {
    const params: ParamSpec[] = [
      { name: 'a', shape: [2, 3], init: { kind: 'normal', std: 1 } },
      { name: 'b', shape: [3], init: { kind: 'torch-linear', fanIn: 2 } },
    ];
    const graph = (ps: ParamSpec[]): Graph => ({
      format: 'bridgekit-graph',
      version: 1,
      builder: 'test',
      builderConfig: {},
      inputDim: 2,
      outputDim: 3,
      params: ps,
      nodes: [
        { id: 'x', op: 'x', inputs: {} },
        { id: 'y', op: 'dense', inputs: { x: 'x' }, params: { weight: 'a', bias: 'b' } },
      ],
      output: 'y',
    });
    const rng = new Rng(7);
    const state = rng.state();
    const forward = initParams(graph(params), rng);
    expect(rng.state()).toEqual(state);
    const reversed = initParams(graph([...params].reverse()), new Rng(7));
    for (const n of ['a', 'b'])
      expect(Array.from(reversed[n]!.dataSync())).toEqual(Array.from(forward[n]!.dataSync()));
    tf.dispose([...Object.values(forward), ...Object.values(reversed)]);
  });
});
