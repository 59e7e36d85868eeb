import { describeValue } from '../describe-value.js';
import { checkDim, validatePoints } from '../validate-points.js';
import { writeFileAtomicSync } from './atomic-write.js';
import { checkPath, readFileOrThrow } from './read-file.js';

/** A 2-D array read from a .npy file: row-major n×dim float32. */
export interface NpyData {
  points: Float32Array;
  dim: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const VALID_DTYPES = "valid: '<f4' (float32) or '<f8' (float64, converted to float32)";
const FLOAT32_MAX = 3.4028234663852886e38;

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Reads a string value `'key': '<value>'` of the header dict. */
function stringField(header: string, key: string): string | undefined {
  return new RegExp(`['"]${key}['"]\\s*:\\s*['"]([^'"]*)['"]`).exec(header)?.[1];
}

/**
 * Decodes the bytes of a .npy file (NPY format spec, numpy `lib/format.py`): magic `\x93NUMPY`,
 * version byte pair 1.0 / 2.0 / 3.0, header length (uint16 LE for 1.0, uint32 LE for 2.0 / 3.0), the
 * header — a Python dict literal with 'descr', 'fortran_order' and 'shape' (latin-1 for 1.0 / 2.0,
 * UTF-8 for 3.0) — then the raw data. Accepts dtype '<f4' and '<f8' (converted to float32), 2-D C-order
 * arrays only, and exactly the number of data bytes the shape needs. Every error names `source` and
 * what would be valid; NaN/Infinity values and float64 values beyond the float32 range are refused
 * with their row and column.
 */
export function decodeNpy(bytes: Uint8Array, source = '<npy bytes>'): NpyData {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`decodeNpy: bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  }
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new RangeError(
      `${source}: not a .npy file: it must start with the magic bytes 93 4e 55 4d 50 59 ('\\x93NUMPY'), got ${
        bytes.length === 0 ? 'an empty file' : hexBytes(bytes.subarray(0, 6))
      }`,
    );
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new RangeError(
      `${source}: .npy format version ${major}.${minor} is not supported (supported: 1.0, 2.0, 3.0)`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthSize) {
    throw new RangeError(`${source}: truncated: the file ends inside the header-length field`);
  }
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthSize;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) {
    throw new RangeError(
      `${source}: truncated: the header claims ${headerLength} bytes but only ${bytes.length - headerStart} follow`,
    );
  }
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const header = (
    major === 3 ? new TextDecoder('utf-8').decode(headerBytes) : Buffer.from(headerBytes).toString('latin1')
  ).trim();
  if (!header.startsWith('{') || !header.endsWith('}')) {
    throw new RangeError(`${source}: the header is not a Python dict literal: ${describeValue(header)}`);
  }
  const descr = stringField(header, 'descr');
  if (descr === undefined)
    throw new RangeError(`${source}: the header has no 'descr' (dtype): ${describeValue(header)}`);
  if (descr !== '<f4' && descr !== '<f8') {
    const why = descr.startsWith('>') ? 'big-endian, which is not supported' : 'not supported';
    throw new RangeError(`${source}: dtype '${descr}' is ${why}; ${VALID_DTYPES}`);
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  if (fortran === undefined) {
    throw new RangeError(
      `${source}: the header has no 'fortran_order': True/False: ${describeValue(header)}`,
    );
  }
  if (fortran === 'True') {
    throw new RangeError(
      `${source}: fortran_order is True (column-major data); only C-order arrays are supported: save np.ascontiguousarray(x)`,
    );
  }
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined)
    throw new RangeError(`${source}: the header has no 'shape' tuple: ${describeValue(header)}`);
  const shapeParts = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!shapeParts.every((s) => /^\d+L?$/.test(s))) {
    throw new RangeError(`${source}: cannot read the shape (${shapeText}) as non-negative integers`);
  }
  const shape = shapeParts.map((s) => Number.parseInt(s, 10));
  if (shape.length !== 2) {
    throw new RangeError(
      `${source}: shape (${shapeText}) has ${shape.length} dimension${shape.length === 1 ? '' : 's'}; expected a 2-D array (rows, columns)`,
    );
  }
  const [rows, dim] = shape as [number, number];
  if (dim < 1) throw new RangeError(`${source}: shape (${shapeText}) has 0 columns; expected at least 1`);
  const itemSize = descr === '<f4' ? 4 : 8;
  const need = rows * dim * itemSize;
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new RangeError(
      `${source}: truncated: shape (${rows}, ${dim}) of '${descr}' needs ${need} data bytes, the file has ${have}`,
    );
  }
  if (have > need) {
    throw new RangeError(
      `${source}: ${have - need} unexpected bytes after the data: shape (${rows}, ${dim}) of '${descr}' needs ${need} data bytes, the file has ${have}`,
    );
  }
  const points = new Float32Array(rows * dim);
  for (let i = 0; i < points.length; i++) {
    if (itemSize === 4) {
      points[i] = view.getFloat32(dataStart + 4 * i, true);
      continue;
    }
    const v = view.getFloat64(dataStart + 8 * i, true);
    if (Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
      throw new RangeError(
        `${source}: row ${Math.floor(i / dim) + 1}, column ${(i % dim) + 1} is ${v}, beyond the float32 range (largest magnitude ${FLOAT32_MAX})`,
      );
    }
    points[i] = v;
  }
  validatePoints(points, dim, source);
  return { points, dim };
}

/**
 * Encodes row-major n×dim `points` as a version 1.0 .npy file (2.0 if the header would not fit a
 * uint16) with dtype '<f4', C order and shape (n, dim): magic, version, header length, the header
 * dict padded with spaces and ended by '\n' so the data starts at a multiple of 64 bytes (numpy's
 * alignment), then little-endian float32 data. Values are rounded to float32; NaN/Infinity refused.
 */
export function encodeNpy(points: ArrayLike<number>, dim: number): Uint8Array {
  checkDim(dim, 'encodeNpy');
  validatePoints(points, dim, 'encodeNpy(points)');
  const rows = points.length / dim;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  let major = 1;
  let preamble = 10;
  let total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  if (total - preamble > 0xffff) {
    major = 2;
    preamble = 12;
    total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  }
  const headerLength = total - preamble;
  const header = `${dict.padEnd(headerLength - 1, ' ')}\n`;
  const bytes = new Uint8Array(total + 4 * points.length);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes[6] = major;
  bytes[7] = 0;
  if (major === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  for (let i = 0; i < header.length; i++) bytes[preamble + i] = header.charCodeAt(i);
  for (let i = 0; i < points.length; i++) {
    const v = Math.fround(points[i]!);
    if (!Number.isFinite(v)) {
      throw new RangeError(
        `encodeNpy: row ${Math.floor(i / dim) + 1}, column ${(i % dim) + 1} is ${points[i]}, beyond the float32 range`,
      );
    }
    view.setFloat32(total + 4 * i, v, true);
  }
  return bytes;
}

/** Reads a .npy file (see {@link decodeNpy} for what is accepted); errors name the path. */
export function readNpy(path: string): NpyData {
  const buffer = readFileOrThrow('readNpy', path);
  return decodeNpy(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), path);
}

/** Writes `points` (n×dim) as a '<f4' .npy file (see {@link encodeNpy}), atomically (temp + rename). */
export function writeNpy(path: string, points: ArrayLike<number>, dim: number): void {
  checkPath('writeNpy', path);
  checkDim(dim, `writeNpy('${path}')`);
  validatePoints(points, dim, `writeNpy('${path}')`);
  writeFileAtomicSync('writeNpy', path, encodeNpy(points, dim));
}
