import type { Rng } from '@bridgekit/core';
import { isRng } from './datasets/check-rng.js';
import { parseDatasetSpec, sampleDataset } from './datasets/registry.js';
import { describeValue } from './describe-value.js';
import { readCsv } from './files/csv.js';
import { readNpy } from './files/npy.js';

/** Options of {@link loadData}. */
export interface LoadDataOptions {
  /** Points to draw (dataset name, required) or rows to keep from the start of a file (optional). */
  n?: number;
  /** Random source for a dataset name (required then; unused for files). */
  rng?: Rng;
}

/** What {@link loadData} returns: row-major n×dim float32 points, the file's header if any, and the spec. */
export interface LoadedData {
  points: Float32Array;
  dim: number;
  header?: string[];
  /** The spec the data came from: a dataset name such as 'spiral-y8', or the file path. */
  source: string;
}

/**
 * One entry point for training data. `spec` is either
 * - a path ending in `.csv` or `.npy` (case-insensitive), read with {@link readCsv} / {@link readNpy};
 *   `options.n`, if given, keeps the first n rows and must not exceed the rows in the file; or
 * - a dataset name with an optional stretch suffix ('moons', 'spiral-y8', see `parseDatasetSpec`),
 *   drawn with `sampleDataset`; then `options.n` and `options.rng` are both required.
 * A missing file is reported by path; an unknown name lists the valid names and the suffix syntax.
 */
export function loadData(spec: string, options: LoadDataOptions = {}): LoadedData {
  if (typeof spec !== 'string' || spec.length === 0) {
    throw new TypeError(
      `loadData: spec must be a dataset name or a .csv / .npy path, got ${describeValue(spec)}`,
    );
  }
  const { n, rng } = options;
  if (n !== undefined && (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)) {
    throw new RangeError(
      `loadData('${spec}'): options.n must be a non-negative integer, got ${describeValue(n)}`,
    );
  }
  const lower = spec.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.npy')) {
    const file: { points: Float32Array; dim: number; header?: string[] } = lower.endsWith('.csv')
      ? readCsv(spec)
      : readNpy(spec);
    const rows = file.points.length / file.dim;
    if (n !== undefined && n > rows) {
      throw new RangeError(`loadData('${spec}'): options.n = ${n} but the file has only ${rows} rows`);
    }
    const points = n === undefined ? file.points : file.points.slice(0, n * file.dim);
    const out: LoadedData = { points, dim: file.dim, source: spec };
    if (file.header !== undefined) out.header = file.header;
    return out;
  }
  try {
    parseDatasetSpec(spec);
  } catch (error) {
    throw new RangeError(
      `loadData: '${spec}' is neither a path ending in .csv or .npy nor a dataset name. ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (n === undefined || !isRng(rng)) {
    const missing = [
      n === undefined ? 'options.n (how many points)' : '',
      isRng(rng) ? '' : 'options.rng (an Rng)',
    ]
      .filter((s) => s !== '')
      .join(' and ');
    throw new TypeError(
      `loadData('${spec}'): a dataset name needs options.n and options.rng (a seeded Rng from @bridgekit/core); missing ${missing}, got n = ${describeValue(n)}, rng = ${describeValue(rng)}`,
    );
  }
  const { points, dim } = sampleDataset(spec, n, rng);
  return { points, dim, source: spec };
}
