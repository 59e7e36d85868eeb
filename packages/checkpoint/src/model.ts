import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadCheckpointOptions } from './checkpoint.js';
import {
  assertContent,
  type CheckpointContent,
  type LoadedCheckpoint,
  readCheckpointDirectory,
  writeCheckpointDirectory,
} from './checkpoint-directory.js';
import { CheckpointError } from './errors.js';
import type { JsonValue } from './json.js';
import { MANIFEST_FILE } from './manifest.js';
import type { NamedArray } from './named-array.js';
import { exists, replaceDirectory } from './replace-directory.js';
import { releaseTempName, removeStaleTemps, tempName } from './temp-names.js';

/** Subdirectory of a run (or export) directory that holds the final inference model. */
export const MODEL_DIR = 'model';

const LEFTOVER = /^model\.(tmp|old)-/;

/** Input of {@link saveModel}. */
export interface SaveModelInput {
  /** Everything needed to rebuild the model for inference (architecture, normalisation, SDE, …). */
  config: JsonValue;
  /** The weights by name. */
  tensors: Record<string, NamedArray>;
  /** The training step the model comes from; default 0. */
  step?: number;
}

/**
 * Saves the final inference model as a single checkpoint directory `dir/model/` (same layout as a
 * checkpoint) and returns its path. It is written to `dir/model.tmp-<pid>-<random>`, fsynced, then
 * renamed over `dir/model/`; an existing model is renamed aside to `model.old-*` first and removed after,
 * so `dir/model/` is always either the old model or the complete new one. Leftovers of a killed save
 * are removed first.
 */
export async function saveModel(dir: string, input: SaveModelInput): Promise<string> {
  const content: CheckpointContent = { step: input.step ?? 0, config: input.config, tensors: input.tensors };
  assertContent(content);
  await mkdir(dir, { recursive: true });
  await removeStaleTemps(dir, LEFTOVER);
  const target = join(dir, MODEL_DIR);
  const tmpName = tempName(`${MODEL_DIR}.tmp`);
  const tmp = join(dir, tmpName);
  try {
    await mkdir(tmp);
    await writeCheckpointDirectory(tmp, content);
    await replaceDirectory(tmp, target, `${MODEL_DIR}.old`);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  } finally {
    releaseTempName(tmpName);
  }
  return target;
}

/**
 * Loads and verifies the model saved by {@link saveModel} in `dir` (`dir/model/`; `dir` may also be the
 * model directory itself). If a save was killed between its two renames, `dir/model/` is missing but
 * complete copies remain: the new one (`model.tmp-*`) is preferred, then the old one (`model.old-*`),
 * with a warning through `onWarning`. Throws a {@link CheckpointError} like `loadCheckpoint`.
 */
export async function loadModel(dir: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const warn = options.onWarning ?? ((message: string) => console.warn(`@bridgekit/checkpoint: ${message}`));
  const target = join(dir, MODEL_DIR);
  // A second attempt covers a reader racing a concurrent saveModel, which briefly removes dir/model.
  for (let attempt = 0; ; attempt++) {
    try {
      if (await exists(target)) return await readCheckpointDirectory(target);
      if (await exists(join(dir, MANIFEST_FILE))) return await readCheckpointDirectory(dir);
      const recovered = await recover(dir, target, warn);
      if (recovered !== undefined) return recovered;
      throw new CheckpointError('missing', `${target}: no model saved in ${dir}`, { path: target });
    } catch (error) {
      if (attempt > 0 || !(error instanceof CheckpointError) || error.code !== 'missing') throw error;
    }
  }
}

async function recover(
  dir: string,
  target: string,
  warn: (message: string) => void,
): Promise<LoadedCheckpoint | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  // The new copy is complete before the old one is set aside, so prefer it; a half-written one fails
  // verification and is skipped.
  const leftovers = names.filter((n) => LEFTOVER.test(n)).sort((a, b) => rank(a) - rank(b));
  for (const name of leftovers) {
    try {
      const model = await readCheckpointDirectory(join(dir, name));
      warn(`${target} is missing (a save was interrupted); loaded ${model.dir} instead`);
      return model;
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
    }
  }
  return undefined;
}

function rank(name: string): number {
  return name.startsWith(`${MODEL_DIR}.tmp-`) ? 0 : 1;
}
