import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { expectMean, expectVariance } from '../testing/monte-carlo.test-helper.js';
import { gmm } from './gmm.js';

const N = 100_000;

/** Index k of the mean 12·(cos 2πk/8, sin 2πk/8) nearest to (x, y) (means are ≥ 9 apart, noise 1). */
function component(x: number, y: number): number {
  return (Math.round(Math.atan2(y, x) / (Math.PI / 4)) + 8) % 8;
}

function byComponent(points: Float32Array, xs = 1, ys = 1): { x: number[]; y: number[] }[] {
  const groups = Array.from({ length: 8 }, () => ({ x: [] as number[], y: [] as number[] }));
  for (let i = 0; i < points.length / 2; i++) {
    const x = points[2 * i]! / xs;
    const y = points[2 * i + 1]! / ys;
    const g = groups[component(x, y)]!;
    g.x.push(x);
    g.y.push(y);
  }
  return groups;
}

describe('gmm (VSDM data.py MixMultiVariateNormal)', () => {
  const points = gmm(N, new Rng(31));

  it('draws exactly n/8 points from each of the 8 components (stratified, as the reference)', () => {
    for (const g of byComponent(points)) expect(g.x.length).toBe(N / 8);
    const odd = byComponent(gmm(1003, new Rng(32))).map((g) => g.x.length);
    expect(odd.reduce((a, b) => a + b, 0)).toBe(1003);
    expect(odd.every((c) => c === 125 || c === 126)).toBe(true);
    expect(odd.filter((c) => c === 126)).toHaveLength(3);
  });

  it('centres component k at 12·(cos 2πk/8, sin 2πk/8) with identity covariance', () => {
    byComponent(points).forEach((g, k) => {
      expectMean(`component ${k} x`, g.x, 12 * Math.cos((2 * Math.PI * k) / 8));
      expectMean(`component ${k} y`, g.y, 12 * Math.sin((2 * Math.PI * k) / 8));
      expectVariance(`component ${k} x`, g.x, 1);
      expectVariance(`component ${k} y`, g.y, 1);
    });
  });

  it('shuffles rows so a prefix samples every component', () => {
    const prefix = new Set<number>();
    for (let i = 0; i < 200; i++) prefix.add(component(points[2 * i]!, points[2 * i + 1]!));
    expect(prefix.size).toBe(8);
  });

  it('applies the stretch after sampling', () => {
    const stretched = gmm(N, new Rng(33), { xScalar: 2, yScalar: 3 });
    byComponent(stretched, 2, 3).forEach((g, k) => {
      expect(g.x.length).toBe(N / 8);
      expectMean(`stretched component ${k} x/2`, g.x, 12 * Math.cos((2 * Math.PI * k) / 8));
      expectVariance(`stretched component ${k} y/3`, g.y, 1);
    });
  });

  it('is deterministic per seed and validates n', () => {
    expect(gmm(64, new Rng(1))).toEqual(gmm(64, new Rng(1)));
    expect(gmm(64, new Rng(1))).not.toEqual(gmm(64, new Rng(2)));
    expect(gmm(0, new Rng(1))).toHaveLength(0);
    expect(() => gmm(Number.NaN, new Rng(1))).toThrow(/gmm: n must be a non-negative integer/);
  });

  it("with components 'iid' draws each point's component uniformly: Multinomial counts, same components", () => {
    const counts = byComponent(gmm(N, new Rng(33), { components: 'iid' })).map((g) => g.x.length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(N);
    // Each count ~ Binomial(N, 1/8): SE √(N·(1/8)·(7/8)).
    for (const c of counts) expect(Math.abs(c - N / 8)).toBeLessThan(4 * Math.sqrt((N * 7) / 64));
    expect(counts.some((c) => c !== N / 8)).toBe(true);
    expect(() => gmm(8, new Rng(1), { components: 'equal' as 'iid' })).toThrow(
      /gmm: options\.components must be 'stratified' or 'iid', got "equal"/,
    );
  });
});
