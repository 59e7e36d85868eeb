import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import {
  assertContent,
  type CheckpointContent,
  type LoadedCheckpoint,
  looksComplete,
  readCheckpointDirectory,
  writeCheckpointDirectory,
} from './checkpoint-directory.js';
import { CheckpointError, isNotFound } from './errors.js';
import { fsyncDirectory } from './fsync.js';
import { MANIFEST_FILE } from './manifest.js';
import { exists, replaceDirectory } from './replace-directory.js';
import { releaseTempName, removeStaleTemps, tempName } from './temp-names.js';

/** Subdirectory of a run directory that holds its checkpoints. */
export const CHECKPOINTS_DIR = 'checkpoints';
/** File in `checkpoints/` naming the current checkpoint directory; rewriting it is the commit point. */
export const LATEST_FILE = 'LATEST';

const STEP_DIR = /^step-(\d+)$/;
// Everything a killed save can leave in checkpoints/: the checkpoint being written, a copy set aside
// while replacing or pruning, and writeFileAtomic's temp file for LATEST.
const STALE = /^\.tmp-|^LATEST\.tmp-/;

/** Input of {@link saveCheckpoint}. */
export interface SaveCheckpointInput extends CheckpointContent {
  /** How many checkpoints to keep, newest (highest step) first; default 2, at least 1. */
  keep?: number;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /**
   * Told, in one line, whenever loading from a run directory skips `LATEST` or a broken checkpoint and
   * falls back to an older one. Default: `console.warn`.
   */
  onWarning?: (message: string) => void;
}

/** The directory name of the checkpoint at `step`: `step-` and the step zero-padded to 9 digits. */
export function stepDirectoryName(step: number): string {
  return `step-${String(step).padStart(9, '0')}`;
}

/**
 * Saves a checkpoint of the run in `dir` and returns its directory, `dir/checkpoints/step-<step>`.
 *
 * The checkpoint is written into a fresh temp directory inside `dir/checkpoints/`, fsynced, renamed to
 * its final name, and only then named in `dir/checkpoints/LATEST` (rewritten atomically). A process
 * killed at any moment therefore leaves LATEST naming a complete checkpoint. Afterwards older
 * checkpoints are pruned to the newest `keep` (never the one LATEST names). Temp directories left by a
 * killed run are removed first. One writer per run directory; saving an existing step replaces it.
 */
export async function saveCheckpoint(dir: string, input: SaveCheckpointInput): Promise<string> {
  assertContent(input);
  const keep = input.keep ?? 2;
  if (!Number.isSafeInteger(keep) || keep < 1) {
    throw new RangeError(`keep must be a positive integer, got ${String(keep)}`);
  }
  const root = join(dir, CHECKPOINTS_DIR);
  await mkdir(root, { recursive: true });
  await removeStaleTemps(root, STALE);
  const name = stepDirectoryName(input.step);
  const target = join(root, name);
  const tmpName = tempName(`.tmp-${name}`);
  const tmp = join(root, tmpName);
  try {
    await mkdir(tmp);
    await writeCheckpointDirectory(tmp, input);
    await replaceDirectory(tmp, target, `.tmp-replaced-${name}`);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    releaseTempName(tmpName);
  }
  await writeFileAtomic(join(root, LATEST_FILE), `${name}\n`);
  await prune(root, keep, name);
  return target;
}

/**
 * Loads and verifies a checkpoint. `path` is a checkpoint directory (one holding `checkpoint.json`),
 * that `checkpoint.json` itself, or a run directory: then the checkpoint named by
 * `checkpoints/LATEST` is loaded, or — if LATEST is missing or names a broken checkpoint — the newest
 * `step-*` directory that verifies, with a warning through `onWarning`.
 *
 * Throws a {@link CheckpointError}: `missing` (no such path, or nothing to load), `foreign`,
 * `version`, `corrupt` or `truncated` (see `readCheckpointDirectory`); each message names the file.
 */
export async function loadCheckpoint(
  path: string,
  options: LoadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  const warn = options.onWarning ?? ((message: string) => console.warn(`@bridgekit/checkpoint: ${message}`));
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if (isNotFound(error)) {
      throw new CheckpointError('missing', `${path}: no such checkpoint or run directory`, {
        path,
        cause: error,
      });
    }
    throw error;
  }
  if (info.isFile()) {
    if (basename(path) === MANIFEST_FILE) return readCheckpointDirectory(dirname(path));
    throw new CheckpointError(
      'foreign',
      `${path} is a file; expected a checkpoint directory or a run directory`,
      {
        path,
      },
    );
  }
  if (await exists(join(path, MANIFEST_FILE))) return readCheckpointDirectory(path);
  if (await exists(join(path, CHECKPOINTS_DIR))) return loadFromRun(path, warn);
  throw new CheckpointError(
    'missing',
    `${path} is neither a checkpoint directory (no ${MANIFEST_FILE}) nor a run directory (no ${CHECKPOINTS_DIR}/)`,
    { path },
  );
}

/**
 * The checkpoint directory that {@link loadCheckpoint} would load from the run directory `runDir`, or
 * undefined if there is none (including when `runDir` does not exist) — the "fresh run or resume?"
 * question. Checks completeness cheaply (manifest valid, weights of the recorded length); the SHA-256
 * is verified only by `loadCheckpoint`.
 */
export async function latestCheckpoint(runDir: string): Promise<string | undefined> {
  const root = join(runDir, CHECKPOINTS_DIR);
  const { order } = await candidates(root);
  for (const name of order) {
    const dir = join(root, name);
    if (await looksComplete(dir)) return dir;
  }
  return undefined;
}

async function loadFromRun(run: string, warn: (message: string) => void): Promise<LoadedCheckpoint> {
  const root = join(run, CHECKPOINTS_DIR);
  const { latest, order, problem } = await candidates(root);
  if (problem !== undefined && order.length > 0)
    warn(`${problem}; falling back to the newest complete checkpoint`);
  let first: CheckpointError | undefined;
  for (const name of order) {
    const dir = join(root, name);
    try {
      const checkpoint = await readCheckpointDirectory(dir);
      if (first !== undefined || name !== latest) {
        warn(
          `loaded ${dir} (step ${checkpoint.step}) instead of the checkpoint named by ${join(root, LATEST_FILE)}`,
        );
      }
      return checkpoint;
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      first ??= error;
      warn(`skipping broken checkpoint ${dir}: ${error.message}`);
    }
  }
  if (first !== undefined) throw first;
  throw new CheckpointError('missing', `${run}: no checkpoint in ${root}`, { path: root });
}

/**
 * The checkpoint directories of `root` in the order to try them: the one LATEST names, then every
 * `step-*` by decreasing step. `problem` says why LATEST could not be followed, if it could not.
 */
async function candidates(root: string): Promise<{ latest?: string; order: string[]; problem?: string }> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if (isNotFound(error)) return { order: [] };
    throw error;
  }
  const steps = stepDirectories(names).map((s) => s.name);
  const latestFile = join(root, LATEST_FILE);
  let latest: string | undefined;
  let problem: string | undefined;
  try {
    const text = (await readFile(latestFile, 'utf8')).trim();
    if (STEP_DIR.test(text)) latest = text;
    else
      problem = `${latestFile} does not name a step directory (it holds ${JSON.stringify(text.slice(0, 40))})`;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    problem = `${latestFile} is missing`;
  }
  const order = latest === undefined ? steps : [latest, ...steps.filter((s) => s !== latest)];
  return latest === undefined ? { order, ...(problem === undefined ? {} : { problem }) } : { latest, order };
}

function stepDirectories(names: string[]): { name: string; step: number }[] {
  return names
    .map((name) => ({ name, match: STEP_DIR.exec(name) }))
    .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
    .map((e) => ({ name: e.name, step: Number(e.match[1]) }))
    .sort((a, b) => b.step - a.step);
}

/**
 * Keeps the `keep` step directories with the highest steps plus `current` (the one LATEST names) and
 * removes the rest. Each is renamed to a temp name before it is deleted, so that a kill halfway through
 * a deletion never leaves a half-deleted `step-*` directory for the loader to consider.
 */
async function prune(root: string, keep: number, current: string): Promise<void> {
  const steps = stepDirectories(await readdir(root));
  const kept = new Set([current, ...steps.slice(0, keep).map((s) => s.name)]);
  let renamed = false;
  for (const { name } of steps) {
    if (kept.has(name)) continue;
    const asideName = tempName(`.tmp-pruned-${name}`);
    try {
      await rename(join(root, name), join(root, asideName));
      renamed = true;
      await rm(join(root, asideName), { recursive: true, force: true });
    } finally {
      releaseTempName(asideName);
    }
  }
  if (renamed) await fsyncDirectory(root);
}
