import { Matrix, type Rng, tf } from '@bridgekit/core';
import { type Control, simulateControlled } from './controlled-sde.js';
import type { ReferenceProcess } from './reference-process.js';

/** What {@link estimateCoupling} returns (sample moments, divisor n − 1). */
export interface CouplingEstimate {
  /** Cov(X₀, X₁), d × d (rows: X₀'s coordinates). */
  readonly cross: Matrix;
  readonly mean1: number[];
  readonly cov1: Matrix;
}

/**
 * The forward coupling of a controlled reference from the rows `x0` ([n × d], host): simulates X₁
 * with `simulateControlled` and estimates Cov(X₀, X₁) with the reference's noise share Z removed from X₁
 * as a control variate (Z has mean 0 and is independent of X₀, so Cov(X₀, X₁ − Z) = Cov(X₀, X₁) with a
 * much smaller Monte-Carlo error), and X₁'s mean and covariance.
 */
export function estimateCoupling(options: {
  readonly reference: ReferenceProcess;
  readonly control: Control;
  readonly x0: Float32Array;
  readonly dim: number;
  readonly steps: number;
  readonly rng: Rng;
}): CouplingEstimate {
  const { x0: x0Host, dim: d } = options;
  const n = x0Host.length / d;
  if (!Number.isSafeInteger(n) || n < 2) {
    throw new RangeError(
      `estimateCoupling: x0 must hold n·dim values with n ≥ 2 (dim = ${d}), got ${x0Host.length}`,
    );
  }
  const x0 = tf.tensor2d(x0Host, [n, d]);
  const path = simulateControlled({ ...options, x0, referenceNoise: true });
  const x1 = path.x1.dataSync();
  const z = path.noise!.dataSync();
  tf.dispose([x0, path.x1, path.noise!]);
  const m0 = new Array<number>(d).fill(0);
  const mean1 = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      m0[k]! += x0Host[i * d + k]! / n;
      mean1[k]! += x1[i * d + k]! / n;
    }
  }
  const cross = new Matrix(d, d);
  const cov1 = new Matrix(d, d);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) {
      const a = x0Host[i * d + r]! - m0[r]!;
      const b = x1[i * d + r]! - mean1[r]!;
      for (let c = 0; c < d; c++) {
        cross.data[r * d + c]! += (a * (x1[i * d + c]! - z[i * d + c]! - mean1[c]!)) / (n - 1);
        cov1.data[r * d + c]! += (b * (x1[i * d + c]! - mean1[c]!)) / (n - 1);
      }
    }
  }
  return { cross, mean1, cov1 };
}
