import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { trajectoryStatistics } from './trajectory-statistics.js';

const DIM = 3;
const PATHS = 7;
const TIMES = [0.1, 0.5, 1];
const DTS = [0.4, 0.4, 0.5];

function paths(seed: number): { xs: Float32Array[]; zs: Float32Array[] } {
  const rng = new Rng(seed);
  return {
    xs: TIMES.map(() => rng.normalFloat32(PATHS * DIM)),
    zs: TIMES.map(() => rng.normalFloat32(PATHS * DIM).map((v) => 3 * v + 1)),
  };
}

/** (1/|rows|) Σ_rows a_r[i]·b_r[j], written out entry by entry. */
function moment(a: Float32Array, b: Float32Array, rows: readonly number[], i: number, j: number): number {
  let s = 0;
  for (const r of rows) s += a[r * DIM + i]! * b[r * DIM + j]!;
  return s / rows.length;
}

describe('trajectoryStatistics', () => {
  it('computes E[x xᵀ] and E[ẑ xᵀ] per time over all paths', () => {
    const { xs, zs } = paths(1);
    const stats = trajectoryStatistics({ times: TIMES, dts: DTS, xs, zs, dim: DIM });
    expect(Array.from(stats.times)).toEqual(TIMES);
    expect(Array.from(stats.dts)).toEqual(DTS);
    const all = Array.from({ length: PATHS }, (_, i) => i);
    TIMES.forEach((_, k) => {
      for (let i = 0; i < DIM; i++) {
        for (let j = 0; j < DIM; j++) {
          expect(stats.xx[k]!.get(i, j)).toBeCloseTo(moment(xs[k]!, xs[k]!, all, i, j), 12);
          // E[ẑ xᵀ]: row index on ẑ, column index on x (not symmetric).
          expect(stats.zx[k]!.get(i, j)).toBeCloseTo(moment(zs[k]!, xs[k]!, all, i, j), 12);
        }
      }
      expect(stats.xx[k]!.sub(stats.xx[k]!.transpose()).maxAbs()).toBe(0);
      expect(stats.zx[k]!.sub(stats.zx[k]!.transpose()).maxAbs()).toBeGreaterThan(0.1);
    });
  });

  it('uses only the listed rows (repeats count twice)', () => {
    const { xs, zs } = paths(2);
    const rows = [4, 0, 4, 6];
    const stats = trajectoryStatistics({
      times: TIMES,
      dts: DTS,
      xs,
      zs,
      dim: DIM,
      rows: Int32Array.from(rows),
    });
    const full = trajectoryStatistics({ times: TIMES, dts: DTS, xs, zs, dim: DIM });
    TIMES.forEach((_, k) => {
      for (let i = 0; i < DIM; i++) {
        for (let j = 0; j < DIM; j++) {
          expect(stats.xx[k]!.get(i, j)).toBeCloseTo(moment(xs[k]!, xs[k]!, rows, i, j), 12);
          expect(stats.zx[k]!.get(i, j)).toBeCloseTo(moment(zs[k]!, xs[k]!, rows, i, j), 12);
        }
      }
      expect(stats.xx[k]!.sub(full.xx[k]!).maxAbs()).toBeGreaterThan(1e-3);
    });
  });

  it('refuses mismatched lengths and empty row sets', () => {
    const { xs, zs } = paths(3);
    expect(() => trajectoryStatistics({ times: TIMES, dts: DTS, xs: xs.slice(1), zs, dim: DIM })).toThrow(
      'trajectoryStatistics: times (3), dts (3), xs (2) and zs (3) must have one entry per time',
    );
    expect(() => trajectoryStatistics({ times: TIMES, dts: [0.1], xs, zs, dim: DIM })).toThrow(/dts \(1\)/);
    expect(() => trajectoryStatistics({ times: TIMES, dts: DTS, xs, zs: zs.slice(0, 2), dim: DIM })).toThrow(
      /zs \(2\)/,
    );
    const short = [...zs];
    short[1] = short[1]!.subarray(0, (PATHS - 1) * DIM);
    expect(() => trajectoryStatistics({ times: TIMES, dts: DTS, xs, zs: short, dim: DIM })).toThrow(
      `trajectoryStatistics: time 1 holds ${PATHS * DIM} / ${(PATHS - 1) * DIM} values, expected ${PATHS * DIM}`,
    );
    expect(() => trajectoryStatistics({ times: TIMES, dts: DTS, xs, zs, dim: DIM, rows: [] })).toThrow(
      'trajectoryStatistics: needs at least one path',
    );
  });
});
