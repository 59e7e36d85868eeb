import { applyBlockMatrix, Matrix, tf } from '@bridgekit/core';
import type { State } from './sde.js';
import { requireSameShape } from './validate.js';

/**
 * The endpoint-conditioned marginal X_t | x₀, x₁ ~ N((a ⊗ I)x₀ + (b ⊗ I)x₁, V ⊗ I) of a Gaussian bridge
 * (algorithms.md §1.3). Every coefficient is an n×n matrix, 1×1 for scalar (isotropic) bridges.
 */
export interface BridgeMarginal {
  /** a(t), the coefficient of x₀ in the mean. */
  readonly coefX0: Matrix;
  /** b(t), the coefficient of x₁ in the mean. */
  readonly coefX1: Matrix;
  /** V(t), the conditional covariance per block (symmetric PSD; zero at t = 0 and t = 1). */
  readonly cov: Matrix;
  /** Lower-triangular L with V = L·Lᵀ (zero columns where V is singular). */
  readonly chol: Matrix;
}

/**
 * A Gaussian bridge of a linear reference process: x_t = (a ⊗ I)x₀ + (b ⊗ I)x₁ + (L ⊗ I)ε
 * (algorithms.md §1.3), for scalar (n = 1) and block (n > 1) references alike.
 */
export interface GaussianBridge {
  readonly name: string;
  /** n: the size of every coefficient matrix. */
  readonly blocks: number;
  marginal(t: number): BridgeMarginal;
  /** A draw of X_t | x₀, x₁ from standard normals `eps` of x₀'s shape. */
  sample(x0: State, x1: State, t: number, eps: State): State;
}

/** A 1×1 bridge marginal from scalar coefficients (variance clamped at 0 against rounding). */
export function scalarBridgeMarginal(a: number, b: number, v: number): BridgeMarginal {
  const variance = Math.max(v, 0);
  return {
    coefX0: Matrix.scalar(1, a),
    coefX1: Matrix.scalar(1, b),
    cov: Matrix.scalar(1, variance),
    chol: Matrix.scalar(1, Math.sqrt(variance)),
  };
}

/** Draws (a ⊗ I)x₀ + (b ⊗ I)x₁ + (L ⊗ I)ε for a bridge marginal (algorithms.md §1.3). */
export function sampleBridgeMarginal(
  m: BridgeMarginal,
  x0: State,
  x1: State,
  eps: State,
  where: string,
): State {
  requireSameShape(where, 'x0', x0, 'x1', x1);
  requireSameShape(where, 'x0', x0, 'eps', eps);
  return tf.tidy(() =>
    tf.add(
      tf.add(applyBlockMatrix(x0, m.coefX0), applyBlockMatrix(x1, m.coefX1)),
      applyBlockMatrix(eps, m.chol),
    ),
  );
}
