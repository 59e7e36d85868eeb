/**
 * Test-only helpers of the sde package (not exported from the package index): a fast seeded normal
 * stream for Monte-Carlo tests, adaptive Simpson quadrature, and sample moments.
 */
import type { Rng } from '@bridgekit/core';

/**
 * A stream of standard normals (xoshiro128** words, Marsaglia polar method) seeded from an {@link Rng}.
 *
 * Monte-Carlo tests of SDE simulators need ~1e8 normals; the library's Philox `Rng` costs ~150 ns per
 * normal (≈15 s per test), this stream ~25 ns. Its 4-word state is drawn from the given Rng, so a test
 * is still reproducible from one seed. Statistical quality is ample for 4-standard-error moment checks.
 */
export class FastNormals {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(rng: Rng) {
    const words = rng.uniform(4).map((u) => Math.floor(u * 2 ** 32));
    this.#a = words[0]! >>> 0 || 1; // xoshiro must not start from the all-zero state
    this.#b = words[1]! >>> 0;
    this.#c = words[2]! >>> 0;
    this.#d = words[3]! >>> 0;
  }

  #next(): number {
    const b5 = Math.imul(this.#b, 5);
    const result = Math.imul((b5 << 7) | (b5 >>> 25), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = (this.#d << 11) | (this.#d >>> 21);
    return result;
  }

  /** Fills `out` with independent N(0, 1) draws and returns it. */
  fill<T extends Float32Array | Float64Array>(out: T): T {
    const n = out.length;
    let i = 0;
    while (i < n) {
      const u = (this.#next() | 0) * 4.656612873077393e-10; // uniform on (−1, 1)
      const v = (this.#next() | 0) * 4.656612873077393e-10;
      const q = u * u + v * v;
      if (q >= 1 || q === 0) continue;
      const f = Math.sqrt((-2 * Math.log(q)) / q);
      out[i++] = u * f;
      if (i < n) out[i++] = v * f;
    }
    return out;
  }
}

/**
 * ∫ₐᵇ f by adaptive Simpson (Richardson-corrected) to a relative tolerance `relTol` of a first
 * 64-panel estimate, for float64 integrands. Refinement also stops once a panel's correction is at the
 * rounding level of its value, and more than 2e5 evaluations throw, so an unreachable tolerance fails
 * fast instead of recursing exponentially.
 */
export function adaptiveSimpson(
  integrand: (x: number) => number,
  a: number,
  b: number,
  relTol = 1e-12,
): number {
  if (a === b) return 0;
  let evaluations = 0;
  const f = (x: number) => {
    if (++evaluations > 200_000)
      throw new Error(`adaptiveSimpson: no convergence to ${relTol} on [${a}, ${b}]`);
    return integrand(x);
  };
  const simpson = (fa: number, fm: number, fb: number, h: number) => (h / 6) * (fa + 4 * fm + fb);
  const recurse = (
    lo: number,
    hi: number,
    flo: number,
    fmid: number,
    fhi: number,
    whole: number,
    eps: number,
    depth: number,
  ): number => {
    const mid = 0.5 * (lo + hi);
    const flm = f(0.5 * (lo + mid));
    const frm = f(0.5 * (mid + hi));
    const left = simpson(flo, flm, fmid, mid - lo);
    const right = simpson(fmid, frm, fhi, hi - mid);
    const delta = left + right - whole;
    const rounding = 64 * Number.EPSILON * (Math.abs(left) + Math.abs(right));
    if (depth <= 0 || Math.abs(delta) <= Math.max(15 * eps, rounding)) return left + right + delta / 15;
    return (
      recurse(lo, mid, flo, flm, fmid, left, eps / 2, depth - 1) +
      recurse(mid, hi, fmid, frm, fhi, right, eps / 2, depth - 1)
    );
  };
  // A composite first pass sets the absolute scale and keeps features narrower than (b − a) visible.
  const panels = 64;
  const h = (b - a) / panels;
  const values = Array.from({ length: 2 * panels + 1 }, (_, i) => f(a + (i * h) / 2));
  let estimate = 0;
  for (let p = 0; p < panels; p++)
    estimate += simpson(values[2 * p]!, values[2 * p + 1]!, values[2 * p + 2]!, h);
  const eps = (relTol * Math.abs(estimate)) / panels;
  let total = 0;
  for (let p = 0; p < panels; p++) {
    const [fa, fm, fb] = [values[2 * p]!, values[2 * p + 1]!, values[2 * p + 2]!];
    total += recurse(a + p * h, a + (p + 1) * h, fa, fm, fb, simpson(fa, fm, fb, h), eps, 40);
  }
  return total;
}

/** ∫ₐᵇ f by composite Simpson in w = ln u (for 0 < a < b), robust to float32 noise and to f ~ 1/u. */
export function logSimpson(f: (u: number) => number, a: number, b: number, panels = 400): number {
  const lo = Math.log(a);
  const h = (Math.log(b) - lo) / panels;
  const g = (w: number) => f(Math.exp(w)) * Math.exp(w);
  let sum = g(lo) + g(lo + panels * h);
  for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * g(lo + i * h);
  return (h / 3) * sum;
}

/** Column means and the (unbiased) covariance of an [n, d] row-major sample. */
export function sampleMoments(data: ArrayLike<number>, d: number): { mean: number[]; cov: number[][] } {
  const n = data.length / d;
  const mean = new Array<number>(d).fill(0);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i]! += data[r * d + i]!;
  for (let i = 0; i < d; i++) mean[i]! /= n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let r = 0; r < n; r++)
    for (let i = 0; i < d; i++) {
      const di = data[r * d + i]! - mean[i]!;
      for (let j = 0; j <= i; j++) cov[i]![j]! += di * (data[r * d + j]! - mean[j]!);
    }
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      cov[i]![j]! /= n - 1;
      cov[j]![i] = cov[i]![j]!;
    }
  return { mean, cov };
}
