import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { fdGradient, fdHessianVector, relativeError } from '../testing/finite-difference.js';
import { tf } from '../tf.js';
import { ACTIVATIONS, activation } from './activations.js';

// Float64 host definitions: the references the float32 tfjs ops are checked against.
const erf = (x: number): number => {
  // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use the series / continued fraction via Math.
  // A high-accuracy erf: integrate the Taylor series, which converges fast for |x| < 3.
  let sum = x;
  let term = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const HOST: Record<string, (x: number) => number> = {
  silu: (x) => x * sig(x),
  sigmoid: sig,
  tanh: Math.tanh,
  softplus: (x) => Math.log1p(Math.exp(x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
};

const POINTS = Float64Array.from([-2.3, -0.9, -0.2, 0.5, 1.1, 2.7]);
const WEIGHTS = Float64Array.from([0.7, -1.3, 0.4, 1.9, -0.6, 1.1]);
const DIRECTION = Float64Array.from([0.3, -0.5, 1.0, 0.8, -0.2, 0.6]);

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`activations on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });
    afterAll(() => tf.disposeVariables());

    for (const name of Object.keys(ACTIVATIONS)) {
      const act = activation(name);
      const host = HOST[name]!;
      // L(x) = Σ w_i act(x_i): its gradient and Hessian-vector product probe act' and act''.
      const hostLoss = (x: Float64Array) => x.reduce((s, xi, i) => s + WEIGHTS[i]! * host(xi), 0);
      const loss = (x: tf.Tensor) => tf.sum(tf.mul(act(x), tf.tensor1d(Float32Array.from(WEIGHTS))));

      it(`${name}: value matches the float64 definition`, () => {
        const y = tf.tidy(() => act(tf.tensor1d(Float32Array.from(POINTS))).dataSync());
        const want = Array.from(POINTS, host);
        expect(relativeError(y, want)).toBeLessThan(2e-6);
      });

      it(`${name}: first-order gradient matches float64 finite differences`, () => {
        const g = tf.tidy(() =>
          tf
            .grad(loss)(tf.tensor1d(Float32Array.from(POINTS)))
            .dataSync(),
        );
        expect(relativeError(g, fdGradient(hostLoss, POINTS))).toBeLessThan(1e-5);
      });

      it(`${name}: second-order gradient (Hessian-vector product) matches float64 finite differences`, () => {
        const v = tf.tensor1d(Float32Array.from(DIRECTION));
        const hvp = tf.tidy(() =>
          tf
            .grad((x: tf.Tensor) => tf.sum(tf.mul(tf.grad(loss)(x), v)))(
              tf.tensor1d(Float32Array.from(POINTS)),
            )
            .dataSync(),
        );
        v.dispose();
        expect(relativeError(hvp, fdHessianVector(hostLoss, POINTS, DIRECTION))).toBeLessThan(1e-5);
      });
    }

    it('the built-in x·sigmoid(x) is the reason these exist: its second derivative is wrong', () => {
      // Documents the tfjs pitfall (SiLU''(0.5) = 0.470 instead of 0.441). If tfjs fixes it, this
      // test tells us the custom gradients are no longer needed.
      const naive = (x: tf.Tensor) => tf.sum(tf.mul(x, tf.sigmoid(x)));
      const second = tf.tidy(
        () =>
          tf
            .grad((x: tf.Tensor) => tf.sum(tf.grad(naive)(x)))(tf.tensor1d([0.5]))
            .dataSync()[0]!,
      );
      const exact = fdHessianVector((x) => HOST.silu!(x[0]!), Float64Array.of(0.5), Float64Array.of(1))[0]!;
      expect(exact).toBeCloseTo(0.4411, 3);
      expect(Math.abs(second - exact)).toBeGreaterThan(1e-3);
    });
  });
}

describe('activation()', () => {
  it('names the valid activations when the name is unknown', () => {
    expect(() => activation('relu6')).toThrow(
      /activation must be one of silu, sigmoid, tanh, softplus, gelu; got 'relu6'/,
    );
  });
});
