import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-grad.js';

/**
 * Activations whose gradients are recomputed from the input.
 *
 * TensorFlow.js's built-in gradients for sigmoid, tanh, exp and elu reuse the saved forward output,
 * and the second-order gradient through that saved output is wrong (x·sigmoid(x) gives
 * SiLU''(0.5) = 0.470 instead of 0.441). Adjoint methods need vector–Jacobian products inside a
 * loss, so every activation here computes its derivative from x with differentiable ops; the
 * derivative's own gradient is then correct, and finite-difference tests check both orders.
 */
type Unary = (x: tf.Tensor) => tf.Tensor;

function unaryWithGrad(forward: Unary, derivative: Unary): <T extends tf.Tensor>(x: T) => T {
  const op = customOp<tf.Tensor>(([x], save) => {
    save([x!]);
    return {
      value: forward(x!),
      gradFunc: (dy, saved) => [tf.mul(dy, derivative(saved[0]!))],
    };
  });
  return <T extends tf.Tensor>(x: T) => op(x) as T;
}

/** Logistic sigmoid σ(x) = 1/(1 + e^{−x}); σ' = σ(1 − σ) recomputed from x. */
export const sigmoid = unaryWithGrad(
  (x) => tf.sigmoid(x),
  (x) => {
    const s = sigmoid(x);
    return tf.mul(s, tf.sub(1, s));
  },
);

/** SiLU (swish) x·σ(x); derivative σ(x)(1 + x(1 − σ(x))). */
export const silu = unaryWithGrad(
  (x) => tf.mul(x, tf.sigmoid(x)),
  (x) => {
    const s = sigmoid(x);
    return tf.mul(s, tf.add(1, tf.mul(x, tf.sub(1, s))));
  },
);

/** Hyperbolic tangent; derivative 1 − tanh²(x) recomputed from x. */
export const tanh = unaryWithGrad(
  (x) => tf.tanh(x),
  (x) => tf.sub(1, tf.square(tanh(x))),
);

/** Softplus log(1 + e^x), computed stably; derivative σ(x). */
export const softplus = unaryWithGrad(
  (x) => tf.softplus(x),
  (x) => sigmoid(x),
);

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Exact (erf) GELU x·Φ(x); derivative Φ(x) + x·φ(x). */
export const gelu = unaryWithGrad(
  (x) => tf.mul(x, normalCdf(x)),
  (x) => tf.add(normalCdf(x), tf.mul(x, normalPdf(x))),
);

function normalCdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, INV_SQRT2))));
}

function normalPdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(INV_SQRT_2PI, tf.exp(tf.mul(-0.5, tf.square(x))));
}

/** Names of the activations shipped by bridgekit, each second-order safe. */
export const ACTIVATIONS = { silu, sigmoid, tanh, softplus, gelu } as const;
export type ActivationName = keyof typeof ACTIVATIONS;

/** Looks an activation up by name, with an error that lists the valid names. */
export function activation(name: string): <T extends tf.Tensor>(x: T) => T {
  const fn = (ACTIVATIONS as Record<string, <T extends tf.Tensor>(x: T) => T>)[name];
  if (fn === undefined) {
    throw new RangeError(`activation must be one of ${Object.keys(ACTIVATIONS).join(', ')}; got '${name}'`);
  }
  return fn;
}
