/** The element types a safetensors file written or read by this package may hold (the safetensors names). */
export type DType = 'F32' | 'F64' | 'I32' | 'U32' | 'I64';

/** The typed array that holds each {@link DType}'s elements. */
export interface DTypeArrays {
  F32: Float32Array;
  F64: Float64Array;
  I32: Int32Array;
  U32: Uint32Array;
  I64: BigInt64Array;
}

/**
 * A named tensor on the host: `data` holds `shape`'s elements in row-major ("C") order, and its type
 * follows `dtype`. Without a type argument this is a union discriminated by `dtype`, so checking
 * `t.dtype === 'F32'` narrows `t.data` to a `Float32Array`; `NamedArray<'F32'>` names one member.
 * A scalar has `shape: []` and one element; a tensor with a 0 in its shape has none.
 */
export type NamedArray<D extends DType = DType> = D extends DType
  ? { dtype: D; shape: number[]; data: DTypeArrays[D] }
  : never;

/** Every supported dtype, in the order used in messages. */
export const DTYPES: readonly DType[] = ['F32', 'F64', 'I32', 'U32', 'I64'];

const ARRAY_TYPES = {
  F32: Float32Array,
  F64: Float64Array,
  I32: Int32Array,
  U32: Uint32Array,
  I64: BigInt64Array,
} as const;

/** True if `value` is one of the supported dtype names. */
export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(ARRAY_TYPES, value);
}

/** Bytes per element of `dtype`. */
export function bytesPerElement(dtype: DType): number {
  return ARRAY_TYPES[dtype].BYTES_PER_ELEMENT;
}

/** A zero-filled typed array of `dtype` with `length` elements (a fresh, aligned buffer). */
export function allocate<D extends DType>(dtype: D, length: number): DTypeArrays[D] {
  return new ARRAY_TYPES[dtype](length) as DTypeArrays[D];
}

/**
 * Number of elements of `shape`, or undefined if `shape` is not an array of non-negative safe integers
 * or the product overflows the safe-integer range.
 */
export function elementCount(shape: unknown): number | undefined {
  if (!Array.isArray(shape)) return undefined;
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || (dim as number) < 0) return undefined;
    count *= dim as number;
    if (!Number.isSafeInteger(count)) return undefined;
  }
  return count;
}

/**
 * Throws a `TypeError` naming `name` unless `value` is a well-formed {@link NamedArray}: a known dtype,
 * a typed array of that dtype, and a shape whose element count equals `data.length`. Caller mistakes are
 * caught here, before anything is written, rather than producing a file that cannot be read back.
 */
export function assertNamedArray(value: unknown, name: string): asserts value is NamedArray {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`tensor "${name}" must be an object { dtype, shape, data }, got ${describe(value)}`);
  }
  const { dtype, shape, data } = value as Record<string, unknown>;
  if (!isDType(dtype)) {
    throw new TypeError(`tensor "${name}" has dtype ${describe(dtype)}; supported: ${DTYPES.join(', ')}`);
  }
  const type = ARRAY_TYPES[dtype];
  if (!(data instanceof type)) {
    throw new TypeError(
      `tensor "${name}" has dtype ${dtype}, so data must be a ${type.name}, got ${describe(data)}`,
    );
  }
  const count = elementCount(shape);
  if (count === undefined) {
    throw new TypeError(
      `tensor "${name}" has shape ${describe(shape)}; expected an array of non-negative integers`,
    );
  }
  if (count !== data.length) {
    throw new TypeError(
      `tensor "${name}" has shape [${(shape as number[]).join(', ')}] (${count} elements) but ${data.length} data elements`,
    );
  }
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    // Capped: the value may come from a hostile file, and messages must stay one readable line.
    const shown = value.slice(0, 8).map(describe);
    return `[${shown.join(', ')}${value.length > 8 ? `, … (${value.length} items)` : ''}]`;
  }
  if (typeof value === 'string' && value.length > 60) return `${JSON.stringify(value.slice(0, 60))}…`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return String(value);
}
