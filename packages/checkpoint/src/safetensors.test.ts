import { describe, expect, it } from 'vitest';
import { readLittleEndian, writeLittleEndian } from './byte-order.js';
import { CheckpointError } from './errors.js';
import type { NamedArray } from './named-array.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Builds a safetensors file from a header object (or raw header text) and a data buffer. */
function file(header: unknown, data: number[] = [], pad = true): Uint8Array {
  let text = typeof header === 'string' ? header : JSON.stringify(header);
  if (pad) text = text.padEnd(Math.ceil(text.length / 8) * 8, ' ');
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(ascii(text), 8);
  out.set(data, 8 + text.length);
  return out;
}

function refused(bytes: Uint8Array): CheckpointError {
  try {
    decodeSafetensors(bytes, 'w.safetensors');
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    const e = error as CheckpointError;
    expect(e.message).toContain('w.safetensors');
    expect(e.message).not.toContain('\n');
    return e;
  }
  throw new Error('expected decodeSafetensors to throw');
}

describe('encodeSafetensors', () => {
  it('writes the exact Hugging Face layout for a tiny file (bytes built by hand)', () => {
    const bytes = encodeSafetensors(
      {
        b: { dtype: 'I32', shape: [], data: Int32Array.of(7) },
        a: { dtype: 'F32', shape: [2], data: Float32Array.of(1, -2) },
      },
      { k: 'v' },
    );
    // Metadata first, then tensors by name; a (8 bytes) is laid out before b (4 bytes).
    const header =
      '{"__metadata__":{"k":"v"},' +
      '"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},' +
      '"b":{"dtype":"I32","shape":[],"data_offsets":[8,12]}}';
    expect(header.length).toBe(132); // padded with 4 spaces to 136 = 0x88, a multiple of 8
    const expected = [
      ...[0x88, 0, 0, 0, 0, 0, 0, 0], // u64 LE header length
      ...ascii(header),
      ...ascii('    '),
      ...[0x00, 0x00, 0x80, 0x3f], // 1.0f
      ...[0x00, 0x00, 0x00, 0xc0], // -2.0f
      ...[0x07, 0x00, 0x00, 0x00], // 7 (i32)
    ];
    expect([...bytes]).toEqual(expected);
    const back = decodeSafetensors(bytes);
    expect(back.metadata).toEqual({ k: 'v' });
    expect(back.tensors.a).toEqual({ dtype: 'F32', shape: [2], data: Float32Array.of(1, -2) });
    expect(back.tensors.b).toEqual({ dtype: 'I32', shape: [], data: Int32Array.of(7) });
  });

  it('omits __metadata__ when there is none and pads the header to a multiple of 8', () => {
    const bytes = encodeSafetensors({ x: { dtype: 'F64', shape: [1], data: Float64Array.of(0.5) } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd()).toBe('{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}');
    expect(bytes.length).toBe(8 + n + 8);
  });

  it('refuses malformed tensors before writing anything', () => {
    const enc = (t: unknown) => () => encodeSafetensors({ t } as Record<string, NamedArray>);
    expect(enc({ dtype: 'F16', shape: [1], data: new Float32Array(1) })).toThrow(/dtype "F16"/);
    expect(enc({ dtype: 'F32', shape: [1], data: new Float64Array(1) })).toThrow(/must be a Float32Array/);
    expect(enc({ dtype: 'F32', shape: [2, 2], data: new Float32Array(3) })).toThrow(/4 elements\) but 3/);
    expect(enc({ dtype: 'F32', shape: [-1], data: new Float32Array(0) })).toThrow(/non-negative integers/);
    expect(() =>
      encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [0], data: new Float32Array(0) } }),
    ).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { k: 1 as unknown as string })).toThrow(
      /metadata "k" must be a string/,
    );
  });
});

describe('round trips', () => {
  const cases: Record<string, NamedArray> = {
    f32: { dtype: 'F32', shape: [2, 3], data: Float32Array.of(0, -1.5, 3.25, Number.NaN, Infinity, -0) },
    f64: { dtype: 'F64', shape: [3], data: Float64Array.of(Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE) },
    i32: { dtype: 'I32', shape: [2, 2], data: Int32Array.of(-2147483648, 2147483647, 0, -1) },
    u32: { dtype: 'U32', shape: [2], data: Uint32Array.of(0, 4294967295) },
    i64: { dtype: 'I64', shape: [2], data: BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n) },
    scalar: { dtype: 'F32', shape: [], data: Float32Array.of(42) },
    empty: { dtype: 'F32', shape: [0], data: new Float32Array(0) },
    emptyMatrix: { dtype: 'I32', shape: [3, 0], data: new Int32Array(0) },
    emptyToo: { dtype: 'F64', shape: [0, 5], data: new Float64Array(0) },
  };

  it('keeps every dtype, scalars and empty tensors bit for bit', () => {
    const back = decodeSafetensors(encodeSafetensors(cases, { note: 'ünïcødé ✓' }));
    expect(back.metadata).toEqual({ note: 'ünïcødé ✓' });
    expect(Object.keys(back.tensors)).toEqual(Object.keys(cases).sort());
    for (const [name, t] of Object.entries(cases)) {
      const got = back.tensors[name]!;
      expect(got.dtype, name).toBe(t.dtype);
      expect(got.shape, name).toEqual(t.shape);
      expect(got.data.constructor, name).toBe(t.data.constructor);
      const bytes = (a: NamedArray['data']) => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];
      expect(bytes(got.data), name).toEqual(bytes(t.data)); // bit patterns: NaN and -0 survive
    }
  });

  it('handles a file of nothing but empty tensors, and no tensors at all', () => {
    expect(decodeSafetensors(encodeSafetensors({})).tensors).toEqual({});
    const back = decodeSafetensors(encodeSafetensors({ a: cases.empty!, b: cases.emptyMatrix! }));
    expect(back.tensors.b).toEqual(cases.emptyMatrix);
  });

  it('round-trips 1e6 floats, and reads typed-array views with an offset', () => {
    const big = new Float32Array(1_000_000).map((_, i) => Math.sin(i));
    const backing = new Float64Array(10).map((_, i) => i);
    const view = backing.subarray(3, 7); // byteOffset 24, not the start of its buffer
    const bytes = encodeSafetensors({
      big: { dtype: 'F32', shape: [1000, 1000], data: big },
      view: { dtype: 'F64', shape: [4], data: view },
    });
    expect(bytes.length).toBeGreaterThan(4_000_000);
    const back = decodeSafetensors(bytes);
    const got = back.tensors.big!.data;
    // A loop, not toEqual: deep equality over a million elements takes seconds.
    let mismatches = 0;
    for (let i = 0; i < big.length; i++) if (got[i] !== big[i]) mismatches++;
    expect(got.length).toBe(big.length);
    expect(mismatches).toBe(0);
    expect([...back.tensors.view!.data]).toEqual([3, 4, 5, 6]);
  });

  it('returns aligned arrays that own their buffers even when the file bytes are at an odd offset', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F64', shape: [2], data: Float64Array.of(1, 2) } });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const a = decodeSafetensors(shifted.subarray(3)).tensors.a!;
    expect(a.data.byteOffset).toBe(0);
    expect(a.data.buffer.byteLength).toBe(16);
    expect([...a.data]).toEqual([1, 2]);
  });

  it('reads a file written by another writer: unpadded header, offsets not in name order', () => {
    const data = [...new Uint8Array(Float32Array.of(5).buffer), ...new Uint8Array(Int32Array.of(-3).buffer)];
    const header = {
      z: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      a: { dtype: 'I32', shape: [1], data_offsets: [4, 8] },
    };
    const back = decodeSafetensors(file(header, data, false));
    expect([...back.tensors.z!.data]).toEqual([5]);
    expect([...back.tensors.a!.data]).toEqual([-3]);
    expect(back.metadata).toEqual({});
  });
});

describe('byte order', () => {
  it('the big-endian code path writes and reads the same little-endian bytes', () => {
    const arrays: NamedArray[] = [
      { dtype: 'F32', shape: [3], data: Float32Array.of(1.5, -2, 1e-30) },
      { dtype: 'F64', shape: [2], data: Float64Array.of(Math.E, -0) },
      { dtype: 'I32', shape: [2], data: Int32Array.of(-5, 123456789) },
      { dtype: 'U32', shape: [1], data: Uint32Array.of(4000000000) },
      { dtype: 'I64', shape: [1], data: BigInt64Array.of(-1234567890123n) },
    ];
    for (const t of arrays) {
      const fast = new Uint8Array(t.data.byteLength + 2);
      const slow = new Uint8Array(t.data.byteLength + 2);
      writeLittleEndian(fast, 2, t.dtype, t.data, true);
      writeLittleEndian(slow, 2, t.dtype, t.data, false);
      expect([...slow], t.dtype).toEqual([...fast]);
      expect(readLittleEndian(fast, 2, t.dtype, t.data.length, false), t.dtype).toEqual(t.data);
    }
  });
});

describe('decodeSafetensors refuses bad files with one-line errors naming the file', () => {
  const good = encodeSafetensors({
    a: { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) },
    b: { dtype: 'F32', shape: [1], data: Float32Array.of(3) },
  });

  it('too short for a header', () => {
    const e = refused(good.subarray(0, 5));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/too short/);
  });

  it('header length beyond the end of the file', () => {
    const e = refused(good.subarray(0, 40));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/truncated: the header length is \d+ bytes but only 32/);
  });

  it('data cut short (the header intact)', () => {
    const e = refused(good.subarray(0, good.length - 2));
    expect(e.code).toBe('truncated');
    expect(e.message).toMatch(/tensor "b" needs bytes 8\.\.12 of the data buffer, which has only 10/);
  });

  it('random bytes and text files are not safetensors', () => {
    const random = new Uint8Array(1000).map((_, i) => (i * 2654435761) >>> 24);
    expect(refused(random).code).toBe('foreign');
    expect(refused(random).message).toMatch(/is not a safetensors file/);
    expect(refused(new TextEncoder().encode('hello, this is a text file')).code).toBe('foreign');
  });

  it('header that is not JSON, or not an object', () => {
    expect(refused(file('{"a": nope}')).message).toMatch(/not a safetensors file \(header is not valid JSON/);
    expect(refused(file('{"a":1')).code).toBe('foreign');
    expect(refused(file('[1, 2]')).message).toMatch(/not a safetensors file \(no JSON header/);
    const invalidUtf8 = file('{"\u00ff"}');
    invalidUtf8[10] = 0xff;
    expect(refused(invalidUtf8).message).toMatch(/not UTF-8/);
  });

  it('unknown dtype', () => {
    const e = refused(file({ a: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } }, [0, 0]));
    expect(e.code).toBe('foreign');
    expect(e.message).toMatch(
      /tensor "a" has dtype BF16, which is not supported \(supported: F32, F64, I32, U32, I64\)/,
    );
  });

  it('malformed entries and metadata', () => {
    expect(refused(file({ a: 3 })).message).toMatch(/tensor "a" is 3/);
    expect(refused(file({ a: { shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0])).message).toMatch(
      /no dtype/,
    );
    expect(
      refused(file({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 4] } }, [0, 0, 0, 0])).code,
    ).toBe('corrupt');
    expect(refused(file({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } })).message).toMatch(
      /invalid data_offsets \[4, 0\]/,
    );
    expect(refused(file({ __metadata__: { k: 1 } })).message).toMatch(/__metadata__\.k is 1, not a string/);
  });

  it('shape and offsets disagree', () => {
    const e = refused(file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/needs 8 bytes but its data_offsets \[0, 4\] span 4/);
  });

  it('overlapping offsets, holes, and trailing garbage', () => {
    const four = [0, 0, 128, 63];
    const overlap = {
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
    };
    expect(refused(file(overlap, four)).message).toMatch(/tensors "a" and "b" overlap/);
    const hole = { a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    expect(refused(file(hole, [...four, ...four])).message).toMatch(
      /bytes 0\.\.4 of the data buffer belong to no tensor/,
    );
    const trailing = refused(
      file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, [...four, 1, 2]),
    );
    expect(trailing.code).toBe('corrupt');
    expect(trailing.message).toMatch(/2 bytes of trailing garbage/);
    expect(refused(new Uint8Array([...good, 0])).message).toMatch(/trailing garbage/);
  });
});
