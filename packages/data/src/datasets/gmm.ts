import type { Rng } from '@bridgekit/core';
import { describeValue } from '../describe-value.js';
import { checkRng } from './check-rng.js';
import { checkSampleCount } from './sample-count.js';
import { resolveStretch, type StretchOptions } from './stretch.js';

/** Options of {@link gmm}. */
export interface GmmOptions extends StretchOptions {
  /**
   * 'stratified' (default, the reference): exactly ⌊n/8⌋ points per component. 'iid': each point
   * picks its component uniformly at random, the draw a generative model makes.
   */
  readonly components?: 'stratified' | 'iid';
}

/** Number of mixture components of {@link gmm}. */
const COMPONENTS = 8;
/** Radius of the ring of component means of {@link gmm}. */
const RADIUS = 12;

/**
 * VSDM's Gaussian mixture (official code, `data.py` class `MixMultiVariateNormal`; algorithms.md §1.9):
 * 8 components N(μ_k, I₂) with μ_k = 12·(cos 2πk/8, sin 2πk/8), k = 0..7, equal weights, then
 * x ← x·xScalar, y ← y·yScalar.
 *
 * The reference requires n divisible by 8 and draws exactly n/8 points per component, in component
 * order. Here every component gets ⌊n/8⌋ points, the n mod 8 left over go to distinct components
 * chosen uniformly at random, and the rows are shuffled so that any prefix is a fair sample; for n
 * divisible by 8 the multiset of points has the reference's law exactly. `components: 'iid'` draws
 * each point's component independently instead. Returns n×2 row-major float32.
 */
export function gmm(n: number, rng: Rng, options?: GmmOptions): Float32Array {
  checkSampleCount('gmm', n);
  checkRng('gmm', rng);
  const { xs, ys } = resolveStretch('gmm', options);
  const mode = options?.components ?? 'stratified';
  if (mode !== 'stratified' && mode !== 'iid') {
    throw new RangeError(`gmm: options.components must be 'stratified' or 'iid', got ${describeValue(mode)}`);
  }
  const counts = new Array<number>(COMPONENTS).fill(mode === 'iid' ? 0 : Math.floor(n / COMPONENTS));
  if (mode === 'iid') {
    const u = rng.uniform(n);
    for (let i = 0; i < n; i++) counts[Math.min(COMPONENTS - 1, Math.floor(u[i]! * COMPONENTS))]! += 1;
  } else {
    for (const k of rng.choice(COMPONENTS, n % COMPONENTS)) counts[k]! += 1;
  }
  const z = rng.normal(2 * n);
  const order = rng.permutation(n);
  const out = new Float32Array(2 * n);
  let i = 0;
  for (let k = 0; k < COMPONENTS; k++) {
    const angle = (2 * Math.PI * k) / COMPONENTS;
    const mx = RADIUS * Math.cos(angle);
    const my = RADIUS * Math.sin(angle);
    for (let c = 0; c < counts[k]!; c++, i++) {
      const row = order[i]!;
      out[2 * row] = (mx + z[2 * i]!) * xs;
      out[2 * row + 1] = (my + z[2 * i + 1]!) * ys;
    }
  }
  return out;
}
