import type { Matrix } from '@bridgekit/core';
import type { LinearSde, Schedule } from '@bridgekit/sde';
import type { PolicyParams } from './forward-policy.js';

/**
 * A variational Schrödinger diffusion: a linear forward SDE dz = β(t)F_t z dt + √β(t) Γ dW on a state
 * of D coordinates, F_t = F_base + Γ² Ã_t, whose forward score is replaced by the linear
 * (variational) score Ã_t z (rows zero where Γ is zero). VSDM: z = x, Γ = I, F_base = −½I.
 * VSMD: z = (x, v), Γ = √(2Γ_d) on v only, F_base the CLD matrix. Everything method-specific
 * (parameters, kernels, chain rule) sits behind this interface; training and sampling are shared.
 */
export interface VariationalFamily<P> {
  /** 'vsdm' or 'vsmd'. */
  readonly name: string;
  /** Data dimension d. */
  readonly dataDim: number;
  /** State dimension D (d, or 2d in phase space). */
  readonly stateDim: number;
  /** Indices (into the state) of the coordinates with noise; the network predicts ẑ on these. */
  readonly noisy: readonly number[];
  /** Γ: per state coordinate noise scale (0 on noise-free coordinates). */
  readonly noiseScale: Float64Array;
  readonly schedule: Schedule;
  /** The base process's stationary covariance: the Schrödinger bridge's prior N(0, ·) (D×D). */
  readonly referencePriorCov: Matrix;
  /** F_base (D×D). */
  readonly baseDrift: Matrix;
  /** The forward linear SDE of a policy (with Cov(z_0) for random initial velocities). */
  forwardSde(policy: P): LinearSde;
  /** Ã_t (D×D). */
  matrixAt(policy: P, t: number): Matrix;
  /**
   * Chain rule: from ∂L/∂Ã_{t_k} at the statistics' times to ∂L/∂(named parameters).
   */
  gradient(policy: P, times: ArrayLike<number>, grads: readonly Matrix[]): PolicyParams;
  /** The parameters (mutable view, updated in place by the optimiser). */
  params(policy: P): PolicyParams;
  /** A policy with the given parameters (same config). */
  withParams(policy: P, params: PolicyParams): P;
  /**
   * The probability-flow ODE integrator: Euler, or Heun for dynamics with rotation (VSMD's
   * position–velocity oscillation, whose Euler steps grow by √(1 + (ωh)²) each).
   */
  readonly odeSolver: 'euler' | 'heun';
  /** The initial state's mean from a data point (x ↦ x, or (x, 0)). */
  lift(x: Float32Array, out: Float64Array): void;
}
