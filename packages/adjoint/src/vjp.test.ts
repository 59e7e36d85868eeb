import { initBackend, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlpDrift } from './mlp-drift.test-helper.js';
import { vectorJacobianProduct } from './vjp.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('vectorJacobianProduct', () => {
  it('matches central finite differences of ⟨v, b(x, t)⟩ for a tanh/silu MLP drift (float32, 1e-4)', () => {
    const net = mlpDrift(3, 16, 41);
    const rng = new Rng(42);
    for (const t of [0.05, 0.5, 0.95]) {
      const xHost = Float64Array.from(rng.normalFloat32(5 * 3), (v) => 1.5 * v);
      const vHost = Float64Array.from(rng.normalFloat32(5 * 3));
      const x = tf.tensor2d(Float32Array.from(xHost), [5, 3]);
      const v = tf.tensor2d(Float32Array.from(vHost), [5, 3]);
      const got = vectorJacobianProduct((u) => net.drift(u, t), x, v);
      const fd = fdGradient((y) => net.host(y, t).reduce((s, b, i) => s + b * vHost[i]!, 0), xHost);
      expect(relativeError(got.dataSync(), fd)).toBeLessThan(1e-4);
      tf.dispose([x, v, got]);
    }
  });

  it('maps to a different width: the Jacobian of a [B, D] → [B, D′] map', () => {
    const x = tf.tensor2d([[1, 2, 3]]);
    const v = tf.tensor2d([[2]]);
    // f(x) = x₁x₂ + x₃², ∇f = (x₂, x₁, 2x₃)
    const f = (u: tf.Tensor2D) =>
      tf.add(
        tf.mul(tf.slice(u, [0, 0], [-1, 1]), tf.slice(u, [0, 1], [-1, 1])),
        tf.square(tf.slice(u, [0, 2], [-1, 1])),
      ) as tf.Tensor2D;
    const got = vectorJacobianProduct(f, x, v);
    expect(Array.from(got.dataSync())).toEqual([4, 2, 12]);
    tf.dispose([x, v, got]);
  });

  it('is zero for a map that ignores x (instead of tfjs’s “cannot compute gradient”)', () => {
    const x = tf.ones([2, 2]) as tf.Tensor2D;
    const got = vectorJacobianProduct(() => tf.zeros([2, 2]) as tf.Tensor2D, x, x);
    expect(Array.from(got.dataSync())).toEqual([0, 0, 0, 0]);
    tf.dispose([x, got]);
  });
});
