import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSameBits, xorshiftWords } from '../testing/monte-carlo.test-helper.js';
import { decodeNpy, encodeNpy, readNpy, writeNpy } from './npy.js';

const dir = mkdtempSync(join(tmpdir(), 'bridgekit-data-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93 N U M P Y

/** The 2×3 float32 array [[1, 2, −0.5], [0.1, 3, −2]] as little-endian bytes, written out by hand. */
const DATA_F4 = [
  [0x00, 0x00, 0x80, 0x3f], // 1
  [0x00, 0x00, 0x00, 0x40], // 2
  [0x00, 0x00, 0x00, 0xbf], // -0.5
  [0xcd, 0xcc, 0xcc, 0x3d], // 0.1f
  [0x00, 0x00, 0x40, 0x40], // 3
  [0x00, 0x00, 0x00, 0xc0], // -2
].flat();
const VALUES = new Float32Array([1, 2, -0.5, 0.1, 3, -2]);
const DICT = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

/**
 * A .npy file built by hand per the NPY format spec: magic, version, little-endian header length
 * (2 bytes for 1.0, 4 for 2.0/3.0), the dict padded with spaces and ended by '\n' so that the data
 * starts at a multiple of 64, then the data.
 */
function handBuilt(major: 1 | 2 | 3, dict = DICT, data: number[] = DATA_F4): Uint8Array {
  const preamble = major === 1 ? 10 : 12;
  const total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  const headerLength = total - preamble;
  const lengthBytes =
    major === 1 ? [headerLength & 0xff, headerLength >> 8] : [headerLength & 0xff, headerLength >> 8, 0, 0];
  const header = [...ascii(dict), ...new Array(headerLength - dict.length - 1).fill(0x20), 0x0a];
  return new Uint8Array([...MAGIC, major, 0, ...lengthBytes, ...header, ...data]);
}

describe('.npy encoding', () => {
  it('writes exactly the bytes of the NPY 1.0 spec (as numpy.save does)', () => {
    const expected = new Uint8Array([
      ...MAGIC,
      0x01,
      0x00, // version 1.0
      0x76,
      0x00, // header length 118 = 128 − 10, little-endian uint16
      ...ascii(DICT), // 59 bytes
      ...new Array(58).fill(0x20), // padding: 10 + 59 + 58 + 1 = 128
      0x0a,
      ...DATA_F4,
    ]);
    expect(encodeNpy(VALUES, 3)).toEqual(expected);
    expect(handBuilt(1)).toEqual(expected);
  });

  it('reads hand-built version 1.0, 2.0 and 3.0 files', () => {
    for (const major of [1, 2, 3] as const) {
      expect(decodeNpy(handBuilt(major), `v${major}`)).toEqual({ points: VALUES, dim: 3 });
    }
  });

  it("reads '<f8' and converts it to float32", () => {
    const f64 = new Float64Array([1.5, 2.25, 0.1, -4]);
    const data = Array.from(new Uint8Array(f64.buffer));
    const bytes = handBuilt(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", data);
    expect(decodeNpy(bytes)).toEqual({ points: new Float32Array([1.5, 2.25, 0.1, -4]), dim: 2 });
  });

  it('round-trips through files bit-exactly, atomically', () => {
    // Arbitrary bit patterns with the top exponent bit cleared: finite, subnormals and -0 included.
    const points = new Float32Array(xorshiftWords(3000 * 7, 3).map((w) => w & 0xbfffffff).buffer);
    const path = join(dir, 'nested', 'x.npy');
    writeNpy(path, points, 7);
    const read = readNpy(path);
    expect(read.dim).toBe(7);
    expectSameBits(read.points, points);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['x.npy']);
    writeNpy(path, new Float32Array([-0, 5]), 1);
    const back = readNpy(path);
    expect(back.dim).toBe(1);
    expect(Object.is(back.points[0], -0)).toBe(true);
    expect(readFileSync(path).length % 64).toBe(8);
  });

  it('refuses other dtypes, big-endian data, Fortran order and non-2-D shapes, naming the source', () => {
    const header = (descr: string, fortran: string, shape: string) =>
      `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
    expect(() => decodeNpy(handBuilt(1, header('<i4', 'False', '(2, 3)')), 'ints.npy')).toThrow(
      "ints.npy: dtype '<i4' is not supported; valid: '<f4' (float32) or '<f8' (float64, converted to float32)",
    );
    expect(() => decodeNpy(handBuilt(1, header('>f4', 'False', '(2, 3)')), 'be.npy')).toThrow(
      /be\.npy: dtype '>f4' is big-endian, which is not supported; valid: '<f4'/,
    );
    expect(() => decodeNpy(handBuilt(1, header('<f4', 'True', '(2, 3)')), 'f.npy')).toThrow(
      /f\.npy: fortran_order is True \(column-major data\); only C-order arrays are supported/,
    );
    expect(() => decodeNpy(handBuilt(1, header('<f4', 'False', '(6,)')), 'flat.npy')).toThrow(
      /flat\.npy: shape \(6,\) has 1 dimension; expected a 2-D array \(rows, columns\)/,
    );
    expect(() => decodeNpy(handBuilt(1, header('<f4', 'False', '(1, 2, 3)')), 'cube.npy')).toThrow(
      /cube\.npy: shape \(1, 2, 3\) has 3 dimensions/,
    );
    expect(() => decodeNpy(handBuilt(1, header('<f4', 'False', '()')), 'scalar.npy')).toThrow(
      /has 0 dimensions/,
    );
  });

  it('refuses bad magic, unknown versions, truncated and over-long files', () => {
    const good = handBuilt(1);
    expect(() => decodeNpy(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]), 'zip.npy')).toThrow(
      /zip\.npy: not a \.npy file: it must start with the magic bytes 93 4e 55 4d 50 59 .*got 50 4b 03 04 00 00/,
    );
    expect(() => decodeNpy(new Uint8Array(), 'empty.npy')).toThrow(
      /empty\.npy: not a \.npy file.*an empty file/,
    );
    const v4 = good.slice();
    v4[6] = 4;
    expect(() => decodeNpy(v4, 'v4.npy')).toThrow(
      'v4.npy: .npy format version 4.0 is not supported (supported: 1.0, 2.0, 3.0)',
    );
    expect(() => decodeNpy(good.subarray(0, good.length - 1), 'short.npy')).toThrow(
      "short.npy: truncated: shape (2, 3) of '<f4' needs 24 data bytes, the file has 23",
    );
    expect(() => decodeNpy(good.subarray(0, 60), 'cut.npy')).toThrow(
      /cut\.npy: truncated: the header claims 118 bytes but only 50 follow/,
    );
    expect(() => decodeNpy(new Uint8Array([...good, 0, 0, 0, 0]), 'long.npy')).toThrow(
      /long\.npy: 4 unexpected bytes after the data/,
    );
  });

  it('refuses NaN/Infinity values and float64 values beyond float32, with row and column', () => {
    const nan = [...DATA_F4];
    nan.splice(16, 4, 0x00, 0x00, 0xc0, 0x7f);
    expect(() => decodeNpy(handBuilt(1, DICT, nan), 'nan.npy')).toThrow(/nan\.npy: row 2, column 2 is NaN/);
    const huge = Array.from(new Uint8Array(new Float64Array([1, 1e300]).buffer));
    const bytes = handBuilt(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", huge);
    expect(() => decodeNpy(bytes, 'huge.npy')).toThrow(
      /huge\.npy: row 1, column 2 is 1e\+300, beyond the float32 range/,
    );
    expect(() => encodeNpy(new Float32Array([1, Number.POSITIVE_INFINITY]), 2)).toThrow(
      /row 1, column 2 is Infinity/,
    );
  });

  it('names the path of a missing file and validates writeNpy arguments', () => {
    const missing = join(dir, 'missing.npy');
    expect(() => readNpy(missing)).toThrow(`readNpy: file '${missing}' does not exist (ENOENT)`);
    expect(() => writeNpy(join(dir, 'b.npy'), new Float32Array(5), 2)).toThrow(
      /5 values do not split into rows of dim = 2/,
    );
    const notNpy = join(dir, 'text.npy');
    writeFileSync(notNpy, 'hello world');
    expect(() => readNpy(notNpy)).toThrow(new RegExp(`${notNpy}: not a \\.npy file`));
  });
});
