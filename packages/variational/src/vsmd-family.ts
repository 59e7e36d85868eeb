import { Matrix } from '@bridgekit/core';
import { LinearSde, type Schedule } from '@bridgekit/sde';
import type { VariationalFamily } from './family.js';
import type { PolicyParams } from './forward-policy.js';
import { orthogonalFrom, orthogonalGradient } from './orthogonal.js';

/** The shape of a VSMD momentum policy; plain JSON, saved with the model. */
export interface MomentumPolicyConfig {
  /** Data dimension d (the state is (x, v), 2d). */
  readonly dim: number;
  /** Mass M > 0 (CLD default 0.25). */
  readonly mass: number;
  /** ζ_d: 1 critical damping (VSCLD), 0.7 underdamped (VSULD). */
  readonly dampingRatio: number;
  /** v₀ ~ N(0, γ₀M I) (CLD default 0.04). */
  readonly gamma0: number;
}

/**
 * A VSMD forward policy: the learned stiffness K = U·diag(exp κ)·Uᵀ (symmetric positive definite,
 * U = expm(W − Wᵀ)); the damping follows from it by the critical-damping transform. Parameters 'u'
 * (d×d) and 'kappa' (d), both zero at the start (K = I: plain CLD).
 */
export interface MomentumPolicy {
  readonly config: MomentumPolicyConfig;
  readonly params: PolicyParams;
}

/** Validates a momentum-policy config; errors name the field. */
export function momentumPolicyConfig(
  options: Partial<MomentumPolicyConfig> & { readonly dim: number },
): MomentumPolicyConfig {
  const config = {
    dim: options.dim,
    mass: options.mass ?? 0.25,
    dampingRatio: options.dampingRatio ?? 1,
    gamma0: options.gamma0 ?? 0.04,
  };
  if (!Number.isSafeInteger(config.dim) || config.dim < 1) {
    throw new RangeError(`momentum policy: dim must be a positive integer, got ${config.dim}`);
  }
  if (!(config.mass > 0) || !Number.isFinite(config.mass)) {
    throw new RangeError(`momentum policy: mass must be a finite number > 0, got ${config.mass}`);
  }
  if (!(config.dampingRatio > 0) || !Number.isFinite(config.dampingRatio)) {
    throw new RangeError(
      `momentum policy: dampingRatio must be a finite number > 0 (1 critical, 0.7 underdamped), got ${config.dampingRatio}`,
    );
  }
  if (!(config.gamma0 >= 0) || !Number.isFinite(config.gamma0)) {
    throw new RangeError(`momentum policy: gamma0 must be a finite number ≥ 0, got ${config.gamma0}`);
  }
  return config;
}

/** K = I, the CLD start. */
export function initMomentumPolicy(config: MomentumPolicyConfig): MomentumPolicy {
  const d = config.dim;
  return { config, params: { u: new Float64Array(d * d), kappa: new Float64Array(d) } };
}

/** Γ_d = 2ζ_d√M, the base (CLD) damping; the velocity noise is √(2Γ_d β). */
export function baseDamping(config: MomentumPolicyConfig): number {
  return 2 * config.dampingRatio * Math.sqrt(config.mass);
}

/**
 * The stiffness K = U diag(k) Uᵀ and, by the critical-damping transform (algorithms.md §3.2, a
 * reconstruction), the damping C = 2ζ_d (K/M)^{1/2} = U diag(2ζ_d √(k/M)) Uᵀ: every eigen-mode keeps
 * the damping ratio ζ_d as the learned stiffness changes. K = I gives CLD's C = Γ_d/M.
 */
export function stiffnessAndDamping(policy: MomentumPolicy): {
  u: Matrix;
  k: Float64Array;
  stiffness: Matrix;
  damping: Matrix;
} {
  const { dim: d, mass, dampingRatio } = policy.config;
  const u = orthogonalFrom(policy.params.u!, d);
  const k = Float64Array.from(policy.params.kappa!, Math.exp);
  const c = Float64Array.from(k, (ki) => 2 * dampingRatio * Math.sqrt(ki / mass));
  const ut = u.transpose();
  return { u, k, stiffness: u.mul(Matrix.diag(k)).mul(ut), damping: u.mul(Matrix.diag(c)).mul(ut) };
}

/**
 * VSMD (algorithms.md §3, partly reconstructed): phase-space state z = (x, v) ∈ R^{2d}, forward
 * dz = β_t [[0, I/M], [−K, −C]] z dt + √β_t [[0], [√(2Γ_d) I]] dW, v₀ ~ N(0, γ₀M I). The variational
 * velocity score is Ã z with Ã = [[0, 0], [(I − K)/(2Γ_d), (Γ_d/M·I − C)/(2Γ_d)]], so that
 * F = F_CLD + Γ² Ã; only the stiffness K is learned, the damping follows by the critical-damping
 * transform. Kernels: the exact time change (F is constant in time).
 */
export function vsmdFamily(
  schedule: Schedule,
  config: MomentumPolicyConfig,
): VariationalFamily<MomentumPolicy> {
  const d = config.dim;
  const gd = baseDamping(config);
  const noiseScale = new Float64Array(2 * d);
  noiseScale.fill(Math.sqrt(2 * gd), d);
  const baseDrift = Matrix.zeros(2 * d)
    .withBlock(0, d, Matrix.scalar(d, 1 / config.mass))
    .withBlock(d, 0, Matrix.scalar(d, -1))
    .withBlock(d, d, Matrix.scalar(d, -gd / config.mass));
  const driftOf = (policy: MomentumPolicy) => {
    const { stiffness, damping } = stiffnessAndDamping(policy);
    return Matrix.zeros(2 * d)
      .withBlock(0, d, Matrix.scalar(d, 1 / config.mass))
      .withBlock(d, 0, stiffness.scale(-1))
      .withBlock(d, d, damping.scale(-1));
  };
  const q0 = Matrix.diag(Float64Array.from(noiseScale, (g) => g * g));
  const initialCov = Matrix.zeros(2 * d).withBlock(d, d, Matrix.scalar(d, config.gamma0 * config.mass));
  return {
    name: 'vsmd',
    dataDim: d,
    stateDim: 2 * d,
    noisy: Array.from({ length: d }, (_, i) => d + i),
    noiseScale,
    schedule,
    odeSolver: 'heun',
    // CLD's stationary law N(0, diag(I, M·I)) for every damping ratio.
    referencePriorCov: Matrix.zeros(2 * d)
      .withBlock(0, 0, Matrix.eye(d))
      .withBlock(d, d, Matrix.scalar(d, config.mass)),
    baseDrift,
    forwardSde(policy) {
      return new LinearSde({
        name: `vsmd(M=${config.mass}, ζ=${config.dampingRatio}, ${schedule.name})`,
        timeChange: { schedule, f0: driftOf(policy), q0 },
        initialCov,
      });
    },
    matrixAt(policy) {
      const { stiffness, damping } = stiffnessAndDamping(policy);
      return Matrix.zeros(2 * d)
        .withBlock(
          d,
          0,
          Matrix.eye(d)
            .sub(stiffness)
            .scale(1 / (2 * gd)),
        )
        .withBlock(
          d,
          d,
          Matrix.scalar(d, gd / config.mass)
            .sub(damping)
            .scale(1 / (2 * gd)),
        );
    },
    gradient(policy, times, grads) {
      // Only the velocity rows of Ã depend on the parameters: Ã_x = (I − K)/(2Γ_d), Ã_v = (Γ_d/M − C)/(2Γ_d).
      let gK = Matrix.zeros(d);
      let gC = Matrix.zeros(d);
      for (let k = 0; k < times.length; k++) {
        gK = gK.add(grads[k]!.block(d, 0, d, d).scale(-1 / (2 * gd)));
        gC = gC.add(grads[k]!.block(d, d, d, d).scale(-1 / (2 * gd)));
      }
      const { u, k } = stiffnessAndDamping(policy);
      const cOf = (ki: number) => 2 * config.dampingRatio * Math.sqrt(ki / config.mass);
      // K = U diag(k) Uᵀ: ∂L/∂k_i = u_iᵀ ∂L/∂K u_i; C likewise with c_i = 2ζ_d√(k_i/M), dc/dk = c/(2k).
      const ut = u.transpose();
      const kk = ut.mul(gK).mul(u);
      const cc = ut.mul(gC).mul(u);
      const kappa = Float64Array.from({ length: d }, (_, i) => {
        const ki = k[i]!;
        return (kk.get(i, i) + cc.get(i, i) * (cOf(ki) / (2 * ki))) * ki;
      });
      // ∂L/∂U for X = U Λ Uᵀ is (G + Gᵀ) U Λ, for both K and C.
      const lamK = Matrix.diag(k);
      const lamC = Matrix.diag(Float64Array.from(k, cOf));
      const gU = gK.add(gK.transpose()).mul(u).mul(lamK).add(gC.add(gC.transpose()).mul(u).mul(lamC));
      const gw = orthogonalGradient(policy.params.u!, d, gU);
      return { u: gw, kappa };
    },
    params(policy) {
      return policy.params;
    },
    withParams(policy, params) {
      return { config: policy.config, params };
    },
    lift(x, out) {
      for (let i = 0; i < d; i++) {
        out[i] = x[i]!;
        out[d + i] = 0;
      }
    },
  };
}
