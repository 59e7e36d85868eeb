import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fsReason, runtimeError } from './errors.js';

/**
 * Writes `data` to `file` through a temp file in the same directory (so the rename never crosses file
 * systems) that is flushed and then renamed over `file`: a reader, or a run killed half-way, sees the
 * old file or the complete new one, never a torn CSV/JSON/PNG. Creates the parent directory. Every file
 * the CLI writes goes through here. `flag` names the option the path came from, for the error message.
 */
export async function writeFileAtomic(flag: string, file: string, data: Uint8Array | string): Promise<void> {
  const target = resolve(file);
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await mkdir(dirname(target), { recursive: true });
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw runtimeError(`cannot write ${flag} '${file}': ${fsReason(error)}`, error);
  }
}
