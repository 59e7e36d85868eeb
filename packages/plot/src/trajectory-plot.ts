import { FONT_FAMILY } from './fonts.js';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './spec.js';
import { strideIndices } from './subsample.js';
import {
  describeValue,
  nonEmptyArray,
  optionalBoolean,
  optionalString,
  pointsXY,
  positiveInteger,
  positiveNumber,
  requireObject,
  type XY,
} from './validate.js';

/** Positions of every path at one time step. */
export interface TrajectoryStep {
  /** Time of the step (finite). */
  t: number;
  /** Flat `[x0, y0, x1, y1, ...]`: one x,y pair per path, the same number of paths at every step. */
  points: ArrayLike<number>;
}

/** Options of {@link trajectoryPlot}. */
export interface TrajectoryPlotOptions {
  /** One entry per time step, in drawing order; every step holds the same paths in the same order. */
  trajectories: readonly TrajectoryStep[];
  /**
   * Paths drawn at most (integer >= 1, or Infinity); default 64. More paths are subsampled with a
   * deterministic even stride (path `floor(k * n / maxPaths)`), so the same input gives the same picture.
   */
  maxPaths?: number;
  title?: string;
  /** x axis title; default "x". */
  xLabel?: string;
  /** y axis title; default "y". */
  yLabel?: string;
  /**
   * Colour the paths by time (viridis, with a gradient legend) instead of a single colour. Each path is
   * cut into at most 16 consecutive time bands, each drawn in the colour of its mid time. Default false.
   */
  colorByTime?: boolean;
  /** Mark the start (first step, circles) and end (last step, squares) of every drawn path. Default false. */
  endpoints?: boolean;
  /** Width of the plotting area in pixels (axes, legend and title come on top, as in vega-lite); default 400. */
  width?: number;
  /** Height of the plotting area in pixels; default 400. */
  height?: number;
}

const DEFAULT_MAX_PATHS = 64;
const TIME_BANDS = 8;
const PATH_COLOR = '#4c78a8';

/**
 * Vega-Lite spec of 2-D trajectories (e.g. SDE sample paths of a Schrödinger bridge): one line per path
 * (the `detail` channel groups points by path, `order` follows the time steps), optionally coloured by
 * time and with start/end markers. At most `maxPaths` paths (default 64) are drawn, chosen with a
 * deterministic even stride.
 *
 * @throws RangeError for an empty `trajectories` list, steps with a different number of paths,
 *   odd-length `points`, non-finite `t` or coordinates (naming the step and the index); TypeError for
 *   values of the wrong type.
 */
export function trajectoryPlot(options: TrajectoryPlotOptions): VegaLiteSpec {
  requireObject('options', options);
  const list = nonEmptyArray('trajectories', options.trajectories, '{ t, points }');
  const maxPaths = positiveInteger('maxPaths', options.maxPaths, DEFAULT_MAX_PATHS);
  const title = optionalString('title', options.title);
  const xLabel = optionalString('xLabel', options.xLabel) ?? 'x';
  const yLabel = optionalString('yLabel', options.yLabel) ?? 'y';
  const colorByTime = optionalBoolean('colorByTime', options.colorByTime, false);
  const endpoints = optionalBoolean('endpoints', options.endpoints, false);
  const width = positiveNumber('width', options.width, 400);
  const height = positiveNumber('height', options.height, 400);

  const times: number[] = [];
  const steps: XY[] = [];
  list.forEach((entry, k) => {
    requireObject(`trajectories[${k}]`, entry);
    const t = entry.t;
    if (typeof t !== 'number')
      throw new TypeError(`trajectories[${k}].t must be a finite number, got ${describeValue(t)}`);
    if (!Number.isFinite(t))
      throw new RangeError(`trajectories[${k}].t must be a finite number, got ${describeValue(t)}`);
    const xy = pointsXY(`trajectories[${k}].points`, entry.points);
    const first = steps[0];
    if (first === undefined && xy.x.length === 0) {
      throw new RangeError(
        'trajectories[0].points must hold at least one x,y pair (one per path), got an empty array',
      );
    }
    if (first !== undefined && xy.x.length !== first.x.length) {
      throw new RangeError(
        `trajectories[${k}].points holds ${xy.x.length} paths but trajectories[0].points holds ${first.x.length}; ` +
          'every time step must hold the same paths',
      );
    }
    times.push(t);
    steps.push(xy);
  });

  const nSteps = steps.length;
  const paths = strideIndices(steps[0]!.x.length, maxPaths);
  const xTitle = { title: xLabel, scale: { zero: false } };
  const yTitle = { title: yLabel, scale: { zero: false } };
  const layers: Record<string, unknown>[] = [];

  if (colorByTime) {
    // A line's colour is constant, so each path is cut into time bands sharing their boundary points.
    const bands = Math.max(1, Math.min(TIME_BANDS, nSteps - 1));
    const values: { path: number; band: number; tc: number; step: number; x: number; y: number }[] = [];
    for (let b = 0; b < bands; b++) {
      const k0 = Math.floor((b * (nSteps - 1)) / bands);
      const k1 = Math.max(k0, Math.floor(((b + 1) * (nSteps - 1)) / bands));
      const tc = (times[k0]! + times[k1]!) / 2;
      for (const p of paths) {
        for (let k = k0; k <= k1; k++) {
          values.push({ path: p, band: b, tc, step: k, x: steps[k]!.x[p]!, y: steps[k]!.y[p]! });
        }
      }
    }
    let tMin = Number.POSITIVE_INFINITY;
    let tMax = Number.NEGATIVE_INFINITY;
    for (const t of times) {
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
    }
    layers.push({
      data: { values },
      mark: { type: 'line', strokeWidth: 1.2, opacity: 0.8, aria: false },
      encoding: {
        x: { field: 'x', type: 'quantitative', ...xTitle },
        y: { field: 'y', type: 'quantitative', ...yTitle },
        detail: [
          { field: 'path', type: 'nominal' },
          { field: 'band', type: 'nominal' },
        ],
        order: { field: 'step', type: 'quantitative' },
        color: {
          field: 'tc',
          type: 'quantitative',
          title: 't',
          scale: { scheme: 'viridis', domain: tMin < tMax ? [tMin, tMax] : [tMin - 1, tMin + 1] },
        },
      },
    });
  } else {
    const values: { path: number; step: number; t: number; x: number; y: number }[] = [];
    for (const p of paths) {
      for (let k = 0; k < nSteps; k++) {
        values.push({ path: p, step: k, t: times[k]!, x: steps[k]!.x[p]!, y: steps[k]!.y[p]! });
      }
    }
    layers.push({
      data: { values },
      mark: { type: 'line', strokeWidth: 1.2, opacity: 0.6, color: PATH_COLOR, aria: false },
      encoding: {
        x: { field: 'x', type: 'quantitative', ...xTitle },
        y: { field: 'y', type: 'quantitative', ...yTitle },
        detail: { field: 'path', type: 'nominal' },
        order: { field: 'step', type: 'quantitative' },
      },
    });
  }

  if (endpoints) {
    const last = nSteps - 1;
    const values: { path: number; end: string; x: number; y: number }[] = [];
    for (const p of paths) values.push({ path: p, end: 'start', x: steps[0]!.x[p]!, y: steps[0]!.y[p]! });
    for (const p of paths) values.push({ path: p, end: 'end', x: steps[last]!.x[p]!, y: steps[last]!.y[p]! });
    layers.push({
      data: { values },
      mark: { type: 'point', filled: true, size: 30, opacity: 0.9, aria: false },
      encoding: {
        x: { field: 'x', type: 'quantitative', ...xTitle },
        y: { field: 'y', type: 'quantitative', ...yTitle },
        color: {
          field: 'end',
          type: 'nominal',
          scale: { domain: ['start', 'end'], range: ['#222222', '#e45756'] },
          legend: { title: null },
        },
        shape: {
          field: 'end',
          type: 'nominal',
          scale: { domain: ['start', 'end'], range: ['circle', 'square'] },
          legend: { title: null },
        },
      },
    });
  }

  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title !== undefined ? { title } : {}),
    width,
    height,
    background: 'white',
    config: { font: FONT_FAMILY },
    layer: layers,
    ...(colorByTime && endpoints
      ? { resolve: { scale: { color: 'independent', shape: 'independent' } } }
      : {}),
  };
}
