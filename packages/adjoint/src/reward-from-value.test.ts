import { initBackend, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { rewardFromValue } from './reward-from-value.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('rewardFromValue', () => {
  it('gives the per-row gradient by autodiff (r(x) = sin x₁ · x₂², against finite differences)', () => {
    const reward = rewardFromValue('sin-square', (x) =>
      tf.tidy(() =>
        tf.mul(tf.sin(tf.slice(x, [0, 0], [-1, 1])), tf.square(tf.slice(x, [0, 1], [-1, 1]))).reshape([-1]),
      ),
    );
    const xs = Float64Array.from(new Rng(8).normalFloat32(5 * 2));
    const x = tf.tensor2d(Float32Array.from(xs), [5, 2]);
    const gradient = reward.gradient(x);
    const host = (y: Float64Array) => {
      let s = 0;
      for (let b = 0; b < 5; b++) s += Math.sin(y[2 * b]!) * y[2 * b + 1]! ** 2;
      return s;
    };
    expect(relativeError(gradient.dataSync(), fdGradient(host, xs))).toBeLessThan(1e-5);
    tf.dispose([x, gradient]);
  });

  it('checks that value returns one number per row', () => {
    const reward = rewardFromValue('wide', (x) => x as unknown as tf.Tensor1D);
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => reward.value(x)).toThrow(
      /reward wide: value\(x\) must return a \[B\] tensor with one reward per row \(B = 3\), got a float32 tensor of shape \[3, 2\]/,
    );
    expect(() => reward.gradient(x)).toThrow(/reward wide: value\(x\) must return a \[B\] tensor/);
    expect(() => rewardFromValue('', (u) => tf.sum(u, 1))).toThrow(/name must be a non-empty string/);
    x.dispose();
  });
});
