import { open } from 'node:fs/promises';

/**
 * Flushes a directory's entries (names created, renamed or removed in it) to disk, so that a rename
 * survives a power loss and not only a killed process. Best effort: some platforms (Windows) and file
 * systems cannot open or sync a directory, and there is nothing better to do there than carry on.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Best effort by design; see above.
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Creates `file` (which must not exist yet), writes `data` and fsyncs it before closing, so that the
 * bytes are on disk before the caller renames anything that makes them visible.
 */
export async function writeFileSynced(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
