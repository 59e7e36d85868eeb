import { describe, expect, it } from 'vitest';
import { philox4x32 } from './philox.js';
import type { RngState } from './rng.js';
import { Rng } from './rng.js';

/** The first `count` words of the documented stream for `key`: blocks at counters 0, 1, 2, … */
function rawWords(key: [number, number], count: number): Uint32Array {
  const out = new Uint32Array(count);
  const k = Uint32Array.from(key);
  for (let b = 0; 4 * b < count; b++) {
    const block = philox4x32(Uint32Array.of(b, 0, 0, 0), k);
    for (let j = 0; j < 4 && 4 * b + j < count; j++) out[4 * b + j] = block[j]!;
  }
  return out;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - m) ** 2;
  return s / (x.length - 1);
}

function corr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Pearson chi-square statistic of observed counts against equal expected counts. */
function chiSquare(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let stat = 0;
  for (let i = 0; i < counts.length; i++) stat += (counts[i]! - expected) ** 2 / expected;
  return stat;
}

// 0.999 quantiles of chi-square with the given degrees of freedom.
const CHI2_999: Record<number, number> = { 2: 13.816, 4: 18.467, 6: 22.458, 19: 43.82 };

describe('Rng seeding', () => {
  it('uses a number or bigint seed as the 64-bit key (low word first)', () => {
    expect(new Rng(42).state().key).toEqual(['0000002a', '00000000']);
    expect(new Rng(2 ** 32 + 5).state().key).toEqual(['00000005', '00000001']);
    expect(new Rng(Number.MAX_SAFE_INTEGER).state().key).toEqual(['ffffffff', '001fffff']);
    expect(new Rng(2n ** 64n - 1n).state().key).toEqual(['ffffffff', 'ffffffff']);
    expect(new Rng(0x123456789abcdefn).state().key).toEqual(['89abcdef', '01234567']);
  });

  it('hashes string seeds with FNV-1a 64 over UTF-8', () => {
    // Published FNV-1a 64 test vectors: '' -> cbf29ce484222325, 'a' -> af63dc4c8601ec8c, 'foobar' -> 85944171f73967e8.
    expect(new Rng('').state().key).toEqual(['84222325', 'cbf29ce4']);
    expect(new Rng('a').state().key).toEqual(['8601ec8c', 'af63dc4c']);
    expect(new Rng('foobar').state().key).toEqual(['f73967e8', '85944171']);
    expect(new Rng('é').state().key).not.toEqual(new Rng('e').state().key);
  });

  it.each([
    ['-1', -1],
    ['1.5', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['2^53', 2 ** 53],
    ['2^64 as bigint', 2n ** 64n],
    ['-1n', -1n],
    ['an object', {}],
    ['null', null],
    ['undefined', undefined],
  ])('rejects %s with an error naming seed', (_name, seed) => {
    expect(() => new Rng(seed as number)).toThrow(/seed/);
  });

  it('distinguishes RangeError (bad value) from TypeError (bad type)', () => {
    expect(() => new Rng(-1)).toThrow(RangeError);
    expect(() => new Rng(2n ** 64n)).toThrow(RangeError);
    expect(() => new Rng({} as unknown as number)).toThrow(TypeError);
  });
});

describe('Rng stream layout', () => {
  it('uniform(n) reads 2n words as a 53-bit fraction', () => {
    const w = rawWords([42, 0], 10);
    const u = new Rng(42).uniform(5);
    for (let i = 0; i < 5; i++) {
      expect(u[i]).toBe(((w[2 * i]! >>> 5) * 2 ** 26 + (w[2 * i + 1]! >>> 6)) / 2 ** 53);
    }
  });

  it('consumes words regardless of block alignment, with no hidden caches', () => {
    const w = rawWords([7, 0], 3 + 10 + 8 + 4);
    const rng = new Rng(7);
    const f = rng.uniformFloat32(3);
    const u = rng.uniform(5);
    const z = rng.normal(3);
    const g = rng.uniformFloat32(4);
    for (let i = 0; i < 3; i++) expect(f[i]).toBe((w[i]! >>> 8) / 2 ** 24);
    for (let i = 0; i < 5; i++) {
      expect(u[i]).toBe(((w[3 + 2 * i]! >>> 5) * 2 ** 26 + (w[4 + 2 * i]! >>> 6)) / 2 ** 53);
    }
    // normal(3) takes two Box–Muller pairs (8 words) and drops the last sine.
    for (let p = 0; p < 2; p++) {
      const j = 13 + 4 * p;
      const u1 = ((w[j]! >>> 5) * 2 ** 26 + (w[j + 1]! >>> 6) + 1) / 2 ** 53;
      const u2 = ((w[j + 2]! >>> 5) * 2 ** 26 + (w[j + 3]! >>> 6)) / 2 ** 53;
      const r = Math.sqrt(-2 * Math.log(u1));
      expect(z[2 * p]).toBe(r * Math.cos(2 * Math.PI * u2));
      if (p === 0) expect(z[1]).toBe(r * Math.sin(2 * Math.PI * u2));
    }
    for (let i = 0; i < 4; i++) expect(g[i]).toBe((w[21 + i]! >>> 8) / 2 ** 24);
  });

  it('splits a call across calls the same way as one call when sizes are word-aligned', () => {
    const a = new Rng(3);
    const b = new Rng(3);
    const whole = a.uniform(9);
    const parts = [...b.uniform(2), ...b.uniform(3), ...b.uniform(4)];
    expect(parts).toEqual([...whole]);
  });

  it('normalFloat32 is normal rounded to float32 with the same consumption', () => {
    const a = new Rng(11);
    const b = new Rng(11);
    expect(a.normalFloat32(7)).toEqual(new Float32Array(b.normal(7)));
    expect(a.uniform(3)).toEqual(b.uniform(3));
  });

  it('zero-length draws return empty arrays and consume nothing', () => {
    const a = new Rng(1);
    expect(a.uniform(0)).toHaveLength(0);
    expect(a.normal(0)).toHaveLength(0);
    expect(a.randint(0, 5)).toHaveLength(0);
    expect(a.choice(10, 0)).toHaveLength(0);
    expect(a.uniform(4)).toEqual(new Rng(1).uniform(4));
  });

  it('rejects bad sizes naming the argument', () => {
    const rng = new Rng(1);
    expect(() => rng.uniform(-1)).toThrow(/n must be a non-negative safe integer, got -1/);
    expect(() => rng.normal(2.5)).toThrow(/n must.*2\.5/);
    expect(() => rng.uniformFloat32(Number.NaN)).toThrow(/n must/);
    expect(() => rng.split(-2)).toThrow(/count must/);
  });
});

describe('Rng reproducibility and state', () => {
  const draw = (rng: Rng): number[] => [
    ...rng.uniform(3),
    ...rng.normal(5),
    ...rng.uniformFloat32(2),
    ...rng.randint(4, 1000),
    ...rng.permutation(6),
    ...rng.normalFloat32(1),
  ];

  it('gives identical sequences for the same seed', () => {
    expect(draw(new Rng(2024))).toEqual(draw(new Rng(2024)));
    expect(draw(new Rng('experiment-a'))).toEqual(draw(new Rng('experiment-a')));
    expect(draw(new Rng(2024n))).toEqual(draw(new Rng(2024)));
  });

  it('gives different sequences for different seeds', () => {
    expect(new Rng(1).uniform(4)).not.toEqual(new Rng(2).uniform(4));
    expect(new Rng(5).uniform(4)).not.toEqual(new Rng('5').uniform(4));
    expect(new Rng(2 ** 32).uniform(4)).not.toEqual(new Rng(0).uniform(4));
  });

  it('starts at counter 0, offset 0', () => {
    expect(new Rng(9).state()).toEqual({
      algorithm: 'philox4x32-10',
      key: ['00000009', '00000000'],
      counter: ['00000000', '00000000', '00000000', '00000000'],
      offset: 0,
      splits: 0,
    });
  });

  it.each([0, 1, 2, 3])('round-trips mid-stream at word offset %i, through JSON', (extra) => {
    const rng = new Rng('checkpoint');
    rng.uniform(7);
    rng.normal(5); // odd length: the unused sine of the last pair is gone, not cached
    rng.uniformFloat32(extra);
    const s = rng.state();
    expect(s.offset).toBe((14 + 12 + extra) % 4);
    expect(s.counter[0]).toBe(
      Math.floor((14 + 12 + extra) / 4)
        .toString(16)
        .padStart(8, '0'),
    );
    const restored = Rng.fromState(JSON.parse(JSON.stringify(s)) as RngState);
    expect(restored.state()).toEqual(s);
    expect(draw(restored)).toEqual(draw(rng));
  });

  it('round-trips after rejection sampling and keeps the split index', () => {
    const rng = new Rng(77);
    rng.randint(101, 3 * 2 ** 29); // rejects about a quarter of words, so the position is data-dependent
    rng.split(3);
    const restored = Rng.fromState(JSON.parse(JSON.stringify(rng.state())) as RngState);
    expect(restored.state().splits).toBe(3);
    const [a] = rng.split(1);
    const [b] = restored.split(1);
    expect(b!.uniform(4)).toEqual(a!.uniform(4));
    expect(draw(restored)).toEqual(draw(rng));
  });

  it('carries the counter across 32-bit word boundaries', () => {
    const s: RngState = {
      algorithm: 'philox4x32-10',
      key: ['00000001', '00000002'],
      counter: ['ffffffff', 'ffffffff', '00000000', '00000000'],
      offset: 2,
      splits: 0,
    };
    const rng = Rng.fromState(s);
    const block0 = philox4x32(Uint32Array.of(0xffffffff, 0xffffffff, 0, 0), Uint32Array.of(1, 2));
    const block1 = philox4x32(Uint32Array.of(0, 0, 1, 0), Uint32Array.of(1, 2));
    const f = rng.uniformFloat32(4);
    expect(Array.from(f)).toEqual(
      [block0[2]!, block0[3]!, block1[0]!, block1[1]!].map((w) => (w >>> 8) / 2 ** 24),
    );
    expect(rng.state().counter).toEqual(['00000000', '00000000', '00000001', '00000000']);
    expect(rng.state().offset).toBe(2);
  });

  it.each([
    ['null', null, /state must be an object/],
    ['algorithm', { algorithm: 'mt19937' }, /state\.algorithm.*'philox4x32-10'.*"mt19937"/],
    ['key length', { key: ['00000000'] }, /state\.key must be an array of 2/],
    ['key hex', { key: ['0000000g', '00000000'] }, /state\.key\[0\].*"0000000g"/],
    ['counter length', { counter: ['0', '0', '0', '0'] }, /state\.counter\[0\] must be an 8-digit hex/],
    [
      'reserved counter word',
      { counter: ['00000000', '00000000', '00000000', '00000001'] },
      /state\.counter\[3\]/,
    ],
    ['offset', { offset: 4 }, /state\.offset.*got 4/],
    ['splits', { splits: -1 }, /state\.splits.*got -1/],
  ])('fromState rejects a bad %s naming the field', (_name, patch, message) => {
    const good = new Rng(1).state();
    const bad = patch === null ? null : { ...good, ...patch };
    expect(() => Rng.fromState(bad as unknown as RngState)).toThrow(message);
  });
});

describe('Rng distributions (Monte Carlo, thresholds at 4 standard errors)', () => {
  const n = 200_000;

  it('uniform: range, 53-bit resolution, mean, variance, 20-bin chi-square, lag-1 correlation', () => {
    const u = new Rng(20240601).uniform(n);
    // Count violations and assert once: a per-element expect() costs more than the whole test.
    let outOfRange = 0;
    let notOn53BitGrid = 0;
    let lowBits = 0;
    for (const x of u) {
      if (!(x >= 0 && x < 1)) outOfRange++;
      if (!Number.isInteger(x * 2 ** 53)) notOn53BitGrid++;
      if ((x * 2 ** 53) % 2 ** 21 !== 0) lowBits++;
    }
    expect(outOfRange).toBe(0);
    expect(notOn53BitGrid).toBe(0);
    // Values built from a single 32-bit word would all be multiples of 2^-32.
    expect(lowBits).toBeGreaterThan(n * 0.99);
    // SE(mean) = sqrt(1/12 / n); SE(var) = sqrt((1/80 - 1/144) / n) = sqrt(1/180 / n).
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
    const bins = new Float64Array(20);
    for (const x of u) bins[Math.floor(x * 20)]!++;
    expect(chiSquare(bins)).toBeLessThan(CHI2_999[19]!);
    // Under independence the lag-1 sample correlation has SE ≈ 1/sqrt(n).
    expect(Math.abs(corr(u.subarray(0, n - 1), u.subarray(1)))).toBeLessThan(4 / Math.sqrt(n));
  });

  it('uniformFloat32: range, mean and 20-bin chi-square', () => {
    const u = new Rng(5).uniformFloat32(n);
    const bins = new Float64Array(20);
    let outOfRange = 0;
    for (const x of u) {
      if (!(x >= 0 && x < 1)) outOfRange++;
      else bins[Math.floor(x * 20)]!++;
    }
    expect(outOfRange).toBe(0);
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(chiSquare(bins)).toBeLessThan(CHI2_999[19]!);
  });

  it('normal: mean, variance, two-sided 1.96 tail, lag-1 correlation', () => {
    const z = new Rng(314159).normal(n);
    // SE(mean) = 1/sqrt(n); SE(var) = sqrt(2/n) for normal data.
    expect(Math.abs(mean(z))).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    let tail = 0;
    let nonFinite = 0;
    for (const x of z) {
      if (!Number.isFinite(x)) nonFinite++;
      if (Math.abs(x) > 1.96) tail++;
    }
    expect(nonFinite).toBe(0);
    const p = 0.049996; // P(|Z| > 1.96)
    expect(Math.abs(tail / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    // Adjacent values of a Box–Muller pair share a radius; check they are still uncorrelated.
    expect(Math.abs(corr(z.subarray(0, n - 1), z.subarray(1)))).toBeLessThan(4 / Math.sqrt(n));
  });

  it('children from split() and fork() are pairwise uncorrelated with each other and the parent', () => {
    const m = 20_000;
    const parent = new Rng(99);
    const streams = [
      ...parent.split(3),
      ...parent.split(1),
      parent.fork('a'),
      parent.fork('b'),
      parent.fork(0),
      parent.fork(1),
      parent.fork('1'),
      parent.fork('a').fork('a'),
    ].map((r) => r.uniform(m));
    streams.push(parent.uniform(m));
    for (let i = 0; i < streams.length; i++) {
      for (let j = i + 1; j < streams.length; j++) {
        expect(Math.abs(corr(streams[i]!, streams[j]!)), `streams ${i} and ${j}`).toBeLessThan(
          4 / Math.sqrt(m),
        );
      }
    }
  });
});

describe('Rng split and fork', () => {
  it('split does not move the parent stream and numbers children consecutively', () => {
    const a = new Rng(8);
    const b = new Rng(8);
    const four = a.split(4);
    expect(four[0]!.state().counter).toEqual(['00000000', '00000000', '00000000', '00000000']);
    const twoPlusTwo = [...b.split(2), ...b.split(2)];
    expect(four.map((r) => Array.from(r.uniform(2)))).toEqual(
      twoPlusTwo.map((r) => Array.from(r.uniform(2))),
    );
    expect(a.uniform(3)).toEqual(new Rng(8).uniform(3));
    expect(a.state().splits).toBe(4);
    const keys = new Set(four.map((r) => r.state().key.join('')));
    expect(keys.size).toBe(4);
  });

  it('fork depends only on the key and the label, not on position or splits', () => {
    const a = new Rng(8);
    const before = a.fork('noise').uniform(4);
    a.normal(13);
    a.split(5);
    expect(a.fork('noise').uniform(4)).toEqual(before);
    expect(a.fork('noise').uniform(4)).not.toEqual(a.fork('dropout').uniform(4));
    expect(a.fork(1).uniform(4)).not.toEqual(a.fork('1').uniform(4));
    expect(new Rng(9).fork('noise').uniform(4)).not.toEqual(before);
  });

  it('rejects bad fork labels', () => {
    const rng = new Rng(1);
    expect(() => rng.fork(-1)).toThrow(/label.*-1/);
    expect(() => rng.fork(0.5)).toThrow(/label/);
    expect(() => rng.fork(null as unknown as string)).toThrow(/label/);
  });
});

describe('Rng integers', () => {
  it('randint stays in range and passes chi-square for a non-power-of-two bound', () => {
    const high = 7;
    const v = new Rng(123).randint(70_000, high);
    const bins = new Float64Array(high);
    let outOfRange = 0;
    for (const x of v) {
      if (!(x >= 0 && x < high)) outOfRange++;
      else bins[x]!++;
    }
    expect(outOfRange).toBe(0);
    expect(chiSquare(bins)).toBeLessThan(CHI2_999[6]!);
  });

  it('randint has no modulo bias for a large bound', () => {
    // high = 3·2^29 goes into 2^32 about 2.67 times, so naive `word % high` would give the first
    // two thirds of the range weight 3 and the last third weight 2; rejection makes them equal.
    const high = 3 * 2 ** 29;
    const v = new Rng(456).randint(60_000, high);
    const bins = new Float64Array(3);
    let outOfRange = 0;
    for (const x of v) {
      if (!(x >= 0 && x < high)) outOfRange++;
      else bins[Math.floor(x / 2 ** 29)]!++;
    }
    expect(outOfRange).toBe(0);
    expect(chiSquare(bins)).toBeLessThan(CHI2_999[2]!);
  });

  it('randint handles the extreme bounds and rejects bad ones', () => {
    const rng = new Rng(1);
    expect(Array.from(rng.randint(10, 1))).toEqual(new Array(10).fill(0));
    expect(rng.randint(1000, 2 ** 31).every((x) => x >= 0)).toBe(true);
    expect(() => rng.randint(3, 0)).toThrow(/high must be an integer in \[1, 2\^31\], got 0/);
    expect(() => rng.randint(3, 2 ** 31 + 1)).toThrow(/high/);
    expect(() => rng.randint(3, 2.5)).toThrow(/high/);
    expect(() => rng.randint(-1, 3)).toThrow(/n must/);
  });

  it('permutation is a permutation', () => {
    const rng = new Rng(31);
    for (const size of [0, 1, 2, 10, 1000]) {
      const p = rng.permutation(size);
      expect(p).toBeInstanceOf(Int32Array);
      expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: size }, (_, i) => i));
    }
    expect(rng.permutation(50)).not.toEqual(rng.permutation(50));
  });

  it('permutation is uniform: the image of each index passes chi-square', () => {
    const rng = new Rng(2718);
    const trials = 20_000;
    const first = new Float64Array(5);
    const last = new Float64Array(5);
    for (let t = 0; t < trials; t++) {
      const p = rng.permutation(5);
      first[p[0]!]!++;
      last[p[4]!]!++;
    }
    expect(chiSquare(first)).toBeLessThan(CHI2_999[4]!);
    expect(chiSquare(last)).toBeLessThan(CHI2_999[4]!);
  });

  it('choice(n, k) returns k distinct indices equal to the first k of permutation(n)', () => {
    for (const [n, k] of [
      [1000, 10], // sparse path
      [1000, 600], // dense path
      [2 ** 31, 5], // huge population without allocating it
    ] as const) {
      const c = new Rng(17).choice(n, k);
      expect(new Set(c).size).toBe(k);
      expect(c.every((x) => x >= 0 && x < n)).toBe(true);
      if (n <= 1000) expect(c).toEqual(new Rng(17).permutation(n).subarray(0, k));
    }
    const rng = new Rng(1);
    expect(() => rng.choice(5, 6)).toThrow(/k must be an integer in \[0, n\] = \[0, 5\], got 6/);
    expect(() => rng.choice(-1, 0)).toThrow(/n must/);
  });
});
