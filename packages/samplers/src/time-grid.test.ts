import { describe, expect, it } from 'vitest';
import { checkTimeGrid, cosineGrid, quadraticGrid, uniformGrid } from './time-grid.js';

const diffs = (g: readonly number[]) => g.slice(1).map((t, k) => t - g[k]!);

describe('uniformGrid', () => {
  it('is linspace with exact endpoints, in either direction', () => {
    const g = uniformGrid(1e-3, 1, 100);
    expect(g).toHaveLength(101);
    expect(g[0]).toBe(1e-3);
    expect(g[100]).toBe(1);
    for (const d of diffs(g)) expect(d).toBeCloseTo(0.999e-2, 14);
    const back = uniformGrid(1, 1e-3, 4);
    for (const [k, t] of [1, 0.75025, 0.5005, 0.25075, 1e-3].entries()) expect(back[k]).toBeCloseTo(t, 15);
    expect(back[4]).toBe(1e-3);
  });
});

describe('quadraticGrid (ASBS "quad": √ of a uniform grid on t²)', () => {
  it('has equally spaced squares and ends exactly at t0, t1', () => {
    const g = quadraticGrid(0.1, 2, 50);
    expect(g[0]).toBe(0.1);
    expect(g[50]).toBe(2);
    const sq = diffs(g.map((t) => t * t));
    for (const d of sq) expect(d).toBeCloseTo((4 - 0.01) / 50, 12);
  });

  it('is dense at the larger time, whichever end that is', () => {
    const up = diffs(quadraticGrid(0, 1, 100));
    expect(up[99]!).toBeLessThan(up[0]! / 5); // steps ∝ 1/t: last ≈ 0.005, first = 0.1
    const down = quadraticGrid(1, 0, 100);
    const reversed = quadraticGrid(0, 1, 100).reverse();
    for (let k = 0; k <= 100; k++) expect(down[k]).toBeCloseTo(reversed[k]!, 14);
    const d = diffs(down).map(Math.abs);
    expect(d[0]!).toBeLessThan(d[99]! / 5);
  });

  it('rejects negative times, naming them', () => {
    expect(() => quadraticGrid(-1, 1, 10)).toThrow(/quadraticGrid: t0 and t1 must both be ≥ 0.*t0 = -1/);
  });
});

describe('cosineGrid (DDS cos⁴ spacing)', () => {
  it('has step lengths ∝ cos⁴(π/2·(k/N + s)/(1 + s)) summing to t1 − t0', () => {
    const n = 40;
    const g = cosineGrid(0, 2, n);
    expect(g[0]).toBe(0);
    expect(g[n]).toBe(2);
    const d = diffs(g);
    const w = (k: number) => Math.cos(((k / n + 0.008) / 1.008) * (Math.PI / 2)) ** 4;
    let total = 0;
    for (let k = 0; k < n; k++) total += w(k);
    for (let k = 0; k < n; k++) expect(d[k]! / ((2 * w(k)) / total) - 1).toBeCloseTo(0, 10);
  });

  it('is dense near t1 in either direction, and strictly monotone', () => {
    const down = cosineGrid(1, 1e-3, 100);
    const d = diffs(down).map(Math.abs);
    expect(d[99]!).toBeLessThan(1e-6 * d[0]!);
    expect(() => checkTimeGrid('test', 'grid', down)).not.toThrow();
    expect(down.every((t, k) => k === 0 || t < down[k - 1]!)).toBe(true);
  });
});

describe('grid validation', () => {
  it.each([
    ['uniformGrid', uniformGrid],
    ['quadraticGrid', quadraticGrid],
    ['cosineGrid', cosineGrid],
  ] as const)('%s names the bad argument and the valid range', (name, grid) => {
    expect(() => grid(0, 1, 0)).toThrow(new RegExp(`${name}: steps must be an integer ≥ 1, got 0`));
    expect(() => grid(0, 1, 2.5)).toThrow(/steps must be an integer ≥ 1, got 2.5/);
    expect(() => grid(Number.NaN, 1, 2)).toThrow(/t0 must be a finite number, got NaN/);
    expect(() => grid(0, Number.POSITIVE_INFINITY, 2)).toThrow(/t1 must be a finite number, got Infinity/);
    expect(() => grid(0.5, 0.5, 2)).toThrow(/t0 and t1 must differ/);
    expect(grid(0, 1, 1)).toEqual([0, 1]);
  });

  it('checkTimeGrid accepts strictly monotone finite arrays and names the first bad entry', () => {
    expect(() => checkTimeGrid('s', 'timeGrid', [0, 1])).not.toThrow();
    expect(() => checkTimeGrid('s', 'timeGrid', [1, 0.5, 0])).not.toThrow();
    expect(() => checkTimeGrid('s', 'timeGrid', [0])).toThrow(/s: timeGrid must hold at least 2 times/);
    expect(() => checkTimeGrid('s', 'timeGrid', [0, 0.5, 0.5])).toThrow(
      /timeGrid must be strictly increasing .*timeGrid\[1\] = 0.5 then timeGrid\[2\] = 0.5/,
    );
    expect(() => checkTimeGrid('s', 'timeGrid', [1, 0.5, 0.7])).toThrow(/strictly decreasing/);
    expect(() => checkTimeGrid('s', 'timeGrid', [0, Number.NaN])).toThrow(
      /timeGrid\[1\] must be a finite number/,
    );
    expect(() => checkTimeGrid('s', 'timeGrid', [0, '1' as unknown as number])).toThrow(/timeGrid\[1\]/);
    expect(() => checkTimeGrid('s', 'timeGrid', 3 as unknown as number[])).toThrow(TypeError);
  });
});
