import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Temp names this process is still using: never treated as stale, even though our pid is alive. */
const inFlight = new Set<string>();

/**
 * A fresh temp name `<prefix>-<pid>-<random>`; the pid lets a later run tell a dead writer's leftovers
 * from a live writer's work in progress. Call {@link releaseTempName} when done with it.
 */
export function tempName(prefix: string): string {
  const name = `${prefix}-${process.pid}-${randomBytes(6).toString('hex')}`;
  inFlight.add(name);
  return name;
}

/** Marks a name from {@link tempName} as no longer in use by this process. */
export function releaseTempName(name: string): void {
  inFlight.delete(name);
}

/**
 * Removes the entries of `dir` whose names match `pattern` (and end in `-<pid>-<hex>`, as every temp name
 * here and in `writeFileAtomic` does), unless they belong to a process that is still running —
 * another writer, or this process. They are what a killed run leaves behind: a half-written
 * checkpoint, a set-aside copy, an unrenamed temp file.
 */
export async function removeStaleTemps(dir: string, pattern: RegExp): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!pattern.test(name) || inFlight.has(name)) continue;
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (Number.isSafeInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
