import { describe, expect, it } from 'vitest';
import { linearSumAssignment } from './assignment.js';
import { bruteForceAssignment, hungarianCost, testRandom } from './assignment.test-helper.js';
import { squaredDistanceMatrix } from './distances.js';

function expectPermutation(rowToCol: Int32Array, colToRow: Int32Array): void {
  const n = rowToCol.length;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = rowToCol[i]!;
    expect(j).toBeGreaterThanOrEqual(0);
    expect(j).toBeLessThan(n);
    expect(seen[j]).toBe(0);
    seen[j] = 1;
    expect(colToRow[j]).toBe(i);
  }
}

function costOf(cost: Float64Array, n: number, rowToCol: Int32Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += cost[i * n + rowToCol[i]!]!;
  return s;
}

function randomCost(random: () => number, n: number, kind: 'real' | 'int' | 'binary'): Float64Array {
  return Float64Array.from({ length: n * n }, () => {
    if (kind === 'real') return random() * 10 - 3;
    if (kind === 'int') return Math.floor(random() * 5);
    return random() < 0.5 ? 0 : 1;
  });
}

describe('linearSumAssignment', () => {
  it('matches brute force over all permutations for n ≤ 7 (real, small-integer and 0/1 costs)', () => {
    const random = testRandom(1);
    let instances = 0;
    for (let n = 2; n <= 7; n++) {
      const count = n <= 5 ? 150 : n === 6 ? 60 : 25;
      for (const kind of ['real', 'int', 'binary'] as const) {
        for (let rep = 0; rep < count; rep++) {
          const cost = randomCost(random, n, kind);
          const result = linearSumAssignment(cost, n);
          expectPermutation(result.rowToCol, result.colToRow);
          expect(result.cost).toBe(costOf(cost, n, result.rowToCol));
          const best = bruteForceAssignment(cost, n);
          if (kind === 'real') expect(result.cost).toBeCloseTo(best, 10);
          else expect(result.cost).toBe(best);
          instances++;
        }
      }
    }
    expect(instances).toBe(3 * (4 * 150 + 60 + 25));
  });

  it('matches the textbook Hungarian algorithm for n = 60 … 250 (real, integer and geometric costs)', () => {
    const random = testRandom(2);
    for (const n of [60, 120, 250]) {
      for (const kind of ['real', 'int'] as const) {
        const cost = randomCost(random, n, kind);
        const result = linearSumAssignment(cost, n);
        expectPermutation(result.rowToCol, result.colToRow);
        const reference = hungarianCost(cost, n);
        if (kind === 'int') expect(result.cost).toBe(reference);
        else expect(result.cost).toBeCloseTo(reference, 9);
      }
      const a = Float64Array.from({ length: 2 * n }, () => random() * 4 - 2);
      const b = Float64Array.from({ length: 2 * n }, () => random() * 4 - 2);
      const geometric = squaredDistanceMatrix(a, b, 2);
      expect(linearSumAssignment(geometric, n).cost).toBeCloseTo(hungarianCost(geometric, n), 9);
    }
  });

  it('matches the Hungarian algorithm on the coarse-to-fine path (n = 400, shifted and rescaled clouds)', () => {
    const random = testRandom(4);
    const n = 400;
    const a = Float64Array.from({ length: 2 * n }, () => random() * 2 - 1);
    for (const [scale, shift] of [
      [1, 5],
      [4, 0],
      [0.2, -3],
    ] as const) {
      const b = Float64Array.from(
        { length: 2 * n },
        (_, k) => (random() * 2 - 1) * scale + (k % 2 === 0 ? shift : 0),
      );
      const cost = squaredDistanceMatrix(a, b, 2);
      const result = linearSumAssignment(cost, n);
      expectPermutation(result.rowToCol, result.colToRow);
      expect(result.cost).toBeCloseTo(hungarianCost(cost, n), 8);
    }
  });

  it('solves integer instances with a known optimum', () => {
    // scipy.optimize.linear_sum_assignment's documented example: rows → [1, 0, 2], cost 5.
    const scipy = Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
    const r1 = linearSumAssignment(scipy, 3);
    expect(Array.from(r1.rowToCol)).toEqual([1, 0, 2]);
    expect(r1.cost).toBe(5);

    // Rearrangement inequality: cost −i·j is minimised only by the identity, at −Σ i².
    const n = 40;
    const rearrange = Float64Array.from({ length: n * n }, (_, k) => -Math.floor(k / n) * (k % n));
    const r2 = linearSumAssignment(rearrange, n);
    expect(Array.from(r2.rowToCol)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(r2.cost).toBe(-((n - 1) * n * (2 * n - 1)) / 6);

    // (i − j)² with a cyclic shift of the columns: the unique optimum undoes the shift, cost 0.
    const shift = 7;
    const shifted = Float64Array.from({ length: n * n }, (_, k) => {
      const i = Math.floor(k / n);
      const j = ((k % n) + shift) % n;
      return (i - j) ** 2;
    });
    const r3 = linearSumAssignment(shifted, n);
    expect(r3.cost).toBe(0);
    for (let i = 0; i < n; i++) expect((r3.rowToCol[i]! + shift) % n).toBe(i);

    // A 4×4 with a unique optimum found by hand: 1 + 2 + 1 + 3 = 7 (rows → [1, 3, 0, 2]).
    const hand = Float64Array.from([9, 1, 9, 9, 9, 9, 9, 2, 1, 9, 9, 9, 9, 9, 3, 9]);
    const r4 = linearSumAssignment(hand, 4);
    expect(Array.from(r4.rowToCol)).toEqual([1, 3, 0, 2]);
    expect(r4.cost).toBe(7);
  });

  it('handles degenerate ties: constant, rank-one sums, duplicated rows, all zeros', () => {
    const n = 30;
    const constant = new Float64Array(n * n).fill(2.5);
    const c1 = linearSumAssignment(constant, n);
    expectPermutation(c1.rowToCol, c1.colToRow);
    expect(c1.cost).toBe(2.5 * n);

    // c[i, j] = u_i + v_j: every permutation costs Σu + Σv.
    const u = Array.from({ length: n }, (_, i) => i * 3);
    const v = Array.from({ length: n }, (_, j) => (j * 7) % 11);
    const sum = Float64Array.from({ length: n * n }, (_, k) => u[Math.floor(k / n)]! + v[k % n]!);
    const c2 = linearSumAssignment(sum, n);
    expectPermutation(c2.rowToCol, c2.colToRow);
    expect(c2.cost).toBe(u.reduce((s, x) => s + x, 0) + v.reduce((s, x) => s + x, 0));

    // Every row identical: any permutation is optimal.
    const row = Array.from({ length: n }, (_, j) => (j * 13) % 17);
    const duplicated = Float64Array.from({ length: n * n }, (_, k) => row[k % n]!);
    const c3 = linearSumAssignment(duplicated, n);
    expectPermutation(c3.rowToCol, c3.colToRow);
    expect(c3.cost).toBe(row.reduce((s, x) => s + x, 0));

    const zeros = linearSumAssignment(new Float64Array(n * n), n);
    expectPermutation(zeros.rowToCol, zeros.colToRow);
    expect(zeros.cost).toBe(0);
  });

  it('handles n = 1 and n = 0', () => {
    const one = linearSumAssignment(Float64Array.of(-4.5), 1);
    expect(Array.from(one.rowToCol)).toEqual([0]);
    expect(one.cost).toBe(-4.5);
    const none = linearSumAssignment(new Float64Array(0), 0);
    expect(none.rowToCol).toHaveLength(0);
    expect(none.cost).toBe(0);
  });

  it('rejects a wrong size, non-finite costs and a bad n, naming the problem', () => {
    expect(() => linearSumAssignment(new Float64Array(5), 2)).toThrow(
      /cost has length 5 but n = 2 needs n·n = 4/,
    );
    expect(() => linearSumAssignment(Float64Array.of(0, 1, Number.NaN, 2), 2)).toThrow(
      /cost\[1, 0\] \(row 1\) is NaN/,
    );
    expect(() => linearSumAssignment(Float64Array.of(0, Number.POSITIVE_INFINITY, 1, 2), 2)).toThrow(
      /row 0.*Infinity/,
    );
    expect(() => linearSumAssignment(new Float64Array(4), 1.5)).toThrow(/n must be a non-negative integer/);
    expect(() => linearSumAssignment(new Float32Array(4) as unknown as Float64Array, 2)).toThrow(
      /cost must be a Float64Array/,
    );
  });

  it('times 512×512 and 2000×2000 squared-Euclidean assignments (logged, not asserted)', () => {
    const random = testRandom(3);
    for (const n of [512, 2000]) {
      const a = Float64Array.from({ length: 2 * n }, () => random() * 4 - 2);
      const b = Float64Array.from({ length: 2 * n }, () => random() * 4 - 2);
      const started = performance.now();
      const cost = squaredDistanceMatrix(a, b, 2);
      const built = performance.now();
      const result = linearSumAssignment(cost, n);
      const solved = performance.now();
      expectPermutation(result.rowToCol, result.colToRow);
      console.log(
        `linearSumAssignment n=${n}: distance matrix ${(built - started).toFixed(0)} ms, ` +
          `solve ${(solved - built).toFixed(0)} ms, mean cost ${(result.cost / n).toFixed(5)}`,
      );
    }
  });
});
