import { cholesky, Matrix, type Rng } from '@bridgekit/core';
import type { VariationalFamily } from './family.js';

/**
 * Where backward trajectories start at t = 1:
 * - 'reference': the Schrödinger bridge's prior, the base process's stationary law (N(0, I) for VSDM,
 *   N(0, diag(I, M·I)) for VSMD). The official code starts the trajectories of the forward update
 *   here: the mismatch between this prior and the forward process's terminal law is what drives A
 *   (with an exact backward network and ζ = 1, trajectories from the process's own terminal law
 *   leave the forward objective stationary at every A);
 * - 'adaptive' (the official code's sampling prior, algorithms.md §2.6): N(0, Σ₁), the forward
 *   kernel's noise part;
 * - 'moment-matched': N(M₁μ, M₁CM₁ᵀ + Σ₁) with μ, C the training data's mean and covariance: the exact
 *   terminal law when the data are Gaussian, and the right first two moments always. It matters when
 *   M₁ is far from 0 (β_max 10 keeps 15% of the data's scale), where N(0, Σ₁) biases the ODE's samples.
 */
export type PriorKind = 'reference' | 'adaptive' | 'moment-matched';

/** Mean and covariance of the training data (normalised coordinates), saved with the model. */
export interface DataMoments {
  readonly mean: number[];
  readonly cov: number[][];
}

/** The data's mean and (population) covariance, n × d row-major. */
export function dataMoments(points: Float32Array, dim: number): DataMoments {
  const n = points.length / dim;
  const mean = new Array<number>(dim).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j]! += points[i * dim + j]! / n;
  const cov = Array.from({ length: dim }, () => new Array<number>(dim).fill(0));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const da = points[i * dim + a]! - mean[a]!;
      for (let b = 0; b < dim; b++) cov[a]![b]! += (da * (points[i * dim + b]! - mean[b]!)) / n;
    }
  }
  return { mean, cov };
}

/** A Gaussian N(mean, chol·cholᵀ) on the state. */
export interface StatePrior {
  readonly mean: Float64Array;
  readonly chol: Matrix;
}

/**
 * The prior at t = 1 from the forward kernel (M₁, Σ₁ of the whole state) and, for 'moment-matched',
 * the data moments lifted to the state (x ↦ x, or (x, 0) with the velocity's own spread in Σ₁).
 */
export function statePrior<P>(
  family: VariationalFamily<P>,
  kind: PriorKind,
  m1: Matrix,
  s1: Matrix,
  moments: DataMoments | undefined,
): StatePrior {
  const D = family.stateDim;
  if (kind === 'reference') return { mean: new Float64Array(D), chol: cholesky(family.referencePriorCov) };
  if (kind === 'adaptive') return { mean: new Float64Array(D), chol: cholesky(s1) };
  if (moments === undefined) throw new Error("statePrior: 'moment-matched' needs the data moments");
  const d = family.dataDim;
  const mean0 = new Float64Array(D);
  family.lift(Float32Array.from(moments.mean), mean0);
  const cov0 = Matrix.zeros(D).withBlock(0, 0, Matrix.from(moments.cov));
  const meanMat = m1.mul(new Matrix(D, 1, mean0));
  const cov = m1.mul(cov0).mul(m1.transpose()).add(s1).symmetrize();
  if (d > D) throw new Error('statePrior: data dimension exceeds the state dimension');
  return {
    mean: Float64Array.from(meanMat.data),
    chol: cholesky(cov, { jitter: 1e-12 * (cov.trace() / D) }),
  };
}

/** `count` draws of a {@link StatePrior}, row-major float32. */
export function samplePrior(prior: StatePrior, count: number, rng: Rng): Float32Array {
  const D = prior.mean.length;
  const eps = rng.normal(count * D);
  const out = new Float32Array(count * D);
  for (let p = 0; p < count; p++) {
    for (let r = 0; r < D; r++) {
      let v = prior.mean[r]!;
      for (let c = 0; c <= r; c++) v += prior.chol.data[r * D + c]! * eps[p * D + c]!;
      out[p * D + r] = v;
    }
  }
  return out;
}
