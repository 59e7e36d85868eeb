import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import {
  expectCount,
  expectMean,
  expectVariance,
  expectWithinSe,
} from '../testing/monte-carlo.test-helper.js';
import {
  EIGHT_GAUSSIANS_VARIANCE,
  type EightGaussiansOptions,
  eightGaussians,
  eightGaussiansMixture,
} from './eight-gaussians.js';

const N = 100_000;

/** Sample covariance of (x, y) and its standard error √((E[(dx·dy)²] − cov²)/n). */
function covarianceWithSe(x: number[], y: number[]): { cov: number; se: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let c = 0;
  let c2 = 0;
  for (let i = 0; i < n; i++) {
    const p = (x[i]! - mx) * (y[i]! - my);
    c += p;
    c2 += p * p;
  }
  const cov = c / n;
  return { cov, se: Math.sqrt((c2 / n - cov * cov) / n) };
}

/**
 * Checks that `eightGaussiansMixture(options)` describes `eightGaussians(N, rng, options)`: each sample is
 * assigned to the nearest mixture mean, and per component the count (weight), mean and covariance must
 * sit within 4 SE of the mixture's. With the default noise (sd 0.56, neighbouring centres 3.8 apart) about
 * 7e-4 of the points cross into a neighbour's cell; that shifts a component's variance by ~0.2% (≈ 0.15 SE
 * at 12 500 points per component), well inside the tolerance.
 */
function checkMixtureDescribesSamples(options: EightGaussiansOptions | undefined, seed: number): void {
  const mixture = eightGaussiansMixture(options);
  const points = eightGaussians(N, new Rng(seed), options);
  const groups = mixture.means.map(() => ({ x: [] as number[], y: [] as number[] }));
  for (let i = 0; i < N; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    mixture.means.forEach(([mx, my], k) => {
      const d = (x - mx!) ** 2 + (y - my!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    });
    groups[best]!.x.push(x);
    groups[best]!.y.push(y);
  }
  const label = JSON.stringify(options ?? {});
  groups.forEach((g, k) => {
    const [mx, my] = mixture.means[k]!;
    const cov = mixture.covs[k]!;
    expectCount(`${label} component ${k}`, g.x.length, N, mixture.weights[k]!);
    expectMean(`${label} component ${k} x`, g.x, mx!);
    expectMean(`${label} component ${k} y`, g.y, my!);
    expectVariance(`${label} component ${k} x`, g.x, cov[0]![0]!);
    expectVariance(`${label} component ${k} y`, g.y, cov[1]![1]!);
    const c = covarianceWithSe(g.x, g.y);
    expectWithinSe(`${label} component ${k} xy covariance`, c.cov, cov[0]![1]!, c.se);
  });
}

describe('eightGaussiansMixture: the law eightGaussians samples', () => {
  it('has weights 1/8, means 5·c_k and covariance √0.1·I by default (the 8 TorchCFM centres, in order)', () => {
    const m = eightGaussiansMixture();
    expect(m.weights).toEqual(new Array(8).fill(1 / 8));
    const s = 5 / Math.sqrt(2);
    const want = [
      [5, 0],
      [-5, 0],
      [0, 5],
      [0, -5],
      [s, s],
      [s, -s],
      [-s, s],
      [-s, -s],
    ];
    m.means.forEach((mu, k) => {
      expect(mu[0]).toBeCloseTo(want[k]![0]!, 14);
      expect(mu[1]).toBeCloseTo(want[k]![1]!, 14);
    });
    for (const c of m.covs) {
      expect(c).toEqual([
        [EIGHT_GAUSSIANS_VARIANCE, 0],
        [0, EIGHT_GAUSSIANS_VARIANCE],
      ]);
    }
  });

  it('describes 10⁵ default samples: per nearest-mean component, count, mean and covariance within 4 SE', () => {
    checkMixtureDescribesSamples(undefined, 61);
  });

  it('follows scale, variance and the per-axis stretch (covariance diag(v·xScalar², v·yScalar²))', () => {
    checkMixtureDescribesSamples({ scale: 8 }, 62);
    checkMixtureDescribesSamples({ xScalar: 2, variance: 0.05 }, 63);
    const m = eightGaussiansMixture({ xScalar: 2, yScalar: 0.5, variance: 0.1, scale: 3 });
    expect(m.means[0]).toEqual([6, 0]);
    expect(m.means[2]).toEqual([0, 1.5]);
    expect(m.covs[0]![0]![0]).toBeCloseTo(0.4, 15);
    expect(m.covs[0]![1]![1]).toBeCloseTo(0.025, 15);
  });

  it('validates its options like eightGaussians', () => {
    expect(() => eightGaussiansMixture({ variance: -1 })).toThrow(
      /eightGaussiansMixture: options\.variance must be a finite number > 0, got -1/,
    );
    expect(() => eightGaussiansMixture({ scale: 0 })).toThrow(/eightGaussiansMixture: options\.scale/);
    expect(() => eightGaussiansMixture({ xScalar: 1e31 })).toThrow(/eightGaussiansMixture: options\.xScalar/);
  });
});
