/**
 * Philox4x32 counter-based block function (Salmon, Moraes, Dror & Shaw, "Parallel random numbers:
 * as easy as 1, 2, 3", SC 2011; reference implementation Random123).
 *
 * A counter-based generator maps (counter, key) to a block of random words with no hidden state,
 * so a stream is fully described by a key and a position. That is what makes the host-side RNG
 * reproducible across TensorFlow.js backends and trivially serializable.
 *
 * Everything is computed with 32-bit integer arithmetic on doubles (Math.imul for low words, an
 * exact 16-bit-limb product for high words), so the output is bit-identical on every JS engine.
 */

/** Philox4x32 round multipliers (Random123 PHILOX_M4x32_0/1). */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
/** Weyl-sequence key increments (golden ratio and sqrt(3) - 1, Random123 PHILOX_W32_0/1). */
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

// The multipliers are constants, so their 16-bit halves are split once here instead of per call.
const M0_LO = M0 & 0xffff;
const M0_HI = M0 >>> 16;
const M1_LO = M1 & 0xffff;
const M1_HI = M1 >>> 16;

/**
 * High 32 bits of the 64-bit product (mHi·2^16 + mLo)·b. Each partial product is < 2^32 and their
 * sum is < 2^53, so every step is exact in float64; plain `a * b` would round above 2^53.
 */
function mulhiSplit(mLo: number, mHi: number, b: number): number {
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const ll = mLo * bLo;
  const lh = mLo * bHi;
  const hl = mHi * bLo;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (mHi * bHi + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/** High 32 bits of the exact 64-bit product of two uint32 values. */
export function mulhi32(a: number, b: number): number {
  return mulhiSplit(a & 0xffff, a >>> 16, b >>> 0);
}

/**
 * Allocation-free block function used by the generator's hot path: writes the 4 output words of
 * Philox4x32-`rounds` for counter (c0..c3) and key (k0, k1) into `out[off..off+4)`.
 * Arguments are not validated; callers pass uint32 values.
 */
export function philoxBlock(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  rounds: number,
  out: Uint32Array,
  off: number,
): void {
  let x0 = c0 >>> 0;
  let x1 = c1 >>> 0;
  let x2 = c2 >>> 0;
  let x3 = c3 >>> 0;
  let key0 = k0 >>> 0;
  let key1 = k1 >>> 0;
  for (let r = 0; r < rounds; r++) {
    // Random123 applies the key bump between rounds: round 1 uses the raw key, round i uses key + (i-1)·W.
    if (r > 0) {
      key0 = (key0 + W0) >>> 0;
      key1 = (key1 + W1) >>> 0;
    }
    const hi0 = mulhiSplit(M0_LO, M0_HI, x0);
    const lo0 = Math.imul(M0, x0) >>> 0;
    const hi1 = mulhiSplit(M1_LO, M1_HI, x2);
    const lo1 = Math.imul(M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ key0) >>> 0;
    x1 = lo1;
    x2 = (hi0 ^ x3 ^ key1) >>> 0;
    x3 = lo0;
  }
  out[off] = x0;
  out[off + 1] = x1;
  out[off + 2] = x2;
  out[off + 3] = x3;
}

/**
 * Philox4x32-R block function: returns the 4 random words for a 128-bit `counter` (4 words,
 * little-endian word order as in Random123) under a 64-bit `key` (2 words). `rounds` defaults to
 * 10, the crush-resistant variant with safety margin that Random123 recommends.
 */
export function philox4x32(counter: Uint32Array, key: Uint32Array, rounds = 10): Uint32Array {
  if (!(counter instanceof Uint32Array) || counter.length !== 4) {
    throw new TypeError(`counter must be a Uint32Array of length 4, got ${describe(counter)}`);
  }
  if (!(key instanceof Uint32Array) || key.length !== 2) {
    throw new TypeError(`key must be a Uint32Array of length 2, got ${describe(key)}`);
  }
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 16) {
    throw new RangeError(`rounds must be an integer in [1, 16], got ${rounds}`);
  }
  const out = new Uint32Array(4);
  philoxBlock(counter[0]!, counter[1]!, counter[2]!, counter[3]!, key[0]!, key[1]!, rounds, out, 0);
  return out;
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value))
    return `${value.constructor.name} of length ${(value as Uint32Array).length}`;
  if (Array.isArray(value)) return `Array of length ${value.length}`;
  return value === null ? 'null' : typeof value;
}
