import type { Rng } from '@bridgekit/core';
import { checkRng } from './check-rng.js';
import { checkSampleCount } from './sample-count.js';
import { resolveStretch, type StretchOptions } from './stretch.js';

/** Options of {@link checkerboard}. */
export type CheckerboardOptions = StretchOptions;

const HALF_WIDTH = 2 * Math.PI;

/**
 * VSDM's checkerboard (official code, `data.py` class `CheckerBoard`; algorithms.md §1.9): draw 3n
 * points uniform on [−2π, 2π)², keep those with sin(x₁)·sin(x₂) < 0 (exact zeros are dropped, as the
 * reference deletes points at the origin after masking), take the first n, then x ← x·xScalar,
 * y ← y·yScalar. The paper's anisotropic task is xScalar = 6 ('checkerboard-x6'). The accepted region
 * is 8 of the 16 π×π cells of the box, so the law is uniform on those cells.
 *
 * Two departures, both documented here: (1) the reference returns fewer than n points when fewer
 * than n of the 3n survive (likely for small n); this function then draws 3·(missing) more points,
 * repeatedly, so it always returns exactly n. (2) A point is also rejected when its float32-rounded,
 * stretched coordinates (fx, fy) would leave the region, i.e. unless sin(fx/xScalar)·sin(fy/yScalar)
 * < 0 and |fx| ≤ 2π·xScalar, |fy| ≤ 2π·yScalar hold in float64 arithmetic: every returned point then
 * satisfies the definition exactly. This removes a set of measure ~1e-7 next to the cell edges.
 * Returns n×2 row-major float32.
 */
export function checkerboard(n: number, rng: Rng, options?: CheckerboardOptions): Float32Array {
  checkSampleCount('checkerboard', n);
  checkRng('checkerboard', rng);
  const { xs, ys } = resolveStretch('checkerboard', options);
  const out = new Float32Array(2 * n);
  const boxX = HALF_WIDTH * xs;
  const boxY = HALF_WIDTH * ys;
  let count = 0;
  while (count < n) {
    const draws = 3 * (n - count);
    const u = rng.uniform(2 * draws);
    for (let j = 0; j < draws && count < n; j++) {
      const x1 = -HALF_WIDTH + 2 * HALF_WIDTH * u[2 * j]!;
      const x2 = -HALF_WIDTH + 2 * HALF_WIDTH * u[2 * j + 1]!;
      if (!(Math.sin(x1) * Math.sin(x2) < 0)) continue;
      const fx = Math.fround(x1 * xs);
      const fy = Math.fround(x2 * ys);
      if (!(Math.sin(fx / xs) * Math.sin(fy / ys) < 0) || Math.abs(fx) > boxX || Math.abs(fy) > boxY)
        continue;
      out[2 * count] = fx;
      out[2 * count + 1] = fy;
      count++;
    }
  }
  return out;
}
