import { describeValue } from '../describe-value.js';
import { checkDim, validatePoints } from '../validate-points.js';
import { writeFileAtomicSync } from './atomic-write.js';
import { formatFloat32 } from './float32-format.js';
import { checkPath, readFileOrThrow } from './read-file.js';

/** Points read from a CSV file: row-major n×dim float32, and the header when the file has one. */
export interface CsvData {
  points: Float32Array;
  dim: number;
  header?: string[];
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const FLOAT32_MAX = 3.4028234663852886e38;

function quote(field: string): string {
  return `'${field.length > 40 ? `${field.slice(0, 37)}...` : field}'`;
}

/**
 * Reads one sample per row from a comma-separated file. Blank lines are ignored; `#` starts a
 * comment that runs to the end of the line (whole-line or trailing); fields are trimmed; `\r\n` and a
 * UTF-8 byte-order mark are accepted. The first content line is a header when none of its fields is
 * a number (e.g. `x,y`). Values are parsed as decimal numbers and rounded to float32.
 *
 * Errors name the file and the 1-based line: `data.csv:7: column 2 is 'abc', not a number`,
 * `data.csv:9: 3 columns, expected 2 (as on line 1)`; NaN / Infinity and values beyond the float32
 * range are refused the same way; a file with no data rows is refused; a missing file is reported
 * by path.
 */
export function readCsv(path: string): CsvData {
  const text = readFileOrThrow('readCsv', path).toString('utf8');
  const lines = text.split('\n');
  let header: string[] | undefined;
  let dim = 0;
  let dimLine = 0;
  const values: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (i === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    const hash = line.indexOf('#');
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim();
    if (line === '') continue;
    const lineNo = i + 1;
    const fields = line.split(',').map((f) => f.trim());
    if (dim === 0) {
      dim = fields.length;
      dimLine = lineNo;
      if (fields.every((f) => !DECIMAL.test(f) && !NON_FINITE.test(f))) {
        header = fields;
        continue;
      }
    } else if (fields.length !== dim) {
      throw new RangeError(
        `${path}:${lineNo}: ${fields.length} column${fields.length === 1 ? '' : 's'}, expected ${dim} (as on line ${dimLine})`,
      );
    }
    for (let c = 0; c < fields.length; c++) {
      const field = fields[c]!;
      const where = `${path}:${lineNo}: column ${c + 1} is ${quote(field)}`;
      if (NON_FINITE.test(field)) {
        throw new RangeError(`${where}; NaN and Infinity are not allowed, every value must be finite`);
      }
      if (!DECIMAL.test(field)) throw new RangeError(`${where}, not a number`);
      const v = Number(field);
      if (!Number.isFinite(Math.fround(v))) {
        throw new RangeError(`${where}, beyond the float32 range (largest magnitude ${FLOAT32_MAX})`);
      }
      values.push(v);
    }
  }
  if (values.length === 0) {
    throw new RangeError(
      header === undefined
        ? `${path}: no data rows (the file is empty or holds only blank lines and # comments)`
        : `${path}: no data rows after the header on line ${dimLine}`,
    );
  }
  const points = Float32Array.from(values);
  return header === undefined ? { points, dim } : { points, dim, header };
}

/**
 * Writes row-major n×dim `points` as CSV, one row per line, with an optional header line, atomically
 * (temp file + rename; the parent directory is created). Values are rounded to float32 and written in
 * the shortest decimal form that reads back to the same float32, so `readCsv` returns bit-identical
 * values (-0 included). Refuses NaN/Infinity, and header fields that `readCsv` could not recognise as
 * a header: numbers, or fields holding ',', '#', line breaks or surrounding spaces.
 */
export function writeCsv(
  path: string,
  points: ArrayLike<number>,
  dim: number,
  header?: readonly string[],
): void {
  checkPath('writeCsv', path);
  checkDim(dim, `writeCsv('${path}')`);
  validatePoints(points, dim, `writeCsv('${path}')`);
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(Math.fround(points[i]!))) {
      throw new RangeError(
        `writeCsv('${path}'): row ${Math.floor(i / dim) + 1}, column ${(i % dim) + 1} is ${points[i]}, beyond the float32 range`,
      );
    }
  }
  const parts: string[] = [];
  if (header !== undefined) {
    if (!Array.isArray(header) || header.length !== dim) {
      throw new RangeError(
        `writeCsv('${path}'): header must be an array of ${dim} strings (one per column), got ${describeValue(header)}`,
      );
    }
    header.forEach((field: unknown, j) => {
      const bad =
        typeof field !== 'string' ||
        /[,#\r\n]/.test(field) ||
        field.trim() !== field ||
        DECIMAL.test(field) ||
        NON_FINITE.test(field);
      if (bad) {
        throw new RangeError(
          `writeCsv('${path}'): header[${j}] is ${describeValue(field)}; header fields must be non-numeric strings without ',', '#', line breaks or surrounding spaces`,
        );
      }
    });
    parts.push(`${header.join(',')}\n`);
  }
  const row: string[] = new Array(dim);
  for (let i = 0; i < points.length; i += dim) {
    for (let j = 0; j < dim; j++) row[j] = formatFloat32(Math.fround(points[i + j]!));
    parts.push(`${row.join(',')}\n`);
  }
  writeFileAtomicSync('writeCsv', path, parts.join(''));
}
