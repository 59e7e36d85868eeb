import { describe, expect, it } from 'vitest';
import { parseIdx } from './idx.js';

/** A hand-built IDX3 file: magic 00 00 08 03, dims 2, 2, 3 (big-endian uint32), 12 pixel bytes. */
const IMAGES = new Uint8Array([
  0x00, 0x00, 0x08, 0x03, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0, 1, 2, 3,
  4, 5, 250, 251, 252, 253, 254, 255,
]);
/** A hand-built IDX1 label file: magic 00 00 08 01, 3 items, labels 7, 2, 1. */
const LABELS = new Uint8Array([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, 0x03, 7, 2, 1]);

describe('parseIdx', () => {
  it('reads the dimensions big-endian and the data that follows', () => {
    const images = parseIdx(IMAGES);
    expect(images.dims).toEqual([2, 2, 3]);
    expect(Array.from(images.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(parseIdx(LABELS)).toEqual({ dims: [3], data: new Uint8Array([7, 2, 1]) });
    const big = new Uint8Array([0, 0, 8, 1, 0x00, 0x01, 0x00, 0x02, ...new Uint8Array(65538)]);
    expect(parseIdx(big).dims).toEqual([65538]);
  });

  it('refuses truncated data and headers, naming the source', () => {
    expect(() => parseIdx(IMAGES.subarray(0, IMAGES.length - 1), 'images.idx')).toThrow(
      'images.idx: truncated: dimensions 2×2×3 need 12 data bytes, the file has 11',
    );
    expect(() => parseIdx(IMAGES.subarray(0, 10), 'head.idx')).toThrow(
      'head.idx: truncated: 3 dimensions need a 16-byte header, the file has 10 bytes',
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8]), 'tiny.idx')).toThrow(/tiny\.idx: 3 bytes is too short/);
    expect(() => parseIdx(new Uint8Array([...LABELS, 0]), 'long.idx')).toThrow(
      /long\.idx: 1 unexpected bytes after the data/,
    );
  });

  it('refuses a bad magic number or a non-byte data type', () => {
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), 'gz')).toThrow(
      'gz: not an IDX file: the magic number must start with two zero bytes, got 0x1f8b0800',
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 0]), 'f32')).toThrow(
      /f32: IDX data type 0x0d \(float32\) is not supported; only 0x08 \(unsigned byte\)/,
    );
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'zero')).toThrow(/declares 0 dimensions/);
  });
});
