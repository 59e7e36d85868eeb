import { writeFileAtomic as writeAtomic } from '@bridgekit/checkpoint';
import { describeValue } from './validate.js';

/**
 * Writes `data` to `file` atomically (checkpoint's temp-file + fsync + rename): readers see the old
 * file or the complete new one, never a partial write. Validates the path with plot's error wording.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  if (typeof file !== 'string' || file.length === 0) {
    throw new TypeError(`file must be a non-empty path string, got ${describeValue(file)}`);
  }
  await writeAtomic(file, data);
}
