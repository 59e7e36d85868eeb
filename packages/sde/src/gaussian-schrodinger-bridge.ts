import { inv, Matrix, sqrtmPsd } from '@bridgekit/core';
import type { Schedule } from './schedule.js';

/** Two Gaussian end laws N(m0, Σ0), N(m1, Σ1) in R^d. */
export interface GaussianEnds {
  readonly mean0: ArrayLike<number>;
  readonly cov0: Matrix;
  readonly mean1: ArrayLike<number>;
  readonly cov1: Matrix;
}

function checkEnds(where: string, ends: GaussianEnds): number {
  const d = ends.cov0.rows;
  for (const [name, m] of [
    ['cov0', ends.cov0],
    ['cov1', ends.cov1],
  ] as const) {
    if (m.rows !== d || m.cols !== d) {
      throw new RangeError(`${where}: ${name} must be ${d}×${d} like cov0, got ${m.rows}×${m.cols}`);
    }
  }
  for (const [name, m] of [
    ['mean0', ends.mean0],
    ['mean1', ends.mean1],
  ] as const) {
    if (m.length !== d) throw new RangeError(`${where}: ${name} must have ${d} entries, got ${m.length}`);
  }
  return d;
}

/**
 * Cov(X₀, X₁) of the Schrödinger bridge between N(m0, Σ0) and N(m1, Σ1) for Brownian motion with
 * variance σ² over the horizon (equivalently entropic OT with ε = σ²), in closed form
 * (Mallasto et al. 2022; Bunne et al. 2023):
 *
 *   C = ½(Σ0^{1/2} D Σ0^{−1/2} − σ² I),   D = (4 Σ0^{1/2} Σ1 Σ0^{1/2} + σ⁴ I)^{1/2}.
 *
 * In 1-D: ½(√(4 s0² s1² + σ⁴) − σ²) (algorithms.md T15: s0 = 1, s1 = 0.6, σ = 0.3 → 0.556685). The
 * means do not enter; σ² → 0 gives the optimal-transport coupling, σ² → ∞ independence.
 */
export function brownianBridgeCoupling(ends: GaussianEnds, sigma2: number): Matrix {
  const d = checkEnds('brownianBridgeCoupling', ends);
  if (!(sigma2 > 0) || !Number.isFinite(sigma2)) {
    throw new RangeError(`brownianBridgeCoupling: sigma2 must be a finite number > 0, got ${sigma2}`);
  }
  const r0 = sqrtmPsd(ends.cov0);
  const dm = sqrtmPsd(
    r0
      .mul(ends.cov1)
      .mul(r0)
      .scale(4)
      .add(Matrix.scalar(d, sigma2 * sigma2))
      .symmetrize(),
  );
  return r0.mul(dm).mul(inv(r0)).sub(Matrix.scalar(d, sigma2)).scale(0.5);
}

/**
 * Cov(X₀, X₁) of the Schrödinger bridge over t ∈ [0, 1] between N(m0, Σ0) and N(m1, Σ1) for the
 * VP (Ornstein–Uhlenbeck) reference dX = −½β(t)X dt + √β(t) dW. With B = ∫₀¹β, Y_t = e^{B(t)/2}X_t is
 * a Brownian motion run on the clock ν(t) = e^{B(t)} − 1, and relative entropy is invariant under
 * this path-wise bijection, so the bridge is the Brownian one between N(m0, Σ0) and
 * N(e^{B/2}m1, e^{B}Σ1) with σ² = e^{B} − 1, mapped back: Cov(X₀, X₁) = e^{−B/2} C.
 */
export function vpBridgeCoupling(ends: GaussianEnds, schedule: Schedule): Matrix {
  checkEnds('vpBridgeCoupling', ends);
  const b = schedule.integral(1);
  if (!(b > 0) || !Number.isFinite(b)) {
    throw new RangeError(`vpBridgeCoupling: B(1) of ${schedule.name} must be a finite number > 0, got ${b}`);
  }
  const scale = Math.exp(b / 2);
  const c = brownianBridgeCoupling(
    {
      mean0: ends.mean0,
      cov0: ends.cov0,
      mean1: Array.from(ends.mean1, (v) => v * scale),
      cov1: ends.cov1.scale(scale * scale),
    },
    Math.expm1(b),
  );
  return c.scale(1 / scale);
}
