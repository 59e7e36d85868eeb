import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { fdGradient, fdHessianVector, relativeError } from '../testing/finite-difference.js';
import { tf } from '../tf.js';
import { silu } from './activations.js';
import { dense, matmul } from './matmul.js';

const B = 3;
const IN = 4;
const OUT = 2;
const X = Float64Array.from({ length: B * IN }, (_, i) => Math.sin(1.3 * i + 0.2));
const W = Float64Array.from({ length: IN * OUT }, (_, i) => Math.cos(0.7 * i - 0.4) * 0.8);
const BIAS = Float64Array.of(0.1, -0.3);
const C = Float64Array.from({ length: B * OUT }, (_, i) => 0.5 + 0.25 * i);

/** L(x, W) = Σ c ⊙ silu(xW + b), in float64 on the host; `which` selects the argument to vary. */
function hostLoss(which: 'x' | 'w'): (v: Float64Array) => number {
  return (v) => {
    const x = which === 'x' ? v : X;
    const w = which === 'w' ? v : W;
    let s = 0;
    for (let i = 0; i < B; i++)
      for (let j = 0; j < OUT; j++) {
        let z = BIAS[j]!;
        for (let k = 0; k < IN; k++) z += x[i * IN + k]! * w[k * OUT + j]!;
        s += C[i * OUT + j]! * (z / (1 + Math.exp(-z)));
      }
    return s;
  };
}

const f32 = (a: Float64Array) => Float32Array.from(a);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`matmul and dense on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    const loss = (x: tf.Tensor, w: tf.Tensor) =>
      tf.sum(
        tf.mul(
          silu(dense(x as tf.Tensor2D, w as tf.Tensor2D, tf.tensor1d(f32(BIAS)))),
          tf.tensor2d(f32(C), [B, OUT]),
        ),
      );
    const x0 = () => tf.tensor2d(f32(X), [B, IN]);
    const w0 = () => tf.tensor2d(f32(W), [IN, OUT]);

    it('matches tf.matMul in value', () => {
      const [a, b] = tf.tidy(() => [matmul(x0(), w0()).dataSync(), tf.matMul(x0(), w0()).dataSync()]);
      expect(relativeError(a!, b!)).toBeLessThan(1e-7);
    });

    it('first-order gradients in x and W match float64 finite differences', () => {
      const [gx, gw] = tf.tidy(() =>
        tf
          .grads(loss)([x0(), w0()])
          .map((g) => g.dataSync()),
      );
      expect(relativeError(gx!, fdGradient(hostLoss('x'), X))).toBeLessThan(2e-5);
      expect(relativeError(gw!, fdGradient(hostLoss('w'), W))).toBeLessThan(2e-5);
    });

    it('second-order: Hessian-vector products in x and in W match float64 finite differences', () => {
      const vx = Float64Array.from({ length: X.length }, (_, i) => ((i % 3) - 1) * 0.7 + 0.1);
      const vw = Float64Array.from({ length: W.length }, (_, i) => ((i % 4) - 1.5) * 0.5);
      const hx = tf.tidy(() => {
        const w = w0();
        const gradX = (x: tf.Tensor) => tf.grad((xx: tf.Tensor) => loss(xx, w))(x);
        return tf
          .grad((x: tf.Tensor) => tf.sum(tf.mul(gradX(x), tf.tensor2d(f32(vx), [B, IN]))))(x0())
          .dataSync();
      });
      const hw = tf.tidy(() => {
        const x = x0();
        const gradW = (w: tf.Tensor) => tf.grad((ww: tf.Tensor) => loss(x, ww))(w);
        return tf
          .grad((w: tf.Tensor) => tf.sum(tf.mul(gradW(w), tf.tensor2d(f32(vw), [IN, OUT]))))(w0())
          .dataSync();
      });
      expect(relativeError(hx, fdHessianVector(hostLoss('x'), X, vx))).toBeLessThan(5e-5);
      expect(relativeError(hw, fdHessianVector(hostLoss('w'), W, vw))).toBeLessThan(5e-5);
    });

    it('rejects mismatched shapes with both shapes in the message', () => {
      expect(() => matmul(tf.zeros([2, 3]), tf.zeros([2, 3]))).toThrow(/2×3 · 2×3/);
    });
  });
}
