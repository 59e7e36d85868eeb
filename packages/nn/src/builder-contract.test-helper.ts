import { Rng, tf } from '@bridgekit/core';
import { relativeError } from '@bridgekit/core/testing';
import { expect, it } from 'vitest';
import { apply } from './apply.js';
import { countParams } from './count-params.js';
import type { Graph } from './graph.js';
import { hostApply, randomHost, toHost, toTensor } from './host-graph.test-helper.js';
import { initParams } from './init-params.js';
import { validateGraph } from './validate-graph.js';

export interface ContractOptions {
  /** Batch size of the test inputs. */
  batch: number;
  /** Parameter count computed by hand, if the test has one. */
  expectedParams?: number;
  /** Also compare against the float64 host interpreter (slow for big convolutional graphs). */
  hostCheck?: boolean;
}

/** The checks every builder must pass (register inside a describe whose beforeAll picks 'cpu'). */
export function builderContract(make: () => Graph, options: ContractOptions): void {
  const inputs = (g: Graph) => {
    const rng = new Rng('contract-inputs');
    return {
      x: randomHost(rng, [options.batch, g.inputDim]),
      t: { shape: [options.batch], data: Float64Array.from(rng.uniformFloat32(options.batch)) },
    };
  };

  it('passes validateGraph', () => {
    expect(() => validateGraph(make())).not.toThrow();
  });

  it('outputs [B, outputDim] and its parameter count is Σ Π shape', () => {
    const g = make();
    if (options.expectedParams !== undefined) expect(countParams(g)).toBe(options.expectedParams);
    expect(countParams(g)).toBe(g.params.reduce((s, p) => s + p.shape.reduce((a, d) => a * d, 1), 0));
    const { x, t } = inputs(g);
    const shape = tf.tidy(() => {
      const params = initParams(g, new Rng(1));
      return apply(g, params, toTensor(x), toTensor(t)).shape;
    });
    expect(shape).toEqual([options.batch, g.outputDim]);
  });

  it('a JSON round trip of the graph gives bit-identical outputs', () => {
    const g = make();
    const copy = JSON.parse(JSON.stringify(g)) as Graph;
    expect(copy).toEqual(g);
    const { x, t } = inputs(g);
    const [a, b] = tf.tidy(() => {
      const params = initParams(g, new Rng(2));
      return [g, copy].map((graph) => Array.from(apply(graph, params, toTensor(x), toTensor(t)).dataSync()));
    });
    expect(b).toEqual(a);
  });

  it('the same seed gives identical parameters, another seed different ones', () => {
    const g = make();
    // Compared as bytes, and built outside tf.tidy, which walks a returned array element by element.
    const draw = (seed: number) => {
      const params = initParams(g, new Rng(seed));
      const bytes = Buffer.concat(Object.values(params).map((p) => Buffer.from(p.dataSync().slice().buffer)));
      tf.dispose(Object.values(params));
      return bytes;
    };
    const first = draw(3);
    expect(first.length).toBe(4 * countParams(g));
    expect(Buffer.compare(draw(3), first)).toBe(0);
    expect(Buffer.compare(draw(4), first)).not.toBe(0);
  });

  if (options.hostCheck !== false) {
    it('agrees with the float64 host interpreter', () => {
      const g = make();
      const { x, t } = inputs(g);
      let got: number[] = [];
      let want: Float64Array = new Float64Array(0);
      tf.tidy(() => {
        const params = initParams(g, new Rng(5));
        // Perturb every parameter so zero-initialised heads do not hide the body of the network.
        const noisy = Object.fromEntries(
          Object.entries(params).map(([k, v], i) => [
            k,
            tf.add(v, tf.mul(0.05, tf.tensor(new Rng(100 + i).normalFloat32(v.size), v.shape))),
          ]),
        );
        got = Array.from(apply(g, noisy, toTensor(x), toTensor(t)).dataSync());
        want = hostApply(g, toHost(noisy), x, t).data;
      });
      expect(relativeError(got, want)).toBeLessThan(5e-5);
    });
  }
}
