import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import {
  column,
  expectMean,
  expectVariance,
  expectWithinSe,
  mean,
  meanSe,
} from '../testing/monte-carlo.test-helper.js';
import { gaussian } from './gaussian.js';

const N = 100_000;

describe('gaussian (VSDM consistency check N((−8, 2), [[1, 1], [1, 5]]))', () => {
  const points = gaussian(N, new Rng(41));
  const x = column(points, 2, 0);
  const y = column(points, 2, 1);

  it('has mean (−8, 2)', () => {
    expectMean('x', x, -8);
    expectMean('y', y, 2);
  });

  it('has covariance [[1, 1], [1, 5]]', () => {
    expectVariance('x', x, 1);
    expectVariance('y', y, 5);
    const mx = mean(x);
    const my = mean(y);
    const products = x.map((xi, i) => (xi - mx) * (y[i]! - my));
    expectWithinSe('cov(x, y)', mean(products), 1, meanSe(products));
  });

  it('is deterministic per seed, stretches, and validates n', () => {
    expect(gaussian(100, new Rng(1))).toEqual(gaussian(100, new Rng(1)));
    expect(gaussian(100, new Rng(1))).not.toEqual(gaussian(100, new Rng(2)));
    const base = gaussian(100, new Rng(1));
    const stretched = gaussian(100, new Rng(1), { yScalar: 4 });
    for (let i = 0; i < 100; i++) expect(stretched[2 * i + 1]).toBe(4 * base[2 * i + 1]!);
    expect(() => gaussian(-1, new Rng(1))).toThrow(/gaussian: n must be a non-negative integer/);
  });
});
