import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, isNotFound } from './errors.js';
import { fsyncDirectory, writeFileSynced } from './fsync.js';
import { assertJsonValue, type JsonValue } from './json.js';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointManifest,
  MANIFEST_FILE,
  parseManifest,
  WEIGHTS_FILE,
} from './manifest.js';
import type { NamedArray } from './named-array.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { packageVersion } from './version.js';

/** What goes into one checkpoint directory. */
export interface CheckpointContent {
  /** Training step (a non-negative integer). */
  step: number;
  /** Any JSON: method, SDE, schedule, network graph, normalisation, RNG state, optimiser config, … */
  config: JsonValue;
  /** The weights (and any other arrays: optimiser moments, EMA copies, …) by name. */
  tensors: Record<string, NamedArray>;
}

/** A checkpoint read back from disk and verified. */
export interface LoadedCheckpoint {
  /** The step it was saved at. */
  step: number;
  /** The caller's JSON, as saved. */
  config: JsonValue;
  /** The tensors, each in a fresh (aligned) typed array. */
  tensors: Record<string, NamedArray>;
  /** The checkpoint directory it was read from. */
  dir: string;
  /** The whole `checkpoint.json` (provenance: writer version, creation time, weights hash). */
  manifest: CheckpointManifest;
}

/** Throws a `TypeError`/`RangeError` for a step or config that could not be saved faithfully. */
export function assertContent(content: CheckpointContent): void {
  if (typeof content !== 'object' || content === null) {
    throw new TypeError('expected { step, config, tensors }');
  }
  if (!Number.isSafeInteger(content.step) || content.step < 0) {
    throw new RangeError(`step must be a non-negative integer, got ${String(content.step)}`);
  }
  if (content.config === undefined) throw new TypeError('config is required (use null for none)');
  assertJsonValue(content.config, 'config');
}

/**
 * Writes `weights.safetensors` then `checkpoint.json` into the existing, empty directory `dir`, fsyncing
 * both files and then `dir`. The manifest is written last, so a directory that has one also has its
 * complete weights. Callers make the directory visible by renaming it afterwards.
 */
export async function writeCheckpointDirectory(dir: string, content: CheckpointContent): Promise<void> {
  const weights = encodeSafetensors(content.tensors, {
    format: CHECKPOINT_FORMAT,
    step: String(content.step),
  });
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    bridgekitVersion: await packageVersion(),
    createdAt: new Date().toISOString(),
    step: content.step,
    weights: { file: WEIGHTS_FILE, sha256: sha256(weights), bytes: weights.length },
    config: content.config,
  };
  await writeFileSynced(join(dir, WEIGHTS_FILE), weights);
  await writeFileSynced(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  await fsyncDirectory(dir);
}

/** Reads and validates `dir/checkpoint.json`; `missing` if it is absent. */
export async function readManifest(dir: string): Promise<CheckpointManifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) {
      throw new CheckpointError(
        'missing',
        `${file} not found: ${dir} is not a (complete) checkpoint directory`,
        {
          path: file,
          cause: error,
        },
      );
    }
    throw error;
  }
  return parseManifest(text, file);
}

/**
 * Reads the checkpoint directory `dir` and verifies it: the manifest's format and version, the
 * weights' byte length (`truncated` if short) and SHA-256 (`corrupt`), then the safetensors structure.
 */
export async function readCheckpointDirectory(dir: string): Promise<LoadedCheckpoint> {
  const manifest = await readManifest(dir);
  const file = join(dir, manifest.weights.file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if (isNotFound(error)) {
      throw new CheckpointError('missing', `${file}: weights file not found`, { path: file, cause: error });
    }
    throw error;
  }
  const expected = manifest.weights;
  if (bytes.length < expected.bytes) {
    throw new CheckpointError(
      'truncated',
      `${file}: weights are truncated (expected ${expected.bytes} bytes, got ${bytes.length})`,
      { path: file },
    );
  }
  const actual = sha256(bytes);
  if (bytes.length !== expected.bytes || actual !== expected.sha256) {
    throw new CheckpointError(
      'corrupt',
      `${file}: weights are corrupt (expected sha256 ${expected.sha256} and ${expected.bytes} bytes, got ${actual} and ${bytes.length})`,
      { path: file },
    );
  }
  const { tensors } = decodeSafetensors(bytes, file);
  return { step: manifest.step, config: manifest.config, tensors, dir, manifest };
}

/**
 * A cheap completeness check, without hashing: the manifest is valid and the weights file has the
 * recorded length. Enough to skip a directory left half-written or half-deleted by a killed process.
 */
export async function looksComplete(dir: string): Promise<boolean> {
  try {
    const manifest = await readManifest(dir);
    const info = await stat(join(dir, manifest.weights.file));
    return info.isFile() && info.size === manifest.weights.bytes;
  } catch {
    return false;
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
