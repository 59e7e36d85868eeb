import { describe, expect, it } from 'vitest';
import { mulhi32, philox4x32 } from './philox.js';

const hexWords = (a: Uint32Array): string[] => Array.from(a, (w) => w.toString(16).padStart(8, '0'));
const words = (...hex: string[]): Uint32Array => Uint32Array.from(hex, (h) => Number.parseInt(h, 16));

// Random123 tests/kat_vectors: philox4x32 <rounds> <ctr0..3> <key0..1> -> <out0..3>.
const KAT: [rounds: number, counter: string[], key: string[], out: string[]][] = [
  [
    10,
    ['00000000', '00000000', '00000000', '00000000'],
    ['00000000', '00000000'],
    ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8'],
  ],
  [
    10,
    ['ffffffff', 'ffffffff', 'ffffffff', 'ffffffff'],
    ['ffffffff', 'ffffffff'],
    ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd'],
  ],
  [
    10,
    ['243f6a88', '85a308d3', '13198a2e', '03707344'],
    ['a4093822', '299f31d0'],
    ['d16cfe09', '94fdcceb', '5001e420', '24126ea1'],
  ],
  [
    7,
    ['00000000', '00000000', '00000000', '00000000'],
    ['00000000', '00000000'],
    ['5f6fb709', '0d893f64', '4f121f81', '4f730a48'],
  ],
  [
    7,
    ['ffffffff', 'ffffffff', 'ffffffff', 'ffffffff'],
    ['ffffffff', 'ffffffff'],
    ['5207ddc2', '45165e59', '4d8ee751', '8c52f662'],
  ],
  [
    7,
    ['243f6a88', '85a308d3', '13198a2e', '03707344'],
    ['a4093822', '299f31d0'],
    ['4dfccaba', '190a87f0', 'c47362ba', 'b6b5242a'],
  ],
];

describe('philox4x32', () => {
  it.each(KAT)('matches the Random123 known answer (%i rounds, counter %j)', (rounds, counter, key, out) => {
    expect(hexWords(philox4x32(words(...counter), words(...key), rounds))).toEqual(out);
  });

  it('defaults to 10 rounds', () => {
    const c = words('243f6a88', '85a308d3', '13198a2e', '03707344');
    const k = words('a4093822', '299f31d0');
    expect(philox4x32(c, k)).toEqual(philox4x32(c, k, 10));
  });

  it('does not modify its inputs', () => {
    const c = words('ffffffff', '1', '2', '3');
    const k = words('4', '5');
    philox4x32(c, k);
    expect(hexWords(c)).toEqual(['ffffffff', '00000001', '00000002', '00000003']);
    expect(hexWords(k)).toEqual(['00000004', '00000005']);
  });

  it('rejects malformed counters, keys and round counts', () => {
    const c = new Uint32Array(4);
    const k = new Uint32Array(2);
    expect(() => philox4x32(new Uint32Array(3), k)).toThrow(/counter.*length 4.*length 3/);
    expect(() => philox4x32([0, 0, 0, 0] as unknown as Uint32Array, k)).toThrow(/counter/);
    expect(() => philox4x32(c, new Uint32Array(4))).toThrow(/key.*length 2/);
    expect(() => philox4x32(c, k, 0)).toThrow(/rounds.*got 0/);
    expect(() => philox4x32(c, k, 2.5)).toThrow(/rounds/);
  });
});

describe('mulhi32', () => {
  it('is the exact high word of the 64-bit product', () => {
    const edge = [
      0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0xd2511f53, 0xcd9e8d57,
    ];
    const values = [...edge];
    // A fixed LCG spreads extra operands over the whole range without depending on the code under test.
    let x = 12345;
    for (let i = 0; i < 200; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      values.push(x);
    }
    const wrong: string[] = [];
    for (const a of values) {
      for (const b of edge) {
        const expected = Number((BigInt(a) * BigInt(b)) >> 32n);
        if (mulhi32(a, b) !== expected || mulhi32(b, a) !== expected) wrong.push(`${a} * ${b}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
