import { readLittleEndian, writeLittleEndian } from './byte-order.js';
import { CheckpointError } from './errors.js';
import {
  assertNamedArray,
  bytesPerElement,
  DTYPES,
  type DType,
  describe,
  elementCount,
  isDType,
  type NamedArray,
} from './named-array.js';

/** The content of a safetensors file: named tensors plus the free-form string map `__metadata__`. */
export interface Safetensors {
  tensors: Record<string, NamedArray>;
  metadata: Record<string, string>;
}

/** The reference implementation refuses headers above 100 MB; so do we, to fail fast on garbage. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';
const SPACE = 0x20;
const OPEN_BRACE = 0x7b;

/**
 * Encodes `tensors` (and optional string `metadata`) in the Hugging Face safetensors layout:
 * an 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
 * (`{"__metadata__": {...}, "<name>": {"dtype", "shape", "data_offsets": [begin, end]}, ...}`, padded
 * with spaces so that N is a multiple of 8), then the tensors' little-endian bytes back to back in
 * sorted-name order, offsets relative to the start of that buffer. The output is deterministic.
 * Throws a `TypeError` for a malformed tensor (dtype/data/shape disagree) or a non-string metadata value.
 */
export function encodeSafetensors(
  tensors: Record<string, NamedArray>,
  metadata: Record<string, string> = {},
): Uint8Array {
  if (typeof tensors !== 'object' || tensors === null) {
    throw new TypeError(`tensors must be an object of named arrays, got ${describe(tensors)}`);
  }
  const names = Object.keys(tensors).sort();
  // The header is assembled by hand: key order matters for a deterministic file, and a tensor named
  // "__proto__" must stay an ordinary key.
  const parts: string[] = [];
  const metadataKeys = Object.keys(metadata).sort();
  if (metadataKeys.length > 0) {
    const fields = metadataKeys.map((key) => {
      const value = metadata[key];
      if (typeof value !== 'string') {
        throw new TypeError(`metadata "${key}" must be a string, got ${describe(value)}`);
      }
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(',')}}`);
  }
  let bufferLength = 0;
  const layout: { tensor: NamedArray; begin: number }[] = [];
  for (const name of names) {
    if (name === METADATA_KEY) throw new TypeError(`"${METADATA_KEY}" is reserved and cannot name a tensor`);
    const tensor = tensors[name];
    assertNamedArray(tensor, name);
    const begin = bufferLength;
    bufferLength += tensor.data.byteLength;
    layout.push({ tensor, begin });
    const info = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [begin, bufferLength] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const start = 8 + headerLength;
  const out = new Uint8Array(start + bufferLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(SPACE, 8 + json.length, start);
  for (const { tensor, begin } of layout) writeLittleEndian(out, start + begin, tensor.dtype, tensor.data);
  return out;
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

/**
 * Decodes a safetensors file produced by {@link encodeSafetensors} or any other safetensors writer
 * (dtypes F32, F64, I32, U32, I64). Every tensor is copied into a fresh typed array, so the results are
 * aligned and independent of `bytes`. `source` (a file name) starts every error message.
 *
 * Throws a {@link CheckpointError}: `truncated` when the bytes end before the header or the data they
 * announce; `foreign` when there is no JSON object header or a tensor has a dtype we do not read;
 * `corrupt` for malformed entries, a shape that disagrees with its offsets, overlapping or
 * non-contiguous offsets, or trailing bytes after the last tensor.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): Safetensors {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`bytes must be a Uint8Array, got ${describe(bytes)}`);
  }
  const fail = (code: 'truncated' | 'corrupt' | 'foreign', what: string): never => {
    throw new CheckpointError(code, `${source}: ${what}`, { path: source });
  };
  const notSafetensors = (why: string): never => {
    throw new CheckpointError('foreign', `${source} is not a safetensors file (${why})`, { path: source });
  };
  if (bytes.length < 8) {
    fail(
      'truncated',
      `truncated: ${bytes.length} bytes is too short for a safetensors header (need at least 8)`,
    );
  }
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const available = bytes.length - 8;
  // A real header starts with "{". Checking that first tells a foreign file (whose first 8 bytes read
  // as an absurd length) apart from a safetensors file that was cut short.
  if (available > 0 && bytes[8] !== OPEN_BRACE) notSafetensors('no JSON header after the 8-byte length');
  if (declared > BigInt(MAX_HEADER_BYTES)) notSafetensors(`header length ${declared} is implausible`);
  const headerLength = Number(declared);
  if (headerLength > available) {
    fail(
      'truncated',
      `truncated: the header length is ${headerLength} bytes but only ${available} bytes follow the length prefix`,
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return notSafetensors('header is not UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    return notSafetensors(`header is not valid JSON: ${(error as Error).message}`);
  }
  // JSON that starts with "{" is an object; the check narrows the type and guards future edits.
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return notSafetensors('header is not a JSON object');
  }

  const buffer = bytes.subarray(8 + headerLength);
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA_KEY) {
      metadata = readMetadata(info, fail);
      continue;
    }
    const tensor = `tensor ${JSON.stringify(name)}`;
    if (typeof info !== 'object' || info === null || Array.isArray(info)) {
      return fail('corrupt', `${tensor} is ${describe(info)}, not { dtype, shape, data_offsets }`);
    }
    const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
    if (typeof dtype !== 'string') return fail('corrupt', `${tensor} has no dtype`);
    if (!isDType(dtype)) {
      return fail(
        'foreign',
        `${tensor} has dtype ${dtype}, which is not supported (supported: ${DTYPES.join(', ')})`,
      );
    }
    const count = elementCount(shape);
    if (count === undefined) return fail('corrupt', `${tensor} has an invalid shape ${describe(shape)}`);
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      return fail('corrupt', `${tensor} has invalid data_offsets ${describe(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const expected = count * bytesPerElement(dtype);
    if (end - begin !== expected) {
      return fail(
        'corrupt',
        `${tensor} (${dtype}, shape [${(shape as number[]).join(', ')}]) needs ${expected} bytes but its data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    }
    if (end > buffer.length) {
      return fail(
        'truncated',
        `truncated: ${tensor} needs bytes ${begin}..${end} of the data buffer, which has only ${buffer.length} bytes`,
      );
    }
    entries.push({ name, dtype, shape: [...(shape as number[])], count, begin, end });
  }

  // Like the reference implementation, require the tensors to tile the buffer exactly: no overlaps
  // (two tensors sharing bytes), no holes, nothing after the last one.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: Entry | undefined;
  for (const entry of byOffset) {
    if (entry.begin < position) {
      return fail(
        'corrupt',
        `tensors ${JSON.stringify(previous?.name)} and ${JSON.stringify(entry.name)} overlap in the data buffer`,
      );
    }
    if (entry.begin > position) {
      return fail('corrupt', `bytes ${position}..${entry.begin} of the data buffer belong to no tensor`);
    }
    position = entry.end;
    previous = entry;
  }
  if (position < buffer.length) {
    return fail('corrupt', `${buffer.length - position} bytes of trailing garbage after the last tensor`);
  }

  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const tensors = Object.fromEntries(
    entries.map((e) => [
      e.name,
      {
        dtype: e.dtype,
        shape: e.shape,
        data: readLittleEndian(buffer, e.begin, e.dtype, e.count),
      } as NamedArray,
    ]),
  );
  return { tensors, metadata };
}

function readMetadata(
  value: unknown,
  fail: (code: 'corrupt', what: string) => never,
): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('corrupt', `${METADATA_KEY} is ${describe(value)}, not an object of strings`);
  }
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      return fail('corrupt', `${METADATA_KEY}.${key} is ${describe(v)}, not a string`);
    }
  }
  // fromEntries keeps a "__proto__" key as data instead of setting the prototype.
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}
