import { CheckpointError } from './errors.js';
import type { JsonValue } from './json.js';
import { describe } from './named-array.js';

/** The `format` field of every `checkpoint.json`; anything else is not one of ours. */
export const CHECKPOINT_FORMAT = 'bridgekit-checkpoint';
/** The `formatVersion` this library writes. */
export const CHECKPOINT_FORMAT_VERSION = 1;
/** The `formatVersion`s this library reads. */
export const SUPPORTED_FORMAT_VERSIONS: readonly number[] = [1];
/** File name of the manifest inside a checkpoint directory. */
export const MANIFEST_FILE = 'checkpoint.json';
/** File name of the weights inside a checkpoint directory. */
export const WEIGHTS_FILE = 'weights.safetensors';

/** The content of `checkpoint.json`. */
export interface CheckpointManifest {
  /** Always `'bridgekit-checkpoint'`. */
  format: typeof CHECKPOINT_FORMAT;
  /** Version of this layout; bumped only for changes old readers would misread. */
  formatVersion: number;
  /** Version of `@bridgekit/checkpoint` that wrote the checkpoint (provenance only). */
  bridgekitVersion: string;
  /** ISO-8601 time of writing (provenance only). */
  createdAt: string;
  /** Training step the checkpoint was taken at (0 for a model saved without one). */
  step: number;
  /** The weights file (a name inside the same directory), its SHA-256 (hex) and its length in bytes. */
  weights: { file: string; sha256: string; bytes: number };
  /** The caller's JSON: method, SDE, schedule, network graph, normalisation, RNG state, optimiser, … */
  config: JsonValue;
}

/**
 * Parses and validates the text of a `checkpoint.json` read from `file`. Throws a {@link CheckpointError}:
 * `corrupt` for invalid JSON or a malformed field, `foreign` for JSON that is not a bridgekit checkpoint,
 * `version` for a `formatVersion` this library does not read.
 */
export function parseManifest(text: string, file: string): CheckpointManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError('corrupt', `${file}: invalid JSON (${(error as Error).message})`, {
      path: file,
      cause: error,
    });
  }
  const foreign = (why: string): never => {
    throw new CheckpointError('foreign', `${file} is not a bridgekit checkpoint (${why})`, { path: file });
  };
  const corrupt = (what: string): never => {
    throw new CheckpointError('corrupt', `${file}: ${what}`, { path: file });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return foreign('not a JSON object');
  const m = value as Record<string, unknown>;
  if (m.format === undefined) foreign('format field missing');
  if (m.format !== CHECKPOINT_FORMAT)
    foreign(`format is ${describe(m.format)}, expected "${CHECKPOINT_FORMAT}"`);
  const version = m.formatVersion;
  if (!Number.isSafeInteger(version) || (version as number) < 1) {
    corrupt(`formatVersion is ${describe(version)}, expected a positive integer`);
  }
  if (!SUPPORTED_FORMAT_VERSIONS.includes(version as number)) {
    const newer = (version as number) > Math.max(...SUPPORTED_FORMAT_VERSIONS);
    throw new CheckpointError(
      'version',
      `${file}: formatVersion ${version} is not supported; this @bridgekit/checkpoint reads formatVersion ${SUPPORTED_FORMAT_VERSIONS.join(', ')}${newer ? ' (the checkpoint was written by a newer version; upgrade @bridgekit/checkpoint)' : ''}`,
      { path: file },
    );
  }
  for (const key of ['bridgekitVersion', 'createdAt'] as const) {
    if (typeof m[key] !== 'string') corrupt(`${key} is ${describe(m[key])}, expected a string`);
  }
  if (!isCount(m.step)) corrupt(`step is ${describe(m.step)}, expected a non-negative integer`);
  const weights = m.weights as Record<string, unknown> | undefined;
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights)) {
    return corrupt(`weights is ${describe(weights)}, expected { file, sha256, bytes }`);
  }
  // The file name must stay inside the checkpoint directory, whatever the JSON says.
  if (typeof weights.file !== 'string' || !/^[^/\\]+$/.test(weights.file) || /^\.\.?$/.test(weights.file)) {
    corrupt(`weights.file is ${describe(weights.file)}, expected a file name in the same directory`);
  }
  if (typeof weights.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(weights.sha256)) {
    corrupt(`weights.sha256 is ${describe(weights.sha256)}, expected 64 hex digits`);
  }
  if (!isCount(weights.bytes)) corrupt(`weights.bytes is ${describe(weights.bytes)}, expected a byte count`);
  if (!('config' in m)) corrupt('config field missing');
  return m as unknown as CheckpointManifest;
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
