/**
 * Reference solvers for the assignment tests: brute force over all permutations (n ≤ 8) and the
 * textbook O(n³) Hungarian algorithm with potentials (e-maxx formulation), independent of LAPJV.
 */

/** Minimum of Σᵢ cost[i, σ(i)] over all permutations σ (Heap's algorithm). */
export function bruteForceAssignment(cost: Float64Array, n: number): number {
  const perm = Array.from({ length: n }, (_, i) => i);
  const total = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += cost[i * n + perm[i]!]!;
    return s;
  };
  let best = total();
  const c = new Array<number>(n).fill(0);
  let i = 1;
  while (i < n) {
    if (c[i]! < i) {
      const k = i % 2 === 0 ? 0 : c[i]!;
      const tmp = perm[k]!;
      perm[k] = perm[i]!;
      perm[i] = tmp;
      best = Math.min(best, total());
      c[i]! += 1;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return best;
}

/** Optimal cost by the e-maxx Hungarian algorithm (1-based potentials u, v; O(n³)). */
export function hungarianCost(cost: Float64Array, n: number): number {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minv[j]! -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  let total = 0;
  for (let j = 1; j <= n; j++) total += cost[(p[j]! - 1) * n + (j - 1)]!;
  return total;
}

/** A small deterministic generator for test data (mulberry32). */
export function testRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from `random` (Box–Muller). */
export function testNormal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** n points in R^dim with i.i.d. N(mean_c, 1) coordinates, as a Float64Array. */
export function gaussianPoints(
  random: () => number,
  n: number,
  dim: number,
  mean: readonly number[] = [],
): Float64Array {
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < dim; c++) out[i * dim + c] = testNormal(random) + (mean[c] ?? 0);
  }
  return out;
}
