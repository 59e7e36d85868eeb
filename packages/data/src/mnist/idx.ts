import { describeValue } from '../describe-value.js';

/** An IDX array: its dimensions (outermost first) and its unsigned-byte data, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const TYPE_NAMES: Record<number, string> = {
  8: 'unsigned byte',
  9: 'signed byte',
  11: 'int16',
  12: 'int32',
  13: 'float32',
  14: 'float64',
};

/**
 * Parses an IDX file (LeCun's MNIST format, yann.lecun.com/exdb/mnist): a 4-byte magic 0x00 0x00
 * <type> <number of dimensions>, then each dimension as a big-endian uint32, then the data. Only
 * type 0x08 (unsigned byte, what MNIST uses: images 0x00000803, labels 0x00000801) is accepted. The
 * data must be exactly as long as the dimensions say; errors name `source`. `data` is a view into
 * `bytes`, not a copy.
 */
export function parseIdx(bytes: Uint8Array, source = '<idx bytes>'): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`parseIdx: bytes must be a Uint8Array, got ${describeValue(bytes)}`);
  }
  if (bytes.length < 4) {
    throw new RangeError(
      `${source}: ${bytes.length} bytes is too short for an IDX file (the magic number alone is 4)`,
    );
  }
  const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new RangeError(
      `${source}: not an IDX file: the magic number must start with two zero bytes, got 0x${magic}`,
    );
  }
  const type = bytes[2]!;
  if (type !== 0x08) {
    const name = TYPE_NAMES[type] ?? 'unknown';
    throw new RangeError(
      `${source}: IDX data type 0x${type.toString(16).padStart(2, '0')} (${name}) is not supported; only 0x08 (unsigned byte) is, as in MNIST`,
    );
  }
  const ndim = bytes[3]!;
  if (ndim === 0) throw new RangeError(`${source}: IDX magic 0x${magic} declares 0 dimensions`);
  const headerLength = 4 + 4 * ndim;
  if (bytes.length < headerLength) {
    throw new RangeError(
      `${source}: truncated: ${ndim} dimensions need a ${headerLength}-byte header, the file has ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const need = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - headerLength;
  if (have < need) {
    throw new RangeError(
      `${source}: truncated: dimensions ${dims.join('×')} need ${need} data bytes, the file has ${have}`,
    );
  }
  if (have > need) {
    throw new RangeError(
      `${source}: ${have - need} unexpected bytes after the data (dimensions ${dims.join('×')} need ${need})`,
    );
  }
  return { dims, data: bytes.subarray(headerLength) };
}
