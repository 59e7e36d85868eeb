import { access, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDirectory } from './fsync.js';
import { releaseTempName, tempName } from './temp-names.js';

/**
 * Renames the complete directory `source` to `target` (same parent) and fsyncs the parent. POSIX
 * cannot rename a directory over a non-empty one, so an existing `target` is first renamed aside to
 * `<asidePrefix>-<pid>-<random>`, then removed once `source` is in place. A kill between the two
 * renames leaves no `target` but both complete copies under temp names, which the callers' loaders
 * know how to recover from and whose next save removes.
 */
export async function replaceDirectory(source: string, target: string, asidePrefix: string): Promise<void> {
  const parent = dirname(target);
  if (!(await exists(target))) {
    await rename(source, target);
    await fsyncDirectory(parent);
    return;
  }
  const asideName = tempName(asidePrefix);
  const aside = join(parent, asideName);
  try {
    await rename(target, aside);
    try {
      await rename(source, target);
    } catch (error) {
      await rename(aside, target).catch(() => {});
      throw error;
    }
    await fsyncDirectory(parent);
    await rm(aside, { recursive: true, force: true });
  } finally {
    releaseTempName(asideName);
  }
}

/** True if `path` exists (as anything). */
export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
