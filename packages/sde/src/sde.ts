import type { Matrix, tf } from '@bridgekit/core';

/** A batch of states, batch-first: [B, D]. */
export type State = tf.Tensor2D;

/**
 * An Itô SDE dX = f(X, t) dt + g(t, X) dW on R^D with diagonal noise (torchsde's contract).
 *
 * `diffusion` returns a scalar or a tensor broadcastable to x (per-coordinate noise scales, e.g.
 * zero on the position block of a momentum SDE). Time runs forward; samplers integrate it on a
 * decreasing grid when the SDE is a reverse-time one (see {@link reverseTimeSde}).
 */
export interface Sde {
  readonly name: string;
  drift(x: State, t: number): State;
  diffusion(t: number, x: State): number | tf.Tensor;
}

/** A deterministic vector field dx/dt = v(x, t), e.g. a probability-flow ODE. */
export interface VectorField {
  readonly name: string;
  velocity(x: State, t: number): State;
}

/** The marginal score ∇ₓ log p_t(x) of some process, evaluated on a batch. */
export type ScoreFn = (x: State, t: number) => State;

/**
 * x_t | x_s ~ N((Φ ⊗ I_m) x_s, Q ⊗ I_m): the exact Gaussian transition of a linear SDE whose state is
 * n blocks of m coordinates (n = 1 for scalar SDEs such as VP, n = d for a full d×d drift with m = 1,
 * n = 2 for position–velocity with m = d).
 */
export interface GaussianTransition {
  /** Φ(t, s), n×n. */
  readonly phi: Matrix;
  /** Q(t, s) = Cov(x_t | x_s), n×n, symmetric. */
  readonly cov: Matrix;
}

/**
 * A linear SDE dX = (F(t) ⊗ I_m) X dt + (G(t) ⊗ I_m) dW with diagonal G, and its exact kernels.
 */
export interface LinearGaussianSde extends Sde {
  /** n: the size of F(t). */
  readonly blocks: number;
  /** F(t), n×n. */
  driftMatrix(t: number): Matrix;
  /** G(t)G(t)ᵀ, n×n (diagonal). */
  diffusionCov(t: number): Matrix;
  /** The exact transition from time s to time t (s ≤ t). */
  transition(s: number, t: number): GaussianTransition;
  /**
   * Cov(X_0) per block, n×n, for processes whose initial state is partly random (the velocity of
   * critically damped Langevin); the zero matrix when X_0 is given.
   */
  initialCov(): Matrix;
}
