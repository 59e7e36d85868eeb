// One checkpoint format for every bridgekit model: safetensors weights + a JSON config, written
// atomically, resumable after kill -9, validated on load.
export { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
export type { LoadCheckpointOptions, SaveCheckpointInput } from './checkpoint.js';
export {
  CHECKPOINTS_DIR,
  LATEST_FILE,
  latestCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  stepDirectoryName,
} from './checkpoint.js';
export type { CheckpointContent, LoadedCheckpoint } from './checkpoint-directory.js';
export type { CheckpointErrorCode } from './errors.js';
export { CheckpointError } from './errors.js';
export type { JsonValue } from './json.js';
export type { CheckpointManifest } from './manifest.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_FORMAT_VERSION,
  MANIFEST_FILE,
  SUPPORTED_FORMAT_VERSIONS,
  WEIGHTS_FILE,
} from './manifest.js';
export type { SaveModelInput } from './model.js';
export { loadModel, MODEL_DIR, saveModel } from './model.js';
export type { DType, DTypeArrays, NamedArray } from './named-array.js';
export { DTYPES } from './named-array.js';
export type { Safetensors } from './safetensors.js';
export { decodeSafetensors, encodeSafetensors } from './safetensors.js';
