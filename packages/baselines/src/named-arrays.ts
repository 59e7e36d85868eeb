import type { NamedArray as CheckpointArray } from '@bridgekit/checkpoint';
import { tf } from '@bridgekit/core';
import type { NamedArray as NnArray, Params } from '@bridgekit/nn';

/** nn's float32 arrays → checkpoint's safetensors arrays (F32). */
export function toCheckpointArrays(arrays: Record<string, NnArray>): Record<string, CheckpointArray> {
  const out: Record<string, CheckpointArray> = {};
  for (const [name, a] of Object.entries(arrays)) out[name] = { dtype: 'F32', shape: a.shape, data: a.data };
  return out;
}

/** Checkpoint arrays → nn's float32 arrays; anything but F32 is refused, naming the tensor. */
export function fromCheckpointArrays(
  arrays: Record<string, CheckpointArray>,
  source: string,
): Record<string, NnArray> {
  const out: Record<string, NnArray> = {};
  for (const [name, a] of Object.entries(arrays)) {
    if (a.dtype !== 'F32') throw new Error(`${source}: tensor '${name}' is ${a.dtype}, expected F32`);
    out[name] = { dtype: 'float32', shape: a.shape, data: a.data };
  }
  return out;
}

/** Parameters (named tensors) → checkpoint arrays under a prefix. */
export function paramsToArrays(params: Params, prefix = ''): Record<string, CheckpointArray> {
  const out: Record<string, CheckpointArray> = {};
  for (const [name, t] of Object.entries(params)) {
    out[prefix + name] = { dtype: 'F32', shape: [...t.shape], data: Float32Array.from(t.dataSync()) };
  }
  return out;
}

/** Checkpoint arrays under a prefix → parameter tensors (the caller owns and disposes them). */
export function arraysToParams(
  arrays: Record<string, CheckpointArray>,
  prefix: string,
  source: string,
): Params {
  const out: Params = {};
  for (const [name, a] of Object.entries(arrays)) {
    if (!name.startsWith(prefix)) continue;
    if (a.dtype !== 'F32') throw new Error(`${source}: tensor '${name}' is ${a.dtype}, expected F32`);
    out[name.slice(prefix.length)] = tf.tensor(a.data, a.shape);
  }
  if (Object.keys(out).length === 0) throw new Error(`${source}: no tensors named '${prefix}…' in the model`);
  return out;
}
