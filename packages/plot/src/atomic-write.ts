import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describeValue } from './validate.js';

/**
 * Writes `data` to `file` atomically: the bytes go to `${file}.tmp-<pid>-<random>` in the same directory
 * (so the rename never crosses file systems), are flushed to disk, then the temp file is renamed over
 * `file`. Readers see either the old file or the complete new one, never a partial write. The parent
 * directory is created if needed; on failure the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  if (typeof file !== 'string' || file.length === 0) {
    throw new TypeError(`file must be a non-empty path string, got ${describeValue(file)}`);
  }
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
