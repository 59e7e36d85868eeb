import { tf } from '@bridgekit/core';
import { apply, type Graph, type Params } from '@bridgekit/nn';

/** net(x, t) of a graph with the same scalar time t for every row of x. */
export function evaluateField(graph: Graph, params: Params, x: tf.Tensor2D, t: number): tf.Tensor2D {
  return tf.tidy(() => apply(graph, params, x, tf.fill([x.shape[0]], t) as tf.Tensor1D) as tf.Tensor2D);
}
