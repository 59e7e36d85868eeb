import { readFileSync } from 'node:fs';
import { describeValue } from '../describe-value.js';

/** Throws unless `path` is a non-empty string, naming `fn`. */
export function checkPath(fn: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`${fn}: path must be a non-empty string, got ${describeValue(path)}`);
  }
}

/**
 * Reads a whole file, turning Node's errors into messages that name `fn` and the path: a missing
 * file (ENOENT) says so plainly, a directory (EISDIR) likewise; anything else keeps Node's reason.
 * The original error is kept as `cause`.
 */
export function readFileOrThrow(fn: string, path: string): Buffer {
  checkPath(fn, path);
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        `${fn}: file '${path}' does not exist (ENOENT); check the path and the working directory`,
        {
          cause: error,
        },
      );
    }
    if (code === 'EISDIR') {
      throw new Error(`${fn}: '${path}' is a directory, not a file`, { cause: error });
    }
    throw new Error(`${fn}: could not read '${path}': ${(error as Error).message}`, { cause: error });
  }
}
