import { allocate, bytesPerElement, type DType, type DTypeArrays } from './named-array.js';

/** True on little-endian hosts (every platform Node ships for today); safetensors is little-endian. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * Writes `data`'s elements into `target` at `offset` as little-endian `dtype` values. On a
 * little-endian host that is a plain byte copy; otherwise each element goes through a DataView.
 * `littleEndianHost` exists so that tests can exercise the big-endian path on any machine.
 */
export function writeLittleEndian(
  target: Uint8Array,
  offset: number,
  dtype: DType,
  data: DTypeArrays[DType],
  littleEndianHost = HOST_IS_LITTLE_ENDIAN,
): void {
  if (littleEndianHost) {
    target.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, data.length * bytesPerElement(dtype));
  const n = data.length;
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, data[i] as number, true);
      break;
    case 'F64':
      for (let i = 0; i < n; i++) view.setFloat64(i * 8, data[i] as number, true);
      break;
    case 'I32':
      for (let i = 0; i < n; i++) view.setInt32(i * 4, data[i] as number, true);
      break;
    case 'U32':
      for (let i = 0; i < n; i++) view.setUint32(i * 4, data[i] as number, true);
      break;
    case 'I64':
      for (let i = 0; i < n; i++) view.setBigInt64(i * 8, data[i] as bigint, true);
      break;
  }
}

/**
 * Reads `length` little-endian `dtype` elements from `source` at `offset` into a new typed array.
 * The result always owns a fresh buffer, so it is aligned and does not keep `source` alive.
 */
export function readLittleEndian<D extends DType>(
  source: Uint8Array,
  offset: number,
  dtype: D,
  length: number,
  littleEndianHost = HOST_IS_LITTLE_ENDIAN,
): DTypeArrays[D] {
  const out = allocate(dtype, length);
  const byteLength = length * bytesPerElement(dtype);
  if (littleEndianHost) {
    new Uint8Array(out.buffer).set(source.subarray(offset, offset + byteLength));
    return out;
  }
  const view = new DataView(source.buffer, source.byteOffset + offset, byteLength);
  const d: DType = dtype;
  switch (d) {
    case 'F32': {
      const a = out as Float32Array;
      for (let i = 0; i < length; i++) a[i] = view.getFloat32(i * 4, true);
      break;
    }
    case 'F64': {
      const a = out as Float64Array;
      for (let i = 0; i < length; i++) a[i] = view.getFloat64(i * 8, true);
      break;
    }
    case 'I32': {
      const a = out as Int32Array;
      for (let i = 0; i < length; i++) a[i] = view.getInt32(i * 4, true);
      break;
    }
    case 'U32': {
      const a = out as Uint32Array;
      for (let i = 0; i < length; i++) a[i] = view.getUint32(i * 4, true);
      break;
    }
    case 'I64': {
      const a = out as BigInt64Array;
      for (let i = 0; i < length; i++) a[i] = view.getBigInt64(i * 8, true);
      break;
    }
  }
  return out;
}
