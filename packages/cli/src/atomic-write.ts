import { resolve } from 'node:path';
import { writeFileAtomic as writeAtomic } from '@bridgekit/checkpoint';
import { fsReason, runtimeError } from './errors.js';

/**
 * Writes `data` to `file` atomically (checkpoint's temp-file + fsync + rename): a reader, or a run
 * killed half-way, sees the old file or the complete new one, never a torn CSV/JSON/PNG. Every file
 * the CLI writes goes through here. `flag` names the option the path came from, for the error message.
 */
export async function writeFileAtomic(flag: string, file: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeAtomic(resolve(file), data);
  } catch (error) {
    throw runtimeError(`cannot write ${flag} '${file}': ${fsReason(error)}`, error);
  }
}
