import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { column, expectCount, expectMean, expectVariance } from '../testing/monte-carlo.test-helper.js';
import { EIGHT_GAUSSIANS_VARIANCE, eightGaussians } from './eight-gaussians.js';

const N = 100_000;
const S = 1 / Math.sqrt(2);
const CENTRES = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [S, S],
  [S, -S],
  [-S, S],
  [-S, -S],
] as const;

/** Points grouped by nearest centre 5·c_k (centres are 3.8 apart, noise sd ≤ 0.56). */
function byCentre(points: Float32Array): { x: number[]; y: number[] }[] {
  const groups = CENTRES.map(() => ({ x: [] as number[], y: [] as number[] }));
  for (let i = 0; i < points.length / 2; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    CENTRES.forEach(([cx, cy], k) => {
      const d = (x - 5 * cx) ** 2 + (y - 5 * cy) ** 2;
      if (d < bestD) {
        bestD = d;
        best = k;
      }
    });
    groups[best]!.x.push(x);
    groups[best]!.y.push(y);
  }
  return groups;
}

describe('eightGaussians (TorchCFM sample_8gaussians)', () => {
  const points = eightGaussians(N, new Rng(51));

  it('defaults to the covariance TorchCFM really samples, √0.1·I', () => {
    expect(EIGHT_GAUSSIANS_VARIANCE).toBe(Math.sqrt(0.1));
  });

  it('picks each of the 8 centres with probability 1/8 and puts it at 5·c_k', () => {
    byCentre(points).forEach((g, k) => {
      expectCount(`centre ${k}`, g.x.length, N, 1 / 8);
      expectMean(`centre ${k} x`, g.x, 5 * CENTRES[k]![0]);
      expectMean(`centre ${k} y`, g.y, 5 * CENTRES[k]![1]);
    });
  });

  it('has per-component, per-axis noise variance √0.1 ≈ 0.316 by default', () => {
    byCentre(points).forEach((g, k) => {
      expectVariance(`centre ${k} x`, g.x, Math.sqrt(0.1));
      expectVariance(`centre ${k} y`, g.y, Math.sqrt(0.1));
    });
  });

  it('has mixture mean 0 and per-axis variance 25·½ + v', () => {
    expectMean('x', column(points, 2, 0), 0);
    expectMean('y', column(points, 2, 1), 0);
    expectVariance('x', column(points, 2, 0), 12.5 + Math.sqrt(0.1));
    expectVariance('y', column(points, 2, 1), 12.5 + Math.sqrt(0.1));
  });

  it('uses options.variance (the nominal 0.1) and options.scale when given', () => {
    const nominal = eightGaussians(N, new Rng(52), { variance: 0.1 });
    byCentre(nominal).forEach((g, k) => {
      expectVariance(`variance 0.1, centre ${k} x`, g.x, 0.1);
      expectVariance(`variance 0.1, centre ${k} y`, g.y, 0.1);
    });
    const wide = eightGaussians(N, new Rng(53), { scale: 8, variance: 0.1 });
    expectVariance('scale 8 x', column(wide, 2, 0), 32 + 0.1);
  });

  it('is deterministic per seed and validates its options', () => {
    expect(eightGaussians(100, new Rng(1))).toEqual(eightGaussians(100, new Rng(1)));
    expect(eightGaussians(100, new Rng(1))).not.toEqual(eightGaussians(100, new Rng(2)));
    expect(() => eightGaussians(10, new Rng(1), { variance: -1 })).toThrow(
      /eightGaussians: options\.variance must be a finite number > 0, got -1/,
    );
    expect(() => eightGaussians(10, new Rng(1), { scale: 0 })).toThrow(/options\.scale/);
  });
});
