import { conv2d, initBackend, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { addBias } from './add-bias.js';
import { avgPool2 } from './avg-pool2.js';
import { conv2dStride1 } from './conv2d-stride1.js';
import { fourierFeatures } from './fourier-features.js';
import { groupNorm } from './group-norm.js';
import {
  hostAvgPool2,
  hostGroupNorm,
  hostUpsample2,
  testValues,
  toTensor,
} from './host-graph.test-helper.js';
import { sinusoidalEmbedding } from './sinusoidal-embedding.js';
import { upsample2 } from './upsample2.js';

describe('time embeddings (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('sinusoidalEmbedding is ADM timestep_embedding: [cos(s f_k), sin(s f_k)], f_k = maxPeriod^(−k/half)', () => {
    const t = [0, 0.37, 1];
    const got = tf.tidy(() => sinusoidalEmbedding(tf.tensor1d(t), 6, 10_000, 100).arraySync());
    for (const [b, tb] of t.entries()) {
      const s = tb * 100;
      const f = [1, 10_000 ** (-1 / 3), 10_000 ** (-2 / 3)];
      const want = [...f.map((fk) => Math.cos(s * fk)), ...f.map((fk) => Math.sin(s * fk))];
      // |s·f| ≤ 100, so float32 rounding of the argument bounds the error by ~100·6e-8.
      expect(relativeError(got[b]!, want)).toBeLessThan(2e-5);
    }
  });

  it('an odd dim appends a zero column, as ADM does', () => {
    const got = tf.tidy(() => sinusoidalEmbedding(tf.tensor1d([0.5]), 5).arraySync()[0]!);
    expect(got).toHaveLength(5);
    expect(got[4]).toBe(0);
    expect(got[0]).toBeCloseTo(Math.cos(0.5), 6);
    expect(got[2]).toBeCloseTo(Math.sin(0.5), 6);
  });

  it('fourierFeatures is [sin(ω t + φ), cos(ω t + φ)] with ω = linspace(0.1, 100, C)', () => {
    const phase = [0.3, -1.2, 2.0, 0.7];
    const t = [0.25, 0.8];
    const got = tf.tidy(() => fourierFeatures(tf.tensor1d(t), tf.tensor1d(phase)).arraySync());
    const omega = [0.1, 0.1 + 99.9 / 3, 0.1 + (2 * 99.9) / 3, 100];
    for (const [b, tb] of t.entries()) {
      const args = omega.map((w, k) => w * tb + phase[k]!);
      expect(relativeError(got[b]!, [...args.map(Math.sin), ...args.map(Math.cos)])).toBeLessThan(1e-5);
    }
  });

  it('names bad arguments', () => {
    expect(() => sinusoidalEmbedding(tf.zeros([2]) as tf.Tensor1D, 1)).toThrow(
      /dim must be an integer ≥ 2, got 1/,
    );
    expect(() => sinusoidalEmbedding(tf.zeros([2]) as tf.Tensor1D, 4, 0)).toThrow(
      /maxPeriod must be a positive/,
    );
    expect(() =>
      fourierFeatures(tf.zeros([2]) as tf.Tensor1D, tf.zeros([2, 2]) as unknown as tf.Tensor1D),
    ).toThrow(/phase must be rank 1/);
  });
});

describe('groupNorm (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('matches the host formula and normalises each group to mean 0, variance 1', () => {
    const x = testValues([2, 3, 4, 6], 0.71, 0.1, 3);
    const scale = Float64Array.from({ length: 6 }, () => 1);
    const bias = new Float64Array(6);
    const got = tf.tidy(() =>
      Array.from(
        groupNorm(toTensor(x), tf.ones([6]) as tf.Tensor1D, tf.zeros([6]) as tf.Tensor1D, 3, 1e-5).dataSync(),
      ),
    );
    const want = hostGroupNorm(x, scale, bias, 3, 1e-5).data;
    expect(relativeError(got, want)).toBeLessThan(1e-5);
    // Group 1 of sample 0: channels 2 and 3 at all 12 positions.
    const members = Array.from({ length: 12 }, (_, p) => [got[p * 6 + 2]!, got[p * 6 + 3]!]).flat();
    const mean = members.reduce((a, b) => a + b, 0) / members.length;
    const variance = members.reduce((a, b) => a + (b - mean) ** 2, 0) / members.length;
    expect(Math.abs(mean)).toBeLessThan(1e-6);
    expect(variance).toBeCloseTo(1, 4);
  });

  it('names bad arguments', () => {
    const s = tf.ones([6]) as tf.Tensor1D;
    expect(() => groupNorm(tf.zeros([2, 6]), s, s, 4)).toThrow(
      /groups must be a positive integer dividing the 6/,
    );
    expect(() => groupNorm(tf.zeros([2, 2, 6]), s, s, 2)).toThrow(/x must be \[B, H, W, C\] or \[B, C\]/);
  });
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`pooling and fast convolution on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    const x = testValues([2, 6, 4, 3], 0.53, 0.9);
    const pooledW = testValues([2, 3, 2, 3], 1.9, 0.3);
    const upW = testValues([2, 12, 8, 3], 0.77, -0.6);

    it('avgPool2 matches the host definition, and its gradient matches float64 finite differences', () => {
      const got = tf.tidy(() => Array.from(avgPool2(toTensor(x)).dataSync()));
      expect(relativeError(got, hostAvgPool2(x).data)).toBeLessThan(1e-6);
      // L = Σ w ⊙ pool(x)²
      const hostL = (v: Float64Array) =>
        hostAvgPool2({ shape: x.shape, data: v }).data.reduce((s, y, i) => s + pooledW.data[i]! * y * y, 0);
      const g = tf.tidy(() =>
        Array.from(
          tf
            .grad((v: tf.Tensor) => tf.sum(tf.mul(tf.square(avgPool2(v as tf.Tensor4D)), toTensor(pooledW))))(
              toTensor(x),
            )
            .dataSync(),
        ),
      );
      expect(relativeError(g, fdGradient(hostL, x.data))).toBeLessThan(1e-5);
    });

    it('upsample2 matches the host definition, and its gradient matches float64 finite differences', () => {
      const got = tf.tidy(() => Array.from(upsample2(toTensor(x)).dataSync()));
      expect(relativeError(got, hostUpsample2(x).data)).toBe(0);
      const hostL = (v: Float64Array) =>
        hostUpsample2({ shape: x.shape, data: v }).data.reduce((s, y, i) => s + upW.data[i]! * y * y, 0);
      const g = tf.tidy(() =>
        Array.from(
          tf
            .grad((v: tf.Tensor) => tf.sum(tf.mul(tf.square(upsample2(v as tf.Tensor4D)), toTensor(upW))))(
              toTensor(x),
            )
            .dataSync(),
        ),
      );
      expect(relativeError(g, fdGradient(hostL, x.data))).toBeLessThan(1e-5);
    });

    it('conv2dStride1 equals core conv2d in value and in both gradients (3×3 and 4×4 filters)', () => {
      for (const k of [3, 4]) {
        const w = testValues([k, k, 3, 5], 0.37, 0.2, 0.5);
        const dy = testValues([2, 6, 4, 5], 1.1, 0.4);
        const run = (f: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D) =>
          tf.tidy(() => {
            const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
              tf.sum(tf.mul(f(a as tf.Tensor4D, b as tf.Tensor4D), toTensor(dy))),
            )([toTensor(x), toTensor(w)]);
            return [f(toTensor(x), toTensor(w)), gx!, gw!].map((r) => Array.from(r.dataSync()));
          });
        const fast = run((a, b) => conv2dStride1(a, b, 'same'));
        const core = run((a, b) => conv2d(a, b, 1, 'same'));
        for (const i of [0, 1, 2]) expect(relativeError(fast[i]!, core[i]!)).toBeLessThan(1e-5);
      }
    });

    it('addBias has the gradient of a broadcast add', () => {
      const y = testValues([3, 2, 4], 0.9, 0.1);
      const b = testValues([4], 1.3, 0.5);
      const w = testValues([3, 2, 4], 0.4, 0.2);
      const run = (f: (a: tf.Tensor, c: tf.Tensor) => tf.Tensor) =>
        tf.tidy(() =>
          tf
            .grads((a: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(tf.square(f(a, c)), toTensor(w))))([
              toTensor(y),
              toTensor(b),
            ])
            .map((g) => Array.from(g.dataSync())),
        );
      const got = run((a, c) => addBias(a, c as tf.Tensor1D));
      const want = run((a, c) => tf.add(a, c));
      expect(relativeError(got[0]!, want[0]!)).toBeLessThan(1e-6);
      expect(relativeError(got[1]!, want[1]!)).toBeLessThan(1e-6);
    });

    it('names bad arguments', () => {
      expect(() => avgPool2(tf.zeros([1, 3, 4, 1]) as tf.Tensor4D)).toThrow(
        /height and width must be even, got 3×4/,
      );
      expect(() => upsample2(tf.zeros([1, 3]) as unknown as tf.Tensor4D)).toThrow(/x must be \[B, H, W, C\]/);
      expect(() =>
        conv2dStride1(tf.zeros([1, 3, 3, 2]) as tf.Tensor4D, tf.zeros([3, 3, 1, 1]) as tf.Tensor4D),
      ).toThrow(/x has 2 channels but w expects 1/);
      expect(() => addBias(tf.zeros([2, 3]), tf.zeros([2]) as tf.Tensor1D)).toThrow(/b must be \[3\]/);
    });
  });
}
