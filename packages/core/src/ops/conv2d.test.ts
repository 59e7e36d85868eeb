import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { fdGradient, relativeError } from '../testing/finite-difference.js';
import { tf } from '../tf.js';
import { type Conv2dPadding, conv2d } from './conv2d.js';

interface Case {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  padding: Conv2dPadding;
}

const CASES: Case[] = [
  { n: 2, h: 5, w: 5, cin: 2, cout: 3, k: 3, stride: 1, padding: 'same' },
  { n: 2, h: 6, w: 5, cin: 2, cout: 2, k: 3, stride: 2, padding: 'same' },
  { n: 1, h: 7, w: 6, cin: 3, cout: 2, k: 3, stride: 2, padding: 'valid' },
  { n: 2, h: 4, w: 4, cin: 1, cout: 2, k: 2, stride: 1, padding: 'valid' },
];

/** Float64 NHWC/HWIO convolution with TensorFlow's padding rule, the reference. */
function hostConv(c: Case, x: Float64Array, w: Float64Array): { y: Float64Array; ho: number; wo: number } {
  const out = (size: number) =>
    c.padding === 'same' ? Math.ceil(size / c.stride) : Math.floor((size - c.k) / c.stride) + 1;
  const ho = out(c.h);
  const wo = out(c.w);
  const pad = (size: number, o: number) =>
    c.padding === 'same' ? Math.floor(Math.max((o - 1) * c.stride + c.k - size, 0) / 2) : 0;
  const ph = pad(c.h, ho);
  const pw = pad(c.w, wo);
  const y = new Float64Array(c.n * ho * wo * c.cout);
  for (let b = 0; b < c.n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let o = 0; o < c.cout; o++) {
          let s = 0;
          for (let di = 0; di < c.k; di++)
            for (let dj = 0; dj < c.k; dj++) {
              const r = i * c.stride + di - ph;
              const q = j * c.stride + dj - pw;
              if (r < 0 || r >= c.h || q < 0 || q >= c.w) continue;
              for (let ci = 0; ci < c.cin; ci++)
                s +=
                  x[((b * c.h + r) * c.w + q) * c.cin + ci]! *
                  w[((di * c.k + dj) * c.cin + ci) * c.cout + o]!;
            }
          y[((b * ho + i) * wo + j) * c.cout + o] = s;
        }
  return { y, ho, wo };
}

const fill = (len: number, a: number, b: number) =>
  Float64Array.from({ length: len }, (_, i) => Math.sin(a * i + b));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`conv2d on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });

    for (const c of CASES) {
      const label = `${c.h}×${c.w}, k${c.k}, stride ${c.stride}, ${c.padding}`;
      const x = fill(c.n * c.h * c.w * c.cin, 0.9, 0.3);
      const w = fill(c.k * c.k * c.cin * c.cout, 1.7, -0.5);
      const { y: yHost, ho, wo } = hostConv(c, x, w);
      const weights = fill(yHost.length, 0.37, 1.1);
      // L = Σ weights ⊙ conv(x, w)²: quadratic, so finite differences in float64 are near-exact.
      const hostLoss = (which: 'x' | 'w') => (v: Float64Array) => {
        const { y } = hostConv(c, which === 'x' ? v : x, which === 'w' ? v : w);
        return y.reduce((s, yi, i) => s + weights[i]! * yi * yi, 0);
      };
      const loss = (xt: tf.Tensor, wt: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.square(conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, c.stride, c.padding)),
            tf.tensor4d(Float32Array.from(weights), [c.n, ho, wo, c.cout]),
          ),
        );
      const xt = () => tf.tensor4d(Float32Array.from(x), [c.n, c.h, c.w, c.cin]);
      const wt = () => tf.tensor4d(Float32Array.from(w), [c.k, c.k, c.cin, c.cout]);

      it(`${label}: value matches the float64 reference`, () => {
        const y = tf.tidy(() => conv2d(xt(), wt(), c.stride, c.padding).dataSync());
        expect(relativeError(y, yHost)).toBeLessThan(1e-5);
      });

      it(`${label}: input and filter gradients match float64 finite differences`, () => {
        const [gx, gw] = tf.tidy(() =>
          tf
            .grads(loss)([xt(), wt()])
            .map((g) => g.dataSync()),
        );
        expect(relativeError(gx!, fdGradient(hostLoss('x'), x, 1e-4))).toBeLessThan(5e-5);
        expect(relativeError(gw!, fdGradient(hostLoss('w'), w, 1e-4))).toBeLessThan(5e-5);
      });
    }

    it('names the argument on bad input', () => {
      expect(() => conv2d(tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 3, 1]))).toThrow(
        /2 channels but w expects 3/,
      );
      expect(() => conv2d(tf.zeros([1, 4, 4, 2]), tf.zeros([3, 3, 2, 1]), 0)).toThrow(
        /stride must be a positive integer/,
      );
    });
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`conv2d second order (stride 1) on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });
    it('the mixed derivative ∂/∂x ⟨∂L/∂w, v⟩ of L = Σ conv(x, w)² matches its closed form', () => {
      // For L = ½‖conv(x, w)‖², ∂L/∂w = convᵀ_x(conv(x, w)); the directional derivative of
      // ⟨∂L/∂w, v⟩ in x is linear, so finite differences of the first-order tfjs gradient are exact
      // up to float32 rounding.
      const c = CASES[0]!;
      const x = fill(c.n * c.h * c.w * c.cin, 0.9, 0.3);
      const w = fill(c.k * c.k * c.cin * c.cout, 1.7, -0.5);
      const v = fill(w.length, 2.1, 0.2);
      const inner = (xv: Float64Array) => {
        // ⟨∂L/∂w, v⟩ = ⟨conv(x, w), conv(x, v)⟩ for L = ½‖conv(x, w)‖².
        const a = hostConv(c, xv, w).y;
        const b = hostConv(c, xv, v).y;
        return a.reduce((s, ai, i) => s + ai * b[i]!, 0);
      };
      const mixed = tf.tidy(() => {
        const wt = tf.tensor4d(Float32Array.from(w), [c.k, c.k, c.cin, c.cout]);
        const vt = tf.tensor4d(Float32Array.from(v), [c.k, c.k, c.cin, c.cout]);
        const gradW = (xt: tf.Tensor) =>
          tf.grad((ww: tf.Tensor) =>
            tf.mul(0.5, tf.sum(tf.square(conv2d(xt as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.padding)))),
          )(wt);
        return tf
          .grad((xt: tf.Tensor) => tf.sum(tf.mul(gradW(xt), vt)))(
            tf.tensor4d(Float32Array.from(x), [c.n, c.h, c.w, c.cin]),
          )
          .dataSync();
      });
      expect(relativeError(mixed, fdGradient(inner, x, 1e-4))).toBeLessThan(5e-5);
    });
  });
}
