import type { GaussianMixture } from './gaussian-mixture.js';
import { requirePositive } from './validate.js';

/** Options of {@link ringMixture}. */
export interface RingMixtureOptions {
  /** Number of components, a positive integer (default 8). */
  readonly components?: number;
  /** Radius of the circle of means (default 4). */
  readonly radius?: number;
  /** Per-coordinate standard deviation of each component (default 0.5). */
  readonly std?: number;
}

/**
 * The 2-D ring preset: equal weights, means (r cos 2πk/K, r sin 2πk/K), covariances std²·I₂ (the
 * "8 Gaussians" toy used by the quickstart; VSDM's `gmm` dataset of algorithms.md §1.9 is
 * `ringMixture({ radius: 12, std: 1 })`).
 */
export function ringMixture(options: RingMixtureOptions = {}): GaussianMixture {
  const components = options.components ?? 8;
  const radius = options.radius ?? 4;
  const std = options.std ?? 0.5;
  if (!Number.isInteger(components) || components < 1) {
    throw new RangeError(`ringMixture: components must be a positive integer, got ${components}`);
  }
  requirePositive('ringMixture', 'radius', radius);
  requirePositive('ringMixture', 'std', std);
  const v = std * std;
  const means: number[][] = [];
  for (let k = 0; k < components; k++) {
    const angle = (2 * Math.PI * k) / components;
    means.push([radius * Math.cos(angle), radius * Math.sin(angle)]);
  }
  return {
    weights: means.map(() => 1 / components),
    means,
    covs: means.map(() => [
      [v, 0],
      [0, v],
    ]),
  };
}
