import { Matrix } from '@bridgekit/core';
import { marginal } from './marginal.js';
import { psdCholesky, roundingTolerance } from './psd-cholesky.js';
import type { LinearGaussianSde } from './sde.js';
import { requireFinite, requirePositive } from './validate.js';

/**
 * A Gaussian mixture Σ_k w_k N(μ_k, C_k) on R^D (data for tests, the quickstart and exact-score checks).
 * Weights are positive and normalized by their sum; covariances are symmetric positive semidefinite.
 */
export interface GaussianMixture {
  readonly weights: readonly number[];
  readonly means: readonly (readonly number[])[];
  readonly covs: readonly (readonly (readonly number[])[])[];
}

/** The mixture's dimension D after checking its shape and values (TypeError/RangeError naming the field). */
export function checkMixture(where: string, mixture: GaussianMixture): number {
  const { weights, means, covs } = mixture;
  const k = weights.length;
  if (k === 0) throw new RangeError(`${where}: mixture.weights must have at least one entry, got []`);
  if (means.length !== k || covs.length !== k) {
    throw new RangeError(
      `${where}: mixture.weights, means and covs must have one entry per component, got ${k}, ${means.length} and ${covs.length}`,
    );
  }
  for (const [i, w] of weights.entries()) requirePositive(where, `mixture.weights[${i}]`, w);
  const d = means[0]!.length;
  if (d === 0) throw new RangeError(`${where}: mixture.means[0] must have at least one coordinate, got []`);
  for (let c = 0; c < k; c++) {
    const mean = means[c]!;
    if (mean.length !== d)
      throw new RangeError(`${where}: mixture.means[${c}] has length ${mean.length}, expected ${d}`);
    for (const [i, v] of mean.entries()) requireFinite(where, `mixture.means[${c}][${i}]`, v);
    const cov = covs[c]!;
    if (cov.length !== d || cov.some((row) => row.length !== d)) {
      throw new RangeError(`${where}: mixture.covs[${c}] must be ${d}×${d}`);
    }
    const m = Matrix.from(cov);
    for (const [i, v] of m.data.entries())
      requireFinite(where, `mixture.covs[${c}][${Math.floor(i / d)}][${i % d}]`, v);
    const asymmetry = m.sub(m.transpose()).maxAbs();
    if (asymmetry > 1e-12 * Math.max(1, m.maxAbs())) {
      throw new RangeError(`${where}: mixture.covs[${c}] must be symmetric, got max |C − Cᵀ| = ${asymmetry}`);
    }
    psdCholesky(m, roundingTolerance(m), `${where}: mixture.covs[${c}]`);
  }
  return d;
}

/** A ⊗ I_m: the D×D matrix with which an n×n linear-SDE matrix acts on a state of n blocks of m coordinates. */
export function kronEye(a: Matrix, m: number): Matrix {
  const n = a.rows;
  const d = n * m;
  const out = new Matrix(d, d);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const v = a.get(i, k);
      if (v === 0) continue;
      for (let j = 0; j < m; j++) out.data[(i * m + j) * d + k * m + j] = v;
    }
  return out;
}

/**
 * The law at time t of X_t when X_0 is the mixture and X follows a linear SDE: component k becomes
 * N((Φ⊗I)μ_k, (Φ⊗I)C_k(Φ⊗I)ᵀ + Σ_t⊗I) with Φ = Φ(t,0), Σ_t of {@link marginal} (algorithms.md §1.2; for
 * blocks = 1: N(Φμ_k, Φ²C_k + Σ_t I)). D must be a multiple of `sde.blocks`.
 */
export function pushForwardMixture(
  sde: LinearGaussianSde,
  mixture: GaussianMixture,
  t: number,
): GaussianMixture {
  const d = checkMixture('pushForwardMixture', mixture);
  if (d % sde.blocks !== 0) {
    throw new RangeError(
      `pushForwardMixture: the mixture dimension ${d} must be a multiple of ${sde.name}'s blocks = ${sde.blocks}`,
    );
  }
  const { phi, cov } = marginal(sde, t);
  const m = d / sde.blocks;
  const k = kronEye(phi, m);
  const noise = kronEye(cov, m);
  const total = mixture.weights.reduce((a, b) => a + b, 0);
  return {
    weights: mixture.weights.map((w) => w / total),
    means: mixture.means.map((mu) =>
      k
        .mul(Matrix.from(mu.map((v) => [v])))
        .toArray()
        .map((row) => row[0]!),
    ),
    covs: mixture.covs.map((c) => k.mul(Matrix.from(c)).mul(k.transpose()).add(noise).symmetrize().toArray()),
  };
}

/** The overall mean Σ w_kμ_k and covariance Σ w_k(C_k + μ_kμ_kᵀ) − μμᵀ of a mixture (law of total variance). */
export function mixtureMoments(mixture: GaussianMixture): { mean: number[]; cov: number[][] } {
  const d = checkMixture('mixtureMoments', mixture);
  const total = mixture.weights.reduce((a, b) => a + b, 0);
  const mean = new Array<number>(d).fill(0);
  const second = Matrix.zeros(d);
  mixture.weights.forEach((w, c) => {
    const p = w / total;
    const mu = mixture.means[c]!;
    const cov = mixture.covs[c]!;
    for (let i = 0; i < d; i++) {
      mean[i]! += p * mu[i]!;
      for (let j = 0; j < d; j++) second.data[i * d + j]! += p * (cov[i]![j]! + mu[i]! * mu[j]!);
    }
  });
  const cov = second.toArray().map((row, i) => row.map((v, j) => v - mean[i]! * mean[j]!));
  return { mean, cov };
}
