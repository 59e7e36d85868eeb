import { FONT_FAMILY } from './fonts.js';
import { categoryColor } from './palette.js';
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
  seriesLabel,
  seriesName,
  unitInterval,
  type XY,
} from './validate.js';

/** One point cloud of {@link scatterPlot}. */
export interface ScatterSeries {
  /** Legend entry; must be unique among the series. */
  name: string;
  /** Flat `[x0, y0, x1, y1, ...]` (any array-like, e.g. a Float32Array from a tensor) or `[[x, y], ...]`. */
  points: ArrayLike<number> | readonly (readonly number[])[];
  /** Any CSS colour; default: vega's categorical palette in series order. */
  color?: string;
}

/** Options of {@link scatterPlot}. */
export interface ScatterPlotOptions {
  series: readonly ScatterSeries[];
  title?: string;
  /** x axis title; default "x". */
  xLabel?: string;
  /** y axis title; default "y". */
  yLabel?: string;
  /** Width of the plotting area in pixels (axes, legend and title come on top, as in vega-lite); default 400. */
  width?: number;
  /** Height of the plotting area in pixels; default 400. */
  height?: number;
  /** Point diameter in pixels; default 4. */
  pointSize?: number;
  /** Point opacity in [0, 1]; default 0.7. */
  opacity?: number;
  /**
   * Same data units per pixel on both axes (circles stay circles): the x and y domains are centred on
   * the data and widened so that one unit spans as many pixels horizontally as vertically. Default false.
   */
  equalAxes?: boolean;
  /**
   * Points drawn per series at most (integer >= 1, or Infinity); default 10 000. Larger series are
   * subsampled for drawing with a deterministic even stride (see `strideIndices`), which keeps the
   * distribution of i.i.d. samples and the render time to about a second. Axis domains (equalAxes)
   * are still computed from every point.
   */
  maxPointsPerSeries?: number;
}

const DEFAULT_MAX_POINTS = 10_000;

/**
 * Vega-Lite spec of a scatter plot of several 2-D point clouds coloured by series name, with a legend
 * (e.g. "data" vs "samples"). Render it with {@link renderPng}/{@link writePng}.
 *
 * Large series are subsampled deterministically for drawing: at most `maxPointsPerSeries` points
 * (default 10 000) taken with an even stride, so 20 000-point clouds render in about a second.
 *
 * @throws RangeError for an empty `series` list, odd-length flat `points`, non-finite coordinates
 *   (naming the series and the index), duplicate names or out-of-range options; TypeError for values
 *   of the wrong type.
 */
export function scatterPlot(options: ScatterPlotOptions): VegaLiteSpec {
  requireObject('options', options);
  const list = nonEmptyArray('series', options.series, '{ name, points, color? }');
  const width = positiveNumber('width', options.width, 400);
  const height = positiveNumber('height', options.height, 400);
  const pointSize = positiveNumber('pointSize', options.pointSize, 4);
  const opacity = unitInterval('opacity', options.opacity, 0.7);
  const equalAxes = optionalBoolean('equalAxes', options.equalAxes, false);
  const maxPoints = positiveInteger('maxPointsPerSeries', options.maxPointsPerSeries, DEFAULT_MAX_POINTS);
  const title = optionalString('title', options.title);
  const xLabel = optionalString('xLabel', options.xLabel) ?? 'x';
  const yLabel = optionalString('yLabel', options.yLabel) ?? 'y';

  const names: string[] = [];
  const colors: string[] = [];
  const clouds: XY[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    requireObject(`series[${i}]`, entry);
    const label = seriesLabel('series', i, entry.name);
    names.push(seriesName('series', i, entry.name, seen));
    const color = entry.color;
    if (color !== undefined && (typeof color !== 'string' || color.length === 0)) {
      throw new TypeError(
        `${label}.color must be a non-empty CSS colour string, got ${describeValue(color)}`,
      );
    }
    colors.push(color ?? categoryColor(i));
    clouds.push(pointsXY(`${label}.points`, entry.points));
  });

  const values: { series: string; x: number; y: number }[] = [];
  clouds.forEach((cloud, s) => {
    const series = names[s]!;
    for (const i of strideIndices(cloud.x.length, maxPoints))
      values.push({ series, x: cloud.x[i]!, y: cloud.y[i]! });
  });

  const domains = equalAxes ? equalAxisDomains(clouds, width, height) : undefined;
  const xScale = domains ? { domain: domains.x, nice: false, zero: false } : { zero: false };
  const yScale = domains ? { domain: domains.y, nice: false, zero: false } : { zero: false };

  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title !== undefined ? { title } : {}),
    width,
    height,
    background: 'white',
    config: { font: FONT_FAMILY },
    data: { values },
    // aria: false drops a per-point aria-label, roughly halving the SVG of large clouds.
    mark: { type: 'circle', size: pointSize * pointSize, opacity, aria: false },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xLabel, scale: xScale },
      y: { field: 'y', type: 'quantitative', title: yLabel, scale: yScale },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: names, range: colors },
        legend: { title: null },
      },
    },
  };
}

/** x/y domains with equal units per pixel, covering every point with a 5% margin. */
function equalAxisDomains(
  clouds: readonly XY[],
  width: number,
  height: number,
): { x: [number, number]; y: [number, number] } {
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const { x, y } of clouds) {
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      const yi = y[i]!;
      if (xi < x0) x0 = xi;
      if (xi > x1) x1 = xi;
      if (yi < y0) y0 = yi;
      if (yi > y1) y1 = yi;
    }
  }
  if (!(x0 <= x1)) {
    x0 = -1;
    x1 = 1;
    y0 = -1;
    y1 = 1;
  }
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  // Data units per pixel: the larger of the two needs, plus a margin; never zero.
  const perPixel = Math.max((x1 - x0) / width, (y1 - y0) / height) * 1.05 || 1 / Math.min(width, height);
  const hx = (perPixel * width) / 2;
  const hy = (perPixel * height) / 2;
  return { x: [cx - hx, cx + hx], y: [cy - hy, cy + hy] };
}
