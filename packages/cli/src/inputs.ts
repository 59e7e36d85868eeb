import { statSync } from 'node:fs';
import { Rng } from '@bridgekit/core';
import { loadData, parseDatasetSpec } from '@bridgekit/data';
import { fsReason, oneLine, runtimeError, usageError } from './errors.js';

/** Row-major points read or drawn for a command, with where they came from. */
export interface Points {
  readonly points: Float32Array;
  readonly dim: number;
  readonly rows: number;
  /** The dataset name or file path as given. */
  readonly source: string;
}

/** How to draw points when the value is a dataset name. */
export interface Draw {
  readonly n: number;
  readonly seed: number;
  /** Stream label: training data and a reference drawn with the same seed must still differ. */
  readonly stream: string;
}

const FILE = /\.(csv|npy)$/i;

/** True when `spec` names a file (.csv / .npy) rather than a dataset. */
export function isFileSpec(spec: string): boolean {
  return FILE.test(spec);
}

/**
 * Reads a .csv / .npy file, or, when `draw` is given, draws n points of a named dataset. Problems with
 * a file are runtime errors naming the flag and the file; an unknown dataset name is a usage error.
 */
export function readPoints(flag: string, spec: string, draw?: Draw): Points {
  if (isFileSpec(spec)) return readFile(flag, spec);
  if (draw === undefined) throw usageError(`${flag} must be a .csv or .npy file, got '${spec}'`);
  try {
    parseDatasetSpec(spec);
  } catch (error) {
    throw usageError(`${flag} must be a .csv / .npy file or a dataset name; ${oneLine(error)}`);
  }
  const loaded = loadData(spec, { n: draw.n, rng: new Rng(draw.seed).fork(draw.stream) });
  return { points: loaded.points, dim: loaded.dim, rows: loaded.points.length / loaded.dim, source: spec };
}

function readFile(flag: string, file: string): Points {
  // Checked here so the message names the flag, not the reader function that failed.
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw runtimeError(
      code === 'ENOENT' ? `${flag} file '${file}' does not exist` : `${flag} '${file}': ${fsReason(error)}`,
      error,
    );
  }
  if (!isFile) throw runtimeError(`${flag} '${file}' is not a file`);
  let loaded: { points: Float32Array; dim: number };
  try {
    loaded = loadData(file);
  } catch (error) {
    const message = oneLine(error);
    // The readers' messages usually start with the file (and line); then the flag is all they lack.
    throw runtimeError(
      message.includes(file) ? `${flag}: ${message}` : `${flag} '${file}': ${message}`,
      error,
    );
  }
  return { points: loaded.points, dim: loaded.dim, rows: loaded.points.length / loaded.dim, source: file };
}

/** The first `n` rows of `data`, or all of them; asking for more rows than the data has fails. */
export function firstRows(flag: string, data: Points, n: number | undefined): Points {
  if (n === undefined || n === data.rows) return data;
  if (n > data.rows) {
    throw runtimeError(`${flag} is ${n} but '${data.source}' has only ${data.rows} rows`);
  }
  return { ...data, points: data.points.slice(0, n * data.dim), rows: n };
}
