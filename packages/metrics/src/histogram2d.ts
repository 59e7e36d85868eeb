import { checkPoints, type PointSet } from './points.js';

/** Per-axis closed interval [lo, hi] of a 2-D histogram. */
export type AxisRange = readonly [number, number];

/** Options of {@link histogram2d}. */
export interface Histogram2dOptions {
  /** Bins per axis (default 100). */
  readonly bins?: number;
  /** [[xLo, xHi], [yLo, yHi]]; points outside are dropped unless `clip` is set. */
  readonly range: readonly [AxisRange, AxisRange];
  /** Clip every point into the box before binning instead of dropping it (default false). */
  readonly clip?: boolean;
  /** Divide the counts by their sum so that they sum to 1 (default false; all zeros stay zeros). */
  readonly normalize?: boolean;
}

/** A 2-D histogram: `counts[ix·bins + iy]` (x index major, like numpy's `H[ix, iy]`). */
export interface Histogram2d {
  readonly bins: number;
  readonly counts: Float64Array;
  /** bins + 1 edges per axis. */
  readonly edgesX: Float64Array;
  readonly edgesY: Float64Array;
  /** Number of points binned (after clipping, or without the dropped ones). */
  readonly total: number;
}

/**
 * 2-D histogram of a 2-D point set with `bins` equal bins per axis on `range`, matching numpy's
 * `histogram2d(x, y, bins, range)`: edges are `linspace(lo, hi, bins + 1)` (edge k = lo + k·step with
 * step = (hi − lo)/bins, last edge exactly hi); a value v falls in bin k when edge_k ≤ v < edge_{k+1}
 * (found by binary search on the edges, so the rule is exact), except that v = hi goes into the last
 * bin (right edge folded in). Values outside [lo, hi] are dropped, or clipped to lo/hi with `clip`.
 * A degenerate axis (lo = hi) is widened to [lo − 0.5, hi + 0.5] as numpy does (clipping still uses
 * the original [lo, hi]).
 */
export function histogram2d(points: PointSet, options: Histogram2dOptions): Histogram2d {
  const n = checkPoints('points', points, 2);
  const bins = options.bins ?? 100;
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`bins must be a positive integer, got ${String(bins)}`);
  }
  const [rx, ry] = options.range;
  checkRange('range[0] (x)', rx);
  checkRange('range[1] (y)', ry);
  const edgesX = linspaceEdges(rx[0], rx[1], bins);
  const edgesY = linspaceEdges(ry[0], ry[1], bins);
  const clip = options.clip ?? false;
  const counts = new Float64Array(bins * bins);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let x = points[2 * i]!;
    let y = points[2 * i + 1]!;
    if (clip) {
      x = x < rx[0] ? rx[0] : x > rx[1] ? rx[1] : x;
      y = y < ry[0] ? ry[0] : y > ry[1] ? ry[1] : y;
    }
    const ix = binIndex(edgesX, x);
    const iy = binIndex(edgesY, y);
    if (ix < 0 || iy < 0) continue;
    counts[ix * bins + iy]! += 1;
    total++;
  }
  if ((options.normalize ?? false) && total > 0) {
    for (let k = 0; k < counts.length; k++) counts[k] = counts[k]! / total;
  }
  return { bins, counts, edgesX, edgesY, total };
}

function checkRange(name: string, range: AxisRange): void {
  const [lo, hi] = range;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
    throw new RangeError(`${name} is [${lo}, ${hi}]; it must be finite with lo ≤ hi`);
  }
}

/** numpy.linspace(lo, hi, bins + 1) (after numpy's widening of an empty range). */
function linspaceEdges(lo: number, hi: number, bins: number): Float64Array {
  let first = lo;
  let last = hi;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const step = (last - first) / bins;
  for (let k = 0; k < bins; k++) edges[k] = k * step + first;
  edges[bins] = last;
  return edges;
}

/** Bin of v: k with edges[k] ≤ v < edges[k+1]; v = last edge → last bin; outside → −1. */
function binIndex(edges: Float64Array, v: number): number {
  const bins = edges.length - 1;
  if (v < edges[0]! || v > edges[bins]!) return -1;
  if (v === edges[bins]) return bins - 1;
  // Largest k with edges[k] ≤ v (numpy: searchsorted(edges, v, 'right') − 1).
  let lo = 0;
  let hi = bins;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}
