import { tf } from '@bridgekit/core';
import { apply, type Params } from './apply.js';
import type { Graph } from './graph.js';

/** Options of {@link predict}. */
export interface PredictOptions {
  /** Rows evaluated at once (default 4096); bounds peak memory for large inputs. */
  batchSize?: number;
}

/**
 * Batched inference: net(x, t) evaluated `batchSize` rows at a time and concatenated into one
 * [B, outputDim] tensor that the caller owns. No gradient is recorded beyond what the caller sets up.
 */
export function predict(
  graph: Graph,
  params: Params,
  x: tf.Tensor2D,
  t: tf.Tensor1D,
  options: PredictOptions = {},
): tf.Tensor2D {
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`predict: options.batchSize must be a positive integer, got ${batchSize}`);
  }
  const n = x.shape[0];
  if (t.rank !== 1 || t.shape[0] !== n) {
    throw new RangeError(
      `predict: t must be [B] with B = ${n} (the batch of x), got shape [${t.shape.join(', ')}]`,
    );
  }
  if (n <= batchSize) return apply(graph, params, x, t);
  const chunks: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      chunks.push(
        tf.tidy(() =>
          apply(graph, params, tf.slice(x, [start, 0], [size, -1]), tf.slice(t, [start], [size])),
        ),
      );
    }
    return tf.concat(chunks, 0);
  } finally {
    for (const c of chunks) c.dispose();
  }
}
