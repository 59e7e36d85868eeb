import { writeFileAtomicSync as writeAtomicSync } from '@bridgekit/checkpoint';

/**
 * Writes `data` to `path` atomically (checkpoint's temp-file + fsync + rename), so readers see the
 * old file or the complete new one; on failure throws an error naming `fn` and `path` (Node's error
 * as `cause`).
 */
export function writeFileAtomicSync(fn: string, path: string, data: Uint8Array | string): void {
  try {
    writeAtomicSync(path, data);
  } catch (error) {
    throw new Error(`${fn}: could not write '${path}': ${(error as Error).message}`, { cause: error });
  }
}
