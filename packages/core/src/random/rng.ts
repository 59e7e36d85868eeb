import { philoxBlock } from './philox.js';

const ROUNDS = 10;
const ALGORITHM = 'philox4x32-10';
const TWO_32 = 4294967296;
const TWO_26 = 67108864;
const TWO_M53 = 1 / 9007199254740992;
const TWO_M24 = 1 / 16777216;
const TWO_PI = 2 * Math.PI;
/** Largest bound / population size accepted, so every result fits an Int32Array (tfjs int32). */
const MAX_INT32_RANGE = 2 ** 31;

// Counter word 3 is a domain tag, so key derivation for split()/fork() evaluates Philox on counters
// the data stream can never reach. Philox is a bijection for a fixed key, so derived key material
// is never equal to a block of the parent's stream.
const DOMAIN_STREAM = 0;
const DOMAIN_SPLIT = 1;
const DOMAIN_FORK = 2;
// Counter word 2 of a fork derivation says how the label was encoded, so fork(1) !== fork('1').
const FORK_LABEL_NUMBER = 0;
const FORK_LABEL_STRING = 1;

const HEX_WORD = /^[0-9a-fA-F]{8}$/;

/**
 * JSON-safe snapshot of an {@link Rng}. Words are 8-digit lowercase hex strings, low word first.
 * `counter` + `offset` name the position of the next 32-bit word of the stream: word `offset` of
 * the Philox block at `counter`. `counter[3]` is reserved for domain separation and is always
 * '00000000'. `splits` is how many children {@link Rng.split} has handed out, so a restored
 * generator's next split yields the same children too.
 */
export interface RngState {
  readonly algorithm: 'philox4x32-10';
  readonly key: readonly [string, string];
  readonly counter: readonly [string, string, string, string];
  readonly offset: number;
  readonly splits: number;
}

/**
 * Seeded, counter-based random source (Philox4x32-10) evaluated on the host, so a seed gives the
 * same numbers on every TensorFlow.js backend and device, and the state is a handful of integers.
 *
 * Seeding: a non-negative safe integer or a bigint < 2^64 is used directly as the 64-bit key
 * (k0 = low word, k1 = high word); a string is hashed with FNV-1a 64 over its UTF-8 bytes. So
 * `new Rng(5)` and `new Rng('5')` are different streams.
 *
 * Stream layout. The generator owns one stream of 32-bit words: block b (96-bit counter
 * [b_lo, b_mid, b_hi, 0]) contributes its 4 output words in order, and every call consumes the
 * next words of that stream, whatever their block alignment, with no hidden caches:
 * - `uniform(n)`: 2n words; value i = ((w[2i] >>> 5)·2^26 + (w[2i+1] >>> 6)) / 2^53, in [0, 1).
 * - `uniformFloat32(n)`: n words; value i = (w[i] >>> 8) / 2^24, in [0, 1) and exact in float32.
 * - `normal(n)`: 4·ceil(n/2) words. Each pair uses u1 = (a·2^26 + b + 1) / 2^53 in (0, 1] from the
 *   first 2 words (so log never sees 0) and u2 in [0, 1) from the next 2 (as in `uniform`);
 *   z = sqrt(-2 ln u1)·(cos 2πu2, sin 2πu2). For odd n the last sine is discarded, not cached.
 * - `normalFloat32(n)`: identical consumption; the float64 normals rounded to float32.
 * - `randint(n, high)`: n bounded draws. A bounded draw in [0, m) reads words until one is below
 *   2^32 - (2^32 mod m) and returns it mod m (rejection, so no modulo bias; at most one extra word
 *   on average, none when m is a power of two).
 * - `choice(n, k)`: k bounded draws, the i-th in [0, n - i), as a forward partial Fisher–Yates
 *   shuffle of 0..n-1; `permutation(n)` is `choice(n, n)`, so `choice(n, k)` equals the first k
 *   entries of `permutation(n)` from the same state.
 * - `split()` and `fork()` consume no words.
 *
 * Uniforms and integers are bit-identical on every JS engine. Normals also go through Math.log,
 * Math.cos and Math.sin; V8 (Node, Chrome, Deno) implements those in software (an fdlibm port), so
 * they agree across V8 platforms, but other engines may differ in the last ulp.
 */
export class Rng {
  #k0: number;
  #k1: number;
  // Counter of the next block to generate (96 bits; word 3 is the domain tag DOMAIN_STREAM).
  #c0 = 0;
  #c1 = 0;
  #c2 = 0;
  // Words of the most recently generated block, read from #pos; #pos = 4 means none are left.
  readonly #buf = new Uint32Array(4);
  #pos = 4;
  #splits = 0;

  constructor(seed: number | bigint | string) {
    const [k0, k1] = seedToKey(seed);
    this.#k0 = k0;
    this.#k1 = k1;
  }

  /** n float64 values in [0, 1) with 53 random bits each (2 words per value). */
  uniform(n: number): Float64Array {
    checkCount('n', n);
    const w = this.#words(2 * n);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = ((w[2 * i]! >>> 5) * TWO_26 + (w[2 * i + 1]! >>> 6)) * TWO_M53;
    return out;
  }

  /** n float32 values in [0, 1) with 24 random bits each (1 word per value). */
  uniformFloat32(n: number): Float32Array {
    checkCount('n', n);
    const w = this.#words(n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (w[i]! >>> 8) * TWO_M24;
    return out;
  }

  /** n standard normals (Box–Muller on 53-bit uniforms, 4 words per pair). */
  normal(n: number): Float64Array {
    checkCount('n', n);
    const pairs = Math.ceil(n / 2);
    const w = this.#words(4 * pairs);
    const out = new Float64Array(n);
    for (let p = 0; p < pairs; p++) {
      const j = 4 * p;
      // +1 maps the 53-bit integer to (0, 1], so the log argument is never 0.
      const u1 = ((w[j]! >>> 5) * TWO_26 + (w[j + 1]! >>> 6) + 1) * TWO_M53;
      const u2 = ((w[j + 2]! >>> 5) * TWO_26 + (w[j + 3]! >>> 6)) * TWO_M53;
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = TWO_PI * u2;
      out[2 * p] = r * Math.cos(theta);
      if (2 * p + 1 < n) out[2 * p + 1] = r * Math.sin(theta);
    }
    return out;
  }

  /** `normal(n)` rounded to float32; consumes exactly the same words. */
  normalFloat32(n: number): Float32Array {
    return new Float32Array(this.normal(n));
  }

  /** n integers uniform on [0, high), high ≤ 2^31, by rejection sampling (no modulo bias). */
  randint(n: number, high: number): Int32Array {
    checkCount('n', n);
    if (!Number.isInteger(high) || high < 1 || high > MAX_INT32_RANGE) {
      throw new RangeError(`high must be an integer in [1, 2^31], got ${String(high)}`);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.#bounded(high);
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (n ≤ 2^31); same as `choice(n, n)`. */
  permutation(n: number): Int32Array {
    checkPopulation(n);
    return this.choice(n, n);
  }

  /**
   * k distinct indices drawn uniformly from 0..n-1 without replacement, in selection order.
   * Memory is O(k) when k is small relative to n, so sampling a minibatch from a huge index range
   * does not allocate the whole range.
   */
  choice(n: number, k: number): Int32Array {
    checkPopulation(n);
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`k must be an integer in [0, n] = [0, ${n}], got ${String(k)}`);
    }
    const out = new Int32Array(k);
    if (4 * k >= n) {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + this.#bounded(n - i);
        const t = a[j]!;
        a[j] = a[i]!;
        a[i] = t;
        out[i] = t;
      }
    } else {
      // Sparse Fisher–Yates: only displaced positions are stored; same draws, same result.
      const moved = new Map<number, number>();
      for (let i = 0; i < k; i++) {
        const j = i + this.#bounded(n - i);
        const vj = moved.get(j) ?? j;
        moved.set(j, moved.get(i) ?? i);
        out[i] = vj;
      }
    }
    return out;
  }

  /**
   * `count` new generators whose keys are derived from this key and a running split index (Philox
   * on counter [index_lo, index_hi, 0, DOMAIN_SPLIT]). The children start at position 0, never
   * overlap this stream or each other, and do not move this generator's position; calling
   * `split(2)` twice gives four distinct children.
   */
  split(count: number): Rng[] {
    checkCount('count', count);
    if (this.#splits + count > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`count ${count} would overflow the split index (already ${this.#splits} splits)`);
    }
    const children: Rng[] = [];
    const tmp = new Uint32Array(4);
    for (let i = 0; i < count; i++) {
      const index = this.#splits + i;
      philoxBlock(
        index >>> 0,
        Math.floor(index / TWO_32),
        0,
        DOMAIN_SPLIT,
        this.#k0,
        this.#k1,
        ROUNDS,
        tmp,
        0,
      );
      children.push(Rng.#withKey(tmp[0]!, tmp[1]!));
    }
    this.#splits += count;
    return children;
  }

  /**
   * A child generator determined only by this key and `label` (a non-negative safe integer or a
   * string), not by this generator's position or split count: adding another consumer elsewhere
   * does not shift the streams of existing labels. The same label always gives the same stream.
   */
  fork(label: string | number): Rng {
    let l0: number;
    let l1: number;
    let kind: number;
    if (typeof label === 'string') {
      [l0, l1] = fnv1a64(label);
      kind = FORK_LABEL_STRING;
    } else if (typeof label === 'number' && Number.isSafeInteger(label) && label >= 0) {
      l0 = label >>> 0;
      l1 = Math.floor(label / TWO_32);
      kind = FORK_LABEL_NUMBER;
    } else {
      throw new TypeError(`label must be a string or a non-negative safe integer, got ${describe(label)}`);
    }
    const tmp = new Uint32Array(4);
    philoxBlock(l0, l1, kind, DOMAIN_FORK, this.#k0, this.#k1, ROUNDS, tmp, 0);
    return Rng.#withKey(tmp[0]!, tmp[1]!);
  }

  /** A JSON-safe snapshot; `Rng.fromState(rng.state())` continues the identical stream. */
  state(): RngState {
    let c0 = this.#c0;
    let c1 = this.#c1;
    let c2 = this.#c2;
    let offset = 0;
    if (this.#pos < 4) {
      // Words remain in the buffered block, which sits at counter - 1.
      offset = this.#pos;
      c0 = (c0 - 1) >>> 0;
      if (c0 === 0xffffffff) {
        c1 = (c1 - 1) >>> 0;
        if (c1 === 0xffffffff) c2 = (c2 - 1) >>> 0;
      }
    }
    return {
      algorithm: ALGORITHM,
      key: [hex(this.#k0), hex(this.#k1)],
      counter: [hex(c0), hex(c1), hex(c2), hex(DOMAIN_STREAM)],
      offset,
      splits: this.#splits,
    };
  }

  /** Rebuilds a generator from {@link Rng.state} output (e.g. after a JSON round trip), validating it. */
  static fromState(s: RngState): Rng {
    const st: unknown = s;
    if (typeof st !== 'object' || st === null || Array.isArray(st)) {
      throw new TypeError(`state must be an object from Rng.state(), got ${describe(st)}`);
    }
    const rec = st as Record<string, unknown>;
    if (rec.algorithm !== ALGORITHM) {
      throw new RangeError(`state.algorithm must be '${ALGORITHM}', got ${describe(rec.algorithm)}`);
    }
    const key = parseWords('state.key', rec.key, 2);
    const counter = parseWords('state.counter', rec.counter, 4);
    if (counter[3] !== DOMAIN_STREAM) {
      throw new RangeError(
        `state.counter[3] is reserved for domain separation and must be '00000000', got ${describe((rec.counter as unknown[])[3])}`,
      );
    }
    const offset = rec.offset;
    if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset > 3) {
      throw new RangeError(`state.offset must be an integer in [0, 3], got ${describe(offset)}`);
    }
    const splits = rec.splits;
    if (typeof splits !== 'number' || !Number.isSafeInteger(splits) || splits < 0) {
      throw new RangeError(`state.splits must be a non-negative safe integer, got ${describe(splits)}`);
    }
    const rng = Rng.#withKey(key[0]!, key[1]!);
    rng.#c0 = counter[0]!;
    rng.#c1 = counter[1]!;
    rng.#c2 = counter[2]!;
    rng.#splits = splits;
    if (offset > 0) {
      rng.#refill();
      rng.#pos = offset;
    }
    return rng;
  }

  static #withKey(k0: number, k1: number): Rng {
    const rng = new Rng(0);
    rng.#k0 = k0 >>> 0;
    rng.#k1 = k1 >>> 0;
    return rng;
  }

  /** Generates the block at the counter into #buf and advances the counter. */
  #refill(): void {
    philoxBlock(this.#c0, this.#c1, this.#c2, DOMAIN_STREAM, this.#k0, this.#k1, ROUNDS, this.#buf, 0);
    this.#advance();
    this.#pos = 0;
  }

  #advance(): void {
    this.#c0 = (this.#c0 + 1) >>> 0;
    if (this.#c0 !== 0) return;
    this.#c1 = (this.#c1 + 1) >>> 0;
    if (this.#c1 !== 0) return;
    this.#c2 = (this.#c2 + 1) >>> 0;
    // 2^96 blocks is unreachable in practice; only a hand-made state can get here.
    if (this.#c2 === 0) throw new RangeError('Rng stream exhausted: the 96-bit block counter wrapped');
  }

  #nextWord(): number {
    if (this.#pos === 4) this.#refill();
    return this.#buf[this.#pos++]!;
  }

  /** The next `count` words of the stream; whole blocks are generated straight into the result. */
  #words(count: number): Uint32Array {
    const out = new Uint32Array(count);
    let i = 0;
    while (i < count && this.#pos < 4) out[i++] = this.#buf[this.#pos++]!;
    while (count - i >= 4) {
      philoxBlock(this.#c0, this.#c1, this.#c2, DOMAIN_STREAM, this.#k0, this.#k1, ROUNDS, out, i);
      this.#advance();
      i += 4;
    }
    if (i < count) {
      this.#refill();
      while (i < count) out[i++] = this.#buf[this.#pos++]!;
    }
    return out;
  }

  /** One integer uniform on [0, m), 1 ≤ m ≤ 2^32, by rejecting the incomplete top range. */
  #bounded(m: number): number {
    const limit = TWO_32 - (TWO_32 % m);
    let w = this.#nextWord();
    while (w >= limit) w = this.#nextWord();
    return w % m;
  }
}

function seedToKey(seed: unknown): [number, number] {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer, got ${String(seed)}`);
    }
    return [seed >>> 0, Math.floor(seed / TWO_32)];
  }
  if (typeof seed === 'bigint') {
    if (seed < 0n || seed >= 1n << 64n) {
      throw new RangeError(`seed must be a bigint in [0, 2^64), got ${seed}n`);
    }
    return [Number(seed & 0xffffffffn), Number(seed >> 32n)];
  }
  if (typeof seed === 'string') return fnv1a64(seed);
  throw new TypeError(
    `seed must be a non-negative safe integer, a bigint < 2^64 or a string, got ${describe(seed)}`,
  );
}

/**
 * FNV-1a 64 of the UTF-8 bytes of `s`, as [low word, high word]. The multiply by the prime
 * 2^40 + 0x1b3 is done on 32-bit words: lo·0x1b3 < 2^41 is exact, and the 2^40 term only
 * touches the high word (lo << 8).
 */
function fnv1a64(s: string): [number, number] {
  const bytes = new TextEncoder().encode(s);
  let lo = 0x84222325;
  let hi = 0xcbf29ce4;
  for (const b of bytes) {
    lo = (lo ^ b) >>> 0;
    const t = lo * 0x1b3;
    const carry = Math.floor(t / TWO_32);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = t >>> 0;
  }
  return [lo, hi];
}

function parseWords(field: string, value: unknown, length: number): number[] {
  if (!Array.isArray(value) || value.length !== length) {
    throw new TypeError(`${field} must be an array of ${length} 8-digit hex strings, got ${describe(value)}`);
  }
  return value.map((v: unknown, i) => {
    if (typeof v !== 'string' || !HEX_WORD.test(v)) {
      throw new RangeError(`${field}[${i}] must be an 8-digit hex string, got ${describe(v)}`);
    }
    return Number.parseInt(v, 16);
  });
}

function checkCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${String(n)}`);
  }
}

function checkPopulation(n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > MAX_INT32_RANGE) {
    throw new RangeError(`n must be an integer in [0, 2^31], got ${String(n)}`);
  }
}

function hex(word: number): string {
  return word.toString(16).padStart(8, '0');
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null || typeof value !== 'object') return String(value);
  return `an object (${value.constructor?.name ?? 'null prototype'})`;
}
