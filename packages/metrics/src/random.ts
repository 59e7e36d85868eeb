/**
 * A small seeded generator for the random directions of the sliced metrics: xoshiro128** (Blackman &
 * Vigna) seeded by splitmix32 from a 32-bit integer seed, uniform doubles with 53 random bits, and
 * standard normals by Box–Muller. Self-contained so that this package depends on nothing; it is not
 * the same stream as `@bridgekit/core`'s Philox `Rng`.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = Number.NaN;

  /** `seed` is any integer; it is reduced modulo 2^32. */
  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new RangeError(`seed must be an integer, got ${String(seed)}`);
    }
    let state = seed >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in the open interval (0, 1), with 53 random bits. */
  uniform(): number {
    for (;;) {
      const hi = this.nextUint32() >>> 5; // 27 bits
      const lo = this.nextUint32() >>> 6; // 26 bits
      const u = (hi * 67108864 + lo) / 9007199254740992;
      if (u > 0) return u;
    }
  }

  /** A standard normal draw (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * `count` unit vectors in R^dim, uniform on the sphere (normalised standard normal vectors), row-major
 * in a Float64Array of count·dim, from `new SeededRandom(seed)`. The same seed gives the same directions.
 */
export function randomUnitDirections(count: number, dim: number, seed: number): Float64Array {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`count (projections) must be a positive integer, got ${String(count)}`);
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`dim must be a positive integer, got ${String(dim)}`);
  }
  const rng = new SeededRandom(seed);
  const out = new Float64Array(count * dim);
  for (let l = 0; l < count; l++) {
    let norm2 = 0;
    while (norm2 === 0) {
      for (let c = 0; c < dim; c++) {
        const z = rng.normal();
        out[l * dim + c] = z;
        norm2 += z * z;
      }
    }
    const inv = 1 / Math.sqrt(norm2);
    for (let c = 0; c < dim; c++) out[l * dim + c]! *= inv;
  }
  return out;
}
