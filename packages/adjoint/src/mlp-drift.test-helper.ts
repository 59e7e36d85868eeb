/**
 * A small fixed nonlinear drift for gradient tests: b(x, t) = silu(tanh(x W₁ + t u + c₁) W₂ + c₂) W₃,
 * as a tfjs function (second-order-safe ops of @bridgekit/core) and as a float64 host twin with the
 * same (float32-rounded) weights, for finite differences.
 */
import { dense, Rng, silu, tanh, tf } from '@bridgekit/core';

export interface MlpDrift {
  readonly dim: number;
  /** The drift on a [B, D] batch, float32. */
  drift(x: tf.Tensor2D, t: number): tf.Tensor2D;
  /** The same drift on one row-major [B·D] array, float64. */
  host(x: Float64Array, t: number): Float64Array;
}

export function mlpDrift(dim: number, hidden: number, seed: number): MlpDrift {
  const rng = new Rng(seed);
  const draw = (n: number, scale: number) => Float32Array.from(rng.normalFloat32(n), (v) => v * scale);
  const w1 = draw(dim * hidden, 1 / Math.sqrt(dim));
  const u = draw(hidden, 1);
  const c1 = draw(hidden, 0.3);
  const w2 = draw(hidden * hidden, 1 / Math.sqrt(hidden));
  const c2 = draw(hidden, 0.3);
  const w3 = draw(hidden * dim, 1 / Math.sqrt(hidden));
  const affine = (
    x: Float64Array,
    rows: number,
    w: Float32Array,
    inDim: number,
    outDim: number,
    add: (j: number) => number,
  ) => {
    const out = new Float64Array(rows * outDim);
    for (let b = 0; b < rows; b++)
      for (let j = 0; j < outDim; j++) {
        let s = add(j);
        for (let i = 0; i < inDim; i++) s += x[b * inDim + i]! * w[i * outDim + j]!;
        out[b * outDim + j] = s;
      }
    return out;
  };
  return {
    dim,
    drift(x: tf.Tensor2D, t: number): tf.Tensor2D {
      return tf.tidy(() => {
        const pre1 = tf.add(
          dense(x, tf.tensor2d(w1, [dim, hidden]), tf.tensor1d(c1)),
          tf.mul(tf.tensor1d(u), t),
        );
        const h1 = tanh(pre1 as tf.Tensor2D);
        const h2 = silu(dense(h1, tf.tensor2d(w2, [hidden, hidden]), tf.tensor1d(c2)));
        return dense(h2, tf.tensor2d(w3, [hidden, dim]));
      });
    },
    host(x: Float64Array, t: number): Float64Array {
      const rows = x.length / dim;
      const h1 = affine(x, rows, w1, dim, hidden, (j) => c1[j]! + t * u[j]!).map(Math.tanh);
      const h2 = affine(h1, rows, w2, hidden, hidden, (j) => c2[j]!).map((z) => z / (1 + Math.exp(-z)));
      return affine(h2, rows, w3, hidden, dim, () => 0);
    },
  };
}
