import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes `data` to `path` atomically: the bytes go to `${path}.tmp-<pid>-<random>` in the same
 * directory (so the rename never crosses file systems), are flushed, then the temp file is renamed
 * over `path`. Readers see the old file or the complete new one, never a partial write. The parent
 * directory is created if needed; on failure the temp file is removed and an error naming `fn` and
 * `path` is thrown (Node's error as `cause`).
 */
export function writeFileAtomicSync(fn: string, path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new Error(`${fn}: could not write '${path}': ${(error as Error).message}`, { cause: error });
  }
}
