import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSameBits, xorshiftWords } from '../testing/monte-carlo.test-helper.js';
import { readCsv, writeCsv } from './csv.js';
import { formatFloat32 } from './float32-format.js';

const dir = mkdtempSync(join(tmpdir(), 'bridgekit-data-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Random finite float32 values from random bit patterns (all exponents, subnormals, both signs). */
function randomFloat32(count: number, seed: number): Float32Array {
  const bits = xorshiftWords(count, seed);
  const values = new Float32Array(bits.buffer);
  for (let i = 0; i < count; i++) if (!Number.isFinite(values[i]!)) values[i] = i;
  return values;
}

const SPECIAL = [
  0,
  -0,
  0.1,
  -1 / 3,
  1.401298464324817e-45,
  -1.1754942106924411e-38,
  3.4028234663852886e38,
  -3.4028234663852886e38,
  16777216,
  123456.78,
  1e-7,
];

describe('formatFloat32', () => {
  it('writes the shortest decimal that reads back to the same float32', () => {
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(1)).toBe('1');
    expect(formatFloat32(-0)).toBe('-0');
    expect(formatFloat32(Math.fround(1 / 3))).toBe('0.33333334');
    expect(formatFloat32(1.401298464324817e-45)).toBe('1e-45');
    expect(formatFloat32(3.4028234663852886e38)).toBe('3.4028235e+38');
    const bad: string[] = [];
    for (const v of randomFloat32(20_000, 1)) {
      const s = formatFloat32(v);
      const digits = s.replace(/^-|e.*$|\./g, '').replace(/^0+|0+$/g, '').length;
      if (!Object.is(Math.fround(Number(s)), v) || digits > 9) bad.push(`${v} → ${s}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('writeCsv / readCsv', () => {
  it('round-trips float32 values bit-exactly, -0 and subnormals included', () => {
    const values = new Float32Array([...SPECIAL, ...randomFloat32(29_999, 2)]);
    const path = join(dir, 'roundtrip.csv');
    writeCsv(path, values, 5);
    const back = readCsv(path);
    expect(back.dim).toBe(5);
    expect(back.header).toBeUndefined();
    expectSameBits(back.points, values);
  });

  it('writes and reads a header, and leaves no temp files', () => {
    const path = join(dir, 'sub', 'with-header.csv');
    writeCsv(path, new Float32Array([1, 2.5, -3, 4]), 2, ['x', 'y']);
    expect(readFileSync(path, 'utf8')).toBe('x,y\n1,2.5\n-3,4\n');
    expect(readCsv(path)).toEqual({ points: new Float32Array([1, 2.5, -3, 4]), dim: 2, header: ['x', 'y'] });
    writeCsv(path, new Float32Array([7, 8]), 2, ['x', 'y']);
    expect(readCsv(path).points).toEqual(new Float32Array([7, 8]));
    expect(readdirSync(join(dir, 'sub'))).toEqual(['with-header.csv']);
  });

  it('rounds other numbers to float32 on write', () => {
    const path = join(dir, 'f64.csv');
    writeCsv(path, new Float64Array([0.1, 1 / 3]), 1);
    expect(readCsv(path).points).toEqual(new Float32Array([0.1, 1 / 3]));
  });

  it('ignores blank lines, # comments, spaces, CRLF and a byte-order mark', () => {
    const path = file(
      'messy.csv',
      '\uFEFF# exported by hand\r\n\r\n  x , y  # names\r\n1, 2\r\n\r\n  # more\r\n3 ,4e0 # trailing\r\n-.5,+6.\r\n',
    );
    expect(readCsv(path)).toEqual({
      points: new Float32Array([1, 2, 3, 4, -0.5, 6]),
      dim: 2,
      header: ['x', 'y'],
    });
  });

  it('reads a file without a header', () => {
    expect(readCsv(file('plain.csv', '1,2,3\n4,5,6\n'))).toEqual({
      points: new Float32Array([1, 2, 3, 4, 5, 6]),
      dim: 3,
    });
  });

  it("names file, line and column of a non-number: data.csv:7: column 2 is 'abc', not a number", () => {
    const path = file('data.csv', 'x,y\n1,2\n\n# c\n3,4\n5,6\n7,abc\n');
    expect(() => readCsv(path)).toThrow(`${path}:7: column 2 is 'abc', not a number`);
    expect(() => readCsv(file('first.csv', '1,abc\n'))).toThrow(
      /first\.csv:1: column 2 is 'abc', not a number/,
    );
    expect(() => readCsv(file('empty-field.csv', '1,2\n3,\n'))).toThrow(
      /empty-field\.csv:2: column 2 is '', not a number/,
    );
  });

  it('names file and line of a ragged row: data.csv:9: 3 columns, expected 2', () => {
    const path = file('ragged.csv', `${'1,2\n'.repeat(8)}1,2,3\n`);
    expect(() => readCsv(path)).toThrow(`${path}:9: 3 columns, expected 2 (as on line 1)`);
    const headed = file('ragged-header.csv', 'a,b,c\n1,2\n');
    expect(() => readCsv(headed)).toThrow(`${headed}:2: 2 columns, expected 3 (as on line 1)`);
  });

  it('refuses NaN, Infinity and float32 overflow with line and column', () => {
    expect(() => readCsv(file('nan.csv', '1,2\n3,NaN\n'))).toThrow(
      /nan\.csv:2: column 2 is 'NaN'; NaN and Infinity are not allowed/,
    );
    expect(() => readCsv(file('inf.csv', '1,2\n-inf,4\n'))).toThrow(
      /inf\.csv:2: column 1 is '-inf'; NaN and Infinity/,
    );
    expect(() => readCsv(file('infinity.csv', 'Infinity,1\n'))).toThrow(
      /infinity\.csv:1: column 1 is 'Infinity'/,
    );
    expect(() => readCsv(file('big.csv', '1,2\n1e39,0\n'))).toThrow(
      /big\.csv:2: column 1 is '1e39', beyond the float32 range/,
    );
  });

  it('refuses empty files and header-only files, naming the file', () => {
    expect(() => readCsv(file('empty.csv', ''))).toThrow(/empty\.csv: no data rows \(the file is empty/);
    expect(() => readCsv(file('comments.csv', '# nothing\n\n'))).toThrow(/comments\.csv: no data rows/);
    expect(() => readCsv(file('header-only.csv', 'x,y\n'))).toThrow(
      /header-only\.csv: no data rows after the header on line 1/,
    );
  });

  it('names the path of a missing file', () => {
    const path = join(dir, 'nope.csv');
    expect(() => readCsv(path)).toThrow(`readCsv: file '${path}' does not exist (ENOENT)`);
    expect(() => readCsv(dir)).toThrow(/is a directory, not a file/);
  });

  it('validates writeCsv arguments, naming them', () => {
    const path = join(dir, 'bad.csv');
    expect(() => writeCsv(path, new Float32Array([1, 2, 3]), 2)).toThrow(
      /3 values do not split into rows of dim = 2/,
    );
    expect(() => writeCsv(path, new Float32Array([1, 2]), 0)).toThrow(
      /dim must be a positive integer.*got 0/,
    );
    expect(() => writeCsv(path, new Float32Array([1, Number.NaN]), 2)).toThrow(/row 1, column 2 is NaN/);
    expect(() => writeCsv(path, new Float64Array([1e39]), 1)).toThrow(
      /row 1, column 1 is 1e\+39, beyond the float32 range/,
    );
    expect(() => writeCsv(path, new Float32Array([1, 2]), 2, ['x'])).toThrow(
      /header must be an array of 2 strings/,
    );
    expect(() => writeCsv(path, new Float32Array([1, 2]), 2, ['x', '2'])).toThrow(
      /header\[1\] is "2"; header fields must be non-numeric/,
    );
    expect(() => writeCsv(path, new Float32Array([1, 2]), 2, ['x', 'a,b'])).toThrow(/header\[1\]/);
    expect(() => writeCsv('', new Float32Array([1]), 1)).toThrow(/writeCsv: path must be a non-empty string/);
    expect(readdirSync(dir).some((f) => f.startsWith('bad.csv'))).toBe(false);
  });
});
