import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory, writeFileSynced } from './fsync.js';

/**
 * Replaces `path` with `data` atomically: the bytes go to `<path>.tmp-<pid>-<random>` in the same
 * directory (a rename never crosses file systems), are fsynced, and the temp file is renamed over
 * `path`; then the directory is fsynced (best effort) so the rename itself is durable. Readers — and a
 * process restarted after kill -9 — see the old file or the complete new one, never a partial write.
 * The parent directory is created if needed; on failure the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`path must be a non-empty string, got ${String(path)}`);
  }
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await writeFileSynced(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
}

/**
 * The synchronous form of {@link writeFileAtomic}, for callers whose API is synchronous (CSV and .npy
 * writers): temp file in the same directory, fsync, rename over `path`, directory fsync (best effort).
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError(`path must be a non-empty string, got ${String(path)}`);
  }
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
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
    throw error;
  }
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}
