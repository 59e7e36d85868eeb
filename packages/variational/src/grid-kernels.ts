import { cholesky, inv, Matrix } from '@bridgekit/core';
import type { LinearSde } from '@bridgekit/sde';

/**
 * The exact forward kernels x_{t_k} | x_0 ~ N(M_k x_0, Σ_k) of a linear SDE on a time grid, with the
 * Cholesky factor L_k and L_k^{−T} that the closed-form DSM target needs (algorithms.md §2.2, §1.2).
 */
export interface GridKernels {
  readonly times: Float64Array;
  /** M_k = Φ(t_k, 0). */
  readonly mean: readonly Matrix[];
  /** Σ_k = Cov(x_{t_k} | x_0) (includes Φ Cov(X_0) Φᵀ for a partly random start, e.g. CLD's velocity). */
  readonly cov: readonly Matrix[];
  /** L_k, lower triangular, L_k L_kᵀ = Σ_k. */
  readonly chol: readonly Matrix[];
  /** L_k^{−T}: the conditional score of x = M x₀ + L ε is −L^{−T} ε (§9 T6). */
  readonly cholInvT: readonly Matrix[];
}

/**
 * Composes the SDE's exact transitions along the increasing grid `times` (first time > 0): M_k =
 * Φ(t_k, t_{k−1}) M_{k−1}, Σ_k = Φ Σ_{k−1} Φᵀ + Q(t_k, t_{k−1}), starting from Φ(t_0, 0) and
 * Φ(t_0, 0) Cov(X_0) Φ(t_0, 0)ᵀ + Q(t_0, 0). Each transition uses the SDE's own method (time change
 * when exact, Van Loan otherwise), so a time-varying A_t is never collapsed into one exponential (§9 T4).
 */
export function gridKernels(sde: LinearSde, times: ArrayLike<number>): GridKernels {
  const K = times.length;
  if (K < 1) throw new RangeError('gridKernels: times must hold at least one time');
  for (let k = 0; k < K; k++) {
    const t = times[k]!;
    const prev = k === 0 ? 0 : times[k - 1]!;
    if (!Number.isFinite(t) || t <= prev) {
      throw new RangeError(
        `gridKernels: times must increase strictly from above 0, got times[${k}] = ${t} after ${prev}`,
      );
    }
  }
  const mean: Matrix[] = [];
  const cov: Matrix[] = [];
  const chol: Matrix[] = [];
  const cholInvT: Matrix[] = [];
  let m = Matrix.eye(sde.blocks);
  let s = sde.initialCov();
  let prev = 0;
  for (let k = 0; k < K; k++) {
    const t = times[k]!;
    const { phi, cov: q } = sde.transition(prev, t);
    m = phi.mul(m);
    s = phi.mul(s).mul(phi.transpose()).add(q).symmetrize();
    const l = cholesky(s, { jitter: 1e-12 * Math.max(s.trace() / sde.blocks, 1e-300) });
    mean.push(m);
    cov.push(s);
    chol.push(l);
    cholInvT.push(inv(l).transpose());
    prev = t;
  }
  return { times: Float64Array.from(times), mean, cov, chol, cholInvT };
}
