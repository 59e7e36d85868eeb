import { initBackend, tf } from '@bridgekit/core';
import { fdGradient, fdHessianVector, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { apply } from './apply.js';
import {
  type HostParams,
  type HostTensor,
  hostApply,
  testValues,
  toTensor,
} from './host-graph.test-helper.js';
import { opCases } from './op-cases.test-helper.js';

// L = Σ w ⊙ net², quadratic in the output, so even ops that are linear in x have a non-zero Hessian.
const weightsFor = (n: number) =>
  Float64Array.from({ length: n }, (_, i) => Math.fround(Math.cos(0.9 * i + 0.4)));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`apply on ${backend}: every op against a float64 host interpreter`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    for (const c of opCases()) {
      const { graph } = c;
      const names = graph.params.map((p) => p.name);
      const hostOut = hostApply(graph, c.params, c.x, c.t);
      const w = weightsFor(hostOut.data.length);
      const hostLoss = (params: HostParams, x: HostTensor) =>
        hostApply(graph, params, x, c.t).data.reduce((s, v, i) => s + w[i]! * v * v, 0);
      const tfLoss = (x: tf.Tensor, ps: tf.Tensor[]) =>
        tf.sum(
          tf.mul(
            tf.square(
              apply(
                graph,
                Object.fromEntries(names.map((n, i) => [n, ps[i]!])),
                x as tf.Tensor2D,
                toTensor(c.t),
              ),
            ),
            tf.tensor(Float32Array.from(w), hostOut.shape),
          ),
        );
      const paramTensors = () => names.map((n) => toTensor(c.params[n]!));

      it(`${c.name}: value`, () => {
        const got = tf.tidy(() => {
          const params = Object.fromEntries(names.map((n) => [n, toTensor(c.params[n]!)]));
          const y = apply(graph, params, toTensor(c.x), toTensor(c.t));
          expect(y.shape).toEqual([c.x.shape[0], graph.outputDim]);
          return Array.from(y.dataSync());
        });
        expect(relativeError(got, hostOut.data)).toBeLessThan(2e-5);
      });

      it(`${c.name}: gradient w.r.t. x and every parameter matches float64 finite differences`, () => {
        const grads = tf.tidy(() =>
          tf
            .grads((x: tf.Tensor, ...ps: tf.Tensor[]) => tfLoss(x, ps))([toTensor(c.x), ...paramTensors()])
            .map((g) => Array.from(g.dataSync())),
        );
        const fdX = fdGradient((x) => hostLoss(c.params, { shape: c.x.shape, data: x }), c.x.data);
        expect(relativeError(grads[0]!, fdX)).toBeLessThan(1e-4);
        for (const [i, n] of names.entries()) {
          const spec = c.params[n]!;
          const fd = fdGradient(
            (v) => hostLoss({ ...c.params, [n]: { shape: spec.shape, data: v } }, c.x),
            spec.data,
          );
          expect(relativeError(grads[i + 1]!, fd), `∂L/∂${n}`).toBeLessThan(1e-4);
        }
      });

      if (c.secondOrder) {
        it(`${c.name}: second order (Hessian-vector product in x) matches float64 finite differences`, () => {
          const v = testValues(c.x.shape, 2.1, -0.3);
          const hvp = tf.tidy(() => {
            const ps = paramTensors();
            const dir = toTensor(v);
            const g = (x: tf.Tensor) => tf.grad((u: tf.Tensor) => tfLoss(u, ps))(x);
            return Array.from(
              tf
                .grad((x: tf.Tensor) => tf.sum(tf.mul(g(x), dir)))(toTensor(c.x))
                .dataSync(),
            );
          });
          const fd = fdHessianVector(
            (x) => hostLoss(c.params, { shape: c.x.shape, data: x }),
            c.x.data,
            v.data,
          );
          expect(relativeError(hvp, fd)).toBeLessThan(1e-3);
        });
      }
    }

    it('disposes every intermediate tensor', () => {
      const c = opCases().find((o) => o.name.startsWith('groupNorm on [B, H'))!;
      const params = Object.fromEntries(c.graph.params.map((p) => [p.name, toTensor(c.params[p.name]!)]));
      const x = toTensor<tf.Rank.R2>(c.x);
      const t = toTensor<tf.Rank.R1>(c.t);
      const before = tf.memory().numTensors;
      const y = apply(c.graph, params, x, t);
      expect(tf.memory().numTensors).toBe(before + 1);
      tf.dispose([y, x, t, ...Object.values(params)]);
    });
  });
}

describe('apply argument checks', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  const c = opCases()[0]!;
  const params = () => Object.fromEntries(c.graph.params.map((p) => [p.name, toTensor(c.params[p.name]!)]));

  it('names a missing parameter and a mis-shaped one', () => {
    const ps = params();
    const { w: _w, ...withoutW } = ps;
    expect(() => apply(c.graph, withoutW, toTensor(c.x), toTensor(c.t))).toThrow(/params is missing 'w'/);
    expect(() => apply(c.graph, { ...ps, b: tf.zeros([4]) }, toTensor(c.x), toTensor(c.t))).toThrow(
      /params\['b'\] has shape \[4\], the graph declares \[3\]/,
    );
  });

  it('never returns the caller’s own x, even for an identity graph', () => {
    const identity = {
      ...c.graph,
      outputDim: 5,
      params: [],
      nodes: [{ id: 'x', op: 'x' as const, inputs: {} }],
      output: 'x',
    };
    const x = toTensor<tf.Rank.R2>(c.x);
    const y = apply(identity, {}, x, toTensor(c.t));
    expect(y).not.toBe(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
  });

  it('names x and t when their shapes are wrong', () => {
    expect(() => apply(c.graph, params(), tf.zeros([2, 4]) as tf.Tensor2D, toTensor(c.t))).toThrow(
      /x must be \[B, 5\], got shape \[2, 4\]/,
    );
    expect(() => apply(c.graph, params(), toTensor(c.x), tf.zeros([3]) as tf.Tensor1D)).toThrow(
      /t must be \[B\] with B = 2/,
    );
  });
});
