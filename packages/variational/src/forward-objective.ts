import { Matrix, solve } from '@bridgekit/core';
import type { Schedule } from '@bridgekit/sde';
import type { TrajectoryStatistics } from './trajectory-statistics.js';

/**
 * The SB-FBSDE forward objective restricted to a linear policy (algorithms.md §2.5 b), for any
 * linear forward SDE whose noise scale per coordinate is √β(t)·g_i:
 *
 *   L = Σ_k Δt_k [ ½‖z_f,k‖² + z_f,k·ẑ_k + ζ ∇·(√β_k Γ z_f)(x_k) ],   z_f,k = √β_k Γ Ã_k x_k, Γ = diag(g),
 *
 * averaged over paths. With S_k = E[x xᵀ] and R_k = E[ẑ xᵀ] this is
 *   Σ_k Δt_k [ ½β_k tr(Γ Ã S Ãᵀ Γ) + √β_k tr(Γ Ã R_kᵀ) + ζ β_k tr(Γ² Ã) ]
 * (the Hutchinson divergence of the official code is exact here: ∇·(β Γ² Ã x) = β tr(Γ² Ã)), and
 *   ∂L/∂Ã_k = Δt_k [ β_k Γ² Ã_k S_k + √β_k Γ R_k + ζ β_k Γ² ].
 * VSDM: Γ = I, Ã_k = A_{t_k}. VSMD: Γ = √(2Γ_damping) on the velocity block, 0 on positions.
 */
export function linearPolicyObjective(options: {
  /** Ã_k per grid time (D×D). */
  readonly matrices: readonly Matrix[];
  readonly stats: TrajectoryStatistics;
  readonly schedule: Schedule;
  /** ζ, the weight of the divergence term (VSDM's `interact coefficient`, default 0.75). */
  readonly zeta: number;
  /** g per coordinate (default all ones). */
  readonly noiseScale?: ArrayLike<number>;
}): { loss: number; grads: Matrix[] } {
  const { matrices, stats, schedule, zeta } = options;
  const D = stats.xx[0]!.rows;
  const g = options.noiseScale ?? new Float64Array(D).fill(1);
  const gamma = Matrix.diag(g);
  const gamma2 = Matrix.diag(Float64Array.from(g, (v) => v * v));
  let loss = 0;
  const grads: Matrix[] = [];
  for (let k = 0; k < stats.times.length; k++) {
    const a = matrices[k]!;
    const beta = schedule.beta(stats.times[k]!);
    const sb = Math.sqrt(beta);
    const dt = stats.dts[k]!;
    const as = a.mul(stats.xx[k]!);
    const quad = gamma2.mul(as).mul(a.transpose()).trace();
    const cross = gamma.mul(a).mul(stats.zx[k]!.transpose()).trace();
    const div = gamma2.mul(a).trace();
    loss += dt * (0.5 * beta * quad + sb * cross + zeta * beta * div);
    grads.push(
      gamma2
        .mul(as)
        .scale(beta)
        .add(gamma.mul(stats.zx[k]!).scale(sb))
        .add(gamma2.scale(zeta * beta))
        .scale(dt),
    );
  }
  return { loss, grads };
}

/**
 * The minimiser of the VSDM forward objective over a static unconstrained A (Γ = I, c ≡ 1)
 * (algorithms.md §2.5, a test oracle): A* = −[Σ_k Δt(√β_k R_k + ζβ_k I)]·[Σ_k Δt β_k S_k]⁻¹.
 */
export function staticOptimalMatrix(stats: TrajectoryStatistics, schedule: Schedule, zeta: number): Matrix {
  const d = stats.xx[0]!.rows;
  let left = Matrix.zeros(d);
  let right = Matrix.zeros(d);
  for (let k = 0; k < stats.times.length; k++) {
    const beta = schedule.beta(stats.times[k]!);
    const dt = stats.dts[k]!;
    left = left.add(stats.zx[k]!.scale(dt * Math.sqrt(beta)).add(Matrix.scalar(d, dt * zeta * beta)));
    right = right.add(stats.xx[k]!.scale(dt * beta));
  }
  // A·right = −left ⇔ rightᵀ Aᵀ = −leftᵀ (right is symmetric).
  return solve(right, left.transpose().scale(-1)).transpose();
}
