import { linearSumAssignment } from '@bridgekit/metrics';

/**
 * Minibatch optimal-transport pairing (OT-CFM, Tong et al. 2024): the permutation π minimising
 * Σ_i ‖x0_i − x1_π(i)‖², found exactly by linear assignment; returns x1 reordered so row i of the
 * result is paired with row i of x0.
 */
export function otPair(x0: Float32Array, x1: Float32Array, dim: number): Float32Array {
  const n = x0.length / dim;
  const cost = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) {
        const d = x0[i * dim + k]! - x1[j * dim + k]!;
        s += d * d;
      }
      cost[i * n + j] = s;
    }
  }
  const { rowToCol } = linearSumAssignment(cost, n);
  const paired = new Float32Array(x1.length);
  for (let i = 0; i < n; i++) paired.set(x1.subarray(rowToCol[i]! * dim, (rowToCol[i]! + 1) * dim), i * dim);
  return paired;
}
