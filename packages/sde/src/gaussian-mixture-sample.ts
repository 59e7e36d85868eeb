import { Matrix, type Rng, tf } from '@bridgekit/core';
import { checkMixture, type GaussianMixture } from './gaussian-mixture.js';
import { psdCholesky, roundingTolerance } from './psd-cholesky.js';

/**
 * n draws from Σ_k w_k N(μ_k, C_k) as a float32 [n, D] tensor: component by inverse CDF of one uniform,
 * then μ_k + L_k z with C_k = L_kL_kᵀ (semidefinite C_k allowed).
 *
 * Consumes exactly `rng.uniform(n)` then `rng.normal(n·D)`, in that order, so results are reproducible
 * from the seed; arithmetic is float64 until the final rounding.
 */
export function gaussianMixtureSample(mixture: GaussianMixture, n: number, rng: Rng): tf.Tensor2D {
  const d = checkMixture('gaussianMixtureSample', mixture);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`gaussianMixtureSample: n must be a non-negative integer, got ${n}`);
  }
  const total = mixture.weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of mixture.weights) {
    acc += w / total;
    cumulative.push(acc);
  }
  const factors = mixture.covs.map((c, k) => {
    const m = Matrix.from(c);
    return psdCholesky(m, roundingTolerance(m), `gaussianMixtureSample: mixture.covs[${k}]`);
  });
  const u = rng.uniform(n);
  const z = rng.normal(n * d);
  const out = new Float32Array(n * d);
  const last = mixture.weights.length - 1;
  for (let b = 0; b < n; b++) {
    let k = 0;
    // The last component also catches u ≥ the rounded final cumulative weight.
    while (k < last && u[b]! >= cumulative[k]!) k++;
    const mu = mixture.means[k]!;
    const l = factors[k]!;
    for (let i = 0; i < d; i++) {
      let v = mu[i]!;
      for (let j = 0; j <= i; j++) v += l.get(i, j) * z[b * d + j]!;
      out[b * d + i] = v;
    }
  }
  return tf.tensor2d(out, [n, d], 'float32');
}
