import { expm, Matrix } from '@bridgekit/core';

/** W − Wᵀ for a row-major d×d W: the skew-symmetric generator of an orthogonal U = expm(W − Wᵀ). */
export function skew(w: Float64Array, d: number): Matrix {
  const m = new Matrix(d, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.data[i * d + j] = w[i * d + j]! - w[j * d + i]!;
  return m;
}

/** U = expm(W − Wᵀ), orthogonal with determinant 1. */
export function orthogonalFrom(w: Float64Array, d: number): Matrix {
  return expm(skew(w, d));
}

/**
 * ∂L/∂W for U = expm(W − Wᵀ) given G = ∂L/∂U. With X = W − Wᵀ, ∂L/∂X is the adjoint Fréchet
 * derivative of expm at X applied to G, read off the upper-right block of expm([[Xᵀ, G], [0, Xᵀ]])
 * (Najfeld–Havel; Higham's block formula), and ∂L/∂W = ∂L/∂X − (∂L/∂X)ᵀ.
 */
export function orthogonalGradient(w: Float64Array, d: number, g: Matrix): Float64Array {
  const xt = skew(w, d).transpose();
  const big = Matrix.zeros(2 * d)
    .withBlock(0, 0, xt)
    .withBlock(0, d, g)
    .withBlock(d, d, xt);
  const gx = expm(big).block(0, d, d, d);
  return Float64Array.from({ length: d * d }, (_, k) => {
    const i = Math.floor(k / d);
    const j = k % d;
    return gx.get(i, j) - gx.get(j, i);
  });
}
