import { histogram2d } from './histogram2d.js';
import { checkPoints, type PointSet } from './points.js';

/** Options of {@link pmfRmse}. */
export interface PmfRmseOptions {
  /** Bins per axis (default 100). */
  readonly bins?: number;
  /** Multiplicative buffer of the box (default 1.025). */
  readonly buffer?: number;
}

/** The box used by {@link pmfRmse}: per axis [min·buffer, max·buffer] of the reference. */
export function pmfBox(reference: PointSet, buffer = 1.025): [[number, number], [number, number]] {
  const n = checkPoints('reference', reference, 2);
  if (n === 0) throw new RangeError('reference has 0 points; the PMF-RMSE box needs at least one');
  if (!(Number.isFinite(buffer) && buffer > 0)) {
    throw new RangeError(`buffer must be a finite positive number, got ${buffer}`);
  }
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const x = reference[2 * i]!;
    const y = reference[2 * i + 1]!;
    if (x < xMin) xMin = x;
    if (x > xMax) xMax = x;
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  return [
    [xMin * buffer, xMax * buffer],
    [yMin * buffer, yMax * buffer],
  ];
}

/**
 * VSDM's 2-D PMF-RMSE (algorithms.md §1.10, benchmarks.md), reproduced with its quirks:
 *
 * 1. per axis, the box [min·1.025, max·1.025] of the *reference* samples — the buffer multiplies,
 *    so a positive minimum moves *inwards* (and a negative maximum too); kept for parity;
 * 2. both sets are clipped into the box (so mass outside lands in the border bins);
 * 3. a `bins`×`bins` (100×100) histogram of each on the box, numpy rules ({@link histogram2d}:
 *    half-open bins, the right edge folded into the last bin);
 * 4. each histogram is normalised to sum 1;
 * 5. PMF-RMSE = √((1/bins²) Σ_bins (p_samples − p_reference)²).
 *
 * `samples` and `reference` are row-major 2-D point sets (sizes may differ, each ≥ 1 point).
 */
export function pmfRmse(samples: PointSet, reference: PointSet, options: PmfRmseOptions = {}): number {
  const nSamples = checkPoints('samples', samples, 2);
  if (nSamples === 0) throw new RangeError('samples has 0 points; PMF-RMSE needs at least one');
  const bins = options.bins ?? 100;
  const range = pmfBox(reference, options.buffer ?? 1.025);
  const p = histogram2d(samples, { bins, range, clip: true, normalize: true }).counts;
  const q = histogram2d(reference, { bins, range, clip: true, normalize: true }).counts;
  let s = 0;
  for (let k = 0; k < p.length; k++) {
    const diff = p[k]! - q[k]!;
    s += diff * diff;
  }
  return Math.sqrt(s / p.length);
}
