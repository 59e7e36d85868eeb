import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { column, expectCount, expectMean, expectVariance } from '../testing/monte-carlo.test-helper.js';
import { checkerboard } from './checkerboard.js';

const N = 100_000;
const TWO_PI = 2 * Math.PI;

/** Index of the first row that breaks the definition (in the stretched box, sin·sin < 0), or -1. */
function firstViolation(points: Float32Array, xs: number, ys: number): number {
  for (let i = 0; i < points.length / 2; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    const inBox = Math.abs(x) <= TWO_PI * xs && Math.abs(y) <= TWO_PI * ys;
    if (!inBox || !(Math.sin(x / xs) * Math.sin(y / ys) < 0)) return i;
  }
  return -1;
}

describe('checkerboard (VSDM data.py CheckerBoard)', () => {
  const points = checkerboard(N, new Rng(21));

  it('puts every point in the box [−2π, 2π]² with sin(x)·sin(y) < 0', () => {
    expect(points).toHaveLength(2 * N);
    expect(firstViolation(points, 1, 1)).toBe(-1);
  });

  it('is uniform on the 8 accepted π×π cells: each holds n/8 and is filled evenly', () => {
    const counts = new Map<string, number>();
    const fx: number[] = [];
    const fy: number[] = [];
    for (let i = 0; i < N; i++) {
      const cx = (points[2 * i]! + TWO_PI) / Math.PI;
      const cy = (points[2 * i + 1]! + TWO_PI) / Math.PI;
      const key = `${Math.floor(cx)},${Math.floor(cy)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      fx.push(cx - Math.floor(cx));
      fy.push(cy - Math.floor(cy));
    }
    expect(counts.size).toBe(8);
    for (const [cell, count] of counts) expectCount(`cell ${cell}`, count, N, 1 / 8);
    expectMean('x within cell', fx, 0.5);
    expectMean('y within cell', fy, 0.5);
    expectVariance('x within cell', fx, 1 / 12);
    expectVariance('y within cell', fy, 1 / 12);
  });

  it('has mean 0 and per-axis variance (4π)²/12 before stretching, 36× that in x for checkerboard-x6', () => {
    expectMean('x', column(points, 2, 0), 0);
    expectVariance('x', column(points, 2, 0), (4 * Math.PI) ** 2 / 12);
    const wide = checkerboard(N, new Rng(22), { xScalar: 6 });
    expect(firstViolation(wide, 6, 1)).toBe(-1);
    expectVariance('x (×6)', column(wide, 2, 0), (36 * (4 * Math.PI) ** 2) / 12);
    expectVariance('y (×6)', column(wide, 2, 1), (4 * Math.PI) ** 2 / 12);
  });

  it('always returns exactly n points, drawing more when fewer than n of the 3n survive', () => {
    // Find a seed whose first 3 candidates (6 uniforms) all fail, so one round yields nothing.
    let seed = 0;
    for (; ; seed++) {
      const u = new Rng(seed).uniform(6);
      const pass = [0, 1, 2].some(
        (j) =>
          Math.sin(-TWO_PI + 4 * Math.PI * u[2 * j]!) * Math.sin(-TWO_PI + 4 * Math.PI * u[2 * j + 1]!) < 0,
      );
      if (!pass) break;
    }
    const one = checkerboard(1, new Rng(seed));
    expect(one).toHaveLength(2);
    expect(firstViolation(one, 1, 1)).toBe(-1);
    for (let s = 0; s < 20; s++) {
      for (const n of [1, 2, 3, 5, 8]) {
        const small = checkerboard(n, new Rng(s), { xScalar: 6 });
        expect(small).toHaveLength(2 * n);
        expect(firstViolation(small, 6, 1)).toBe(-1);
      }
    }
  });

  it('keeps the first n survivors of 3n draws in order, as the reference does', () => {
    const u = new Rng(5).uniform(6 * 10);
    const expected: number[] = [];
    for (let j = 0; j < 30 && expected.length < 20; j++) {
      const a = -TWO_PI + 4 * Math.PI * u[2 * j]!;
      const b = -TWO_PI + 4 * Math.PI * u[2 * j + 1]!;
      if (Math.sin(a) * Math.sin(b) < 0) expected.push(Math.fround(a), Math.fround(b));
    }
    expect(expected.length).toBe(20);
    expect(Array.from(checkerboard(10, new Rng(5)))).toEqual(expected);
  });

  it('is deterministic per seed and validates its arguments', () => {
    expect(checkerboard(300, new Rng(1))).toEqual(checkerboard(300, new Rng(1)));
    expect(checkerboard(300, new Rng(1))).not.toEqual(checkerboard(300, new Rng(2)));
    expect(() => checkerboard(-3, new Rng(0))).toThrow(/checkerboard: n must be a non-negative integer/);
    expect(() => checkerboard(3, new Rng(0), { xScalar: -6 })).toThrow(
      /options\.xScalar must be a finite number > 0, got -6/,
    );
    // A stretch that overflows or underflows float32 could never pass the region test: refused.
    expect(() => checkerboard(3, new Rng(0), { xScalar: 1e40 })).toThrow(
      /options\.xScalar must be in \[1e-30, 1e30\]/,
    );
    expect(() => checkerboard(3, new Rng(0), { yScalar: 1e-40 })).toThrow(
      /options\.yScalar must be in \[1e-30, 1e30\]/,
    );
  });
});
