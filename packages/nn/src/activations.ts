import { ACTIVATIONS, customOp, tf } from '@bridgekit/core';
import type { GraphActivation } from './graph.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_LAMBDA = 1.0507009873554805;

type Unary = (x: tf.Tensor) => tf.Tensor;

/**
 * e^x whose gradient is e^x recomputed from the input by this same op, so every order of
 * derivative is right (TensorFlow.js's Exp gradient reuses the saved output, which breaks the
 * second order; see environment.md).
 */
const expFromInput: Unary = customOp(([x], save) => {
  save([x!]);
  return { value: tf.exp(x!), gradFunc: (dy, saved) => [tf.mul(dy, expFromInput(saved[0]!))] };
});

/**
 * SELU (Klambauer et al. 2017): λ·x for x > 0 and λα(eˣ − 1) otherwise, with α ≈ 1.67326 and
 * λ ≈ 1.05070, written as λ·(relu(x) + α(e^{−relu(−x)} − 1)) so that its first and second
 * derivatives are exact (relu differentiates from its input; the exponential recomputes itself
 * from its input). TorchCFM's 2-D "MLP 3×64" uses it.
 */
export function selu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    // min(x, 0) as −relu(−x): tf.minimum's gradient uses LessEqual, which has no gradient itself.
    const negative = tf.mul(SELU_ALPHA, tf.sub(expFromInput(tf.neg(tf.relu(tf.neg(x)))), 1));
    return tf.mul(SELU_LAMBDA, tf.add(tf.relu(x), negative)) as T;
  });
}

/** The activation names a graph may use: core's (second-order safe) plus `selu`. */
export const GRAPH_ACTIVATIONS: readonly GraphActivation[] = [
  ...(Object.keys(ACTIVATIONS) as GraphActivation[]),
  'selu',
];

/** Looks up a graph activation by name; a RangeError lists the valid names. */
export function graphActivation(name: string): <T extends tf.Tensor>(x: T) => T {
  if (name === 'selu') return selu;
  const fn = (ACTIVATIONS as Record<string, <T extends tf.Tensor>(x: T) => T>)[name];
  if (fn === undefined) {
    throw new RangeError(`activation must be one of ${GRAPH_ACTIVATIONS.join(', ')}; got '${name}'`);
  }
  return fn;
}
