import { det, inv, Matrix } from '@bridgekit/core';
import type { GaussianMixture } from '@bridgekit/sde';
import { perCoordinate, requireNonNegative, requirePositive } from './validate.js';

/** Options of {@link gaussianTiltedMixture}: the reward −(a/2)‖x − c‖² and λ. */
export interface GaussianTiltedMixtureOptions {
  /** Reward curvature a > 0. */
  readonly a: number;
  /** Reward centre c: one number or one per coordinate. */
  readonly c: number | readonly number[];
  /** Reward multiplier λ ≥ 0 (0 gives the base). */
  readonly lambda: number;
}

/**
 * The exact tilt of a Gaussian mixture by the quadratic reward r(x) = −(a/2)‖x − c‖²: again a mixture of
 * as many Gaussians, component by component (T12 per component), with
 *
 *     C'_k = (C_k⁻¹ + λa I)⁻¹,   μ'_k = C'_k (C_k⁻¹μ_k + λa c),   ρ_k ∝ π_k · N(c; μ_k, C_k + I/(λa)),
 *
 * the weights being each component's mass under e^{λr}. Exact for every λ and any overlap, and the
 * reward's gradient is informative everywhere, so it is the mixture task of the fine-tuning benchmark
 * (float64 throughout; weights normalised).
 */
export function gaussianTiltedMixture(
  base: GaussianMixture,
  options: GaussianTiltedMixtureOptions,
): GaussianMixture {
  const where = 'gaussianTiltedMixture';
  const { a, lambda } = options;
  requirePositive(where, 'a', a);
  requireNonNegative(where, 'lambda', lambda);
  const k = base.weights.length;
  if (k === 0) throw new RangeError(`${where}: base.weights must have at least one entry, got []`);
  const d = base.means[0]!.length;
  const c = perCoordinate(where, 'c', options.c, d);
  const total = base.weights.reduce((s, w) => s + w, 0);
  if (lambda === 0) {
    return {
      weights: base.weights.map((w) => w / total),
      means: base.means.map((m) => [...m]),
      covs: base.covs.map((cv) => cv.map((row) => [...row])),
    };
  }
  const la = lambda * a;
  const logs: number[] = [];
  const means: number[][] = [];
  const covs: number[][][] = [];
  for (let j = 0; j < k; j++) {
    const w = base.weights[j]!;
    requirePositive(where, `base.weights[${j}]`, w);
    const cov = Matrix.from(base.covs[j]!);
    const mean = base.means[j]!;
    const precision = inv(cov);
    const tiltedCov = inv(precision.add(Matrix.eye(d).scale(la))).symmetrize();
    const rhs = precision.mul(new Matrix(d, 1, Float64Array.from(mean)));
    const shifted = tiltedCov.mul(
      new Matrix(
        d,
        1,
        Float64Array.from(rhs.data, (v, i) => v + la * c[i]!),
      ),
    );
    means.push(Array.from(shifted.data));
    covs.push(Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, s) => tiltedCov.get(r, s))));
    // log N(c; μ, C + I/(λa))
    const spread = cov.add(Matrix.eye(d).scale(1 / la));
    const diff = new Matrix(
      d,
      1,
      Float64Array.from(mean, (m, i) => c[i]! - m),
    );
    const quad = diff.transpose().mul(inv(spread)).mul(diff).get(0, 0);
    logs.push(Math.log(w / total) - 0.5 * (quad + Math.log(det(spread)) + d * Math.log(2 * Math.PI)));
  }
  const top = Math.max(...logs);
  const un = logs.map((l) => Math.exp(l - top));
  const z = un.reduce((s, v) => s + v, 0);
  return { weights: un.map((v) => v / z), means, covs };
}
