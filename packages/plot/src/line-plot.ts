import { FONT_FAMILY } from './fonts.js';
import { categoryColor } from './palette.js';
import { VEGA_LITE_SCHEMA, type VegaLiteSpec } from './spec.js';
import {
  describeValue,
  finiteNumbers,
  nonEmptyArray,
  optionalBoolean,
  optionalString,
  positiveNumber,
  requireObject,
  seriesLabel,
  seriesName,
} from './validate.js';

/** One curve of {@link linePlot}: points `(x[i], y[i])` joined in index order. */
export interface LineSeries {
  /** Legend entry; must be unique among the series. */
  name: string;
  x: ArrayLike<number>;
  /** Same length as `x`. */
  y: ArrayLike<number>;
  /** Any CSS colour; default: vega's categorical palette in series order. */
  color?: string;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions {
  series: readonly LineSeries[];
  title?: string;
  /** x axis title; default "x". */
  xLabel?: string;
  /** y axis title; default "y". */
  yLabel?: string;
  /** Logarithmic x axis (every x must be > 0). */
  logX?: boolean;
  /** Logarithmic y axis (every y must be > 0), e.g. for losses or errors spanning decades. */
  logY?: boolean;
  /** Width of the plotting area in pixels (axes, legend and title come on top, as in vega-lite); default 500. */
  width?: number;
  /** Height of the plotting area in pixels; default 300. */
  height?: number;
}

/**
 * Vega-Lite spec of one or more curves coloured by series name with a legend: loss curves, convergence
 * plots (with `logX`/`logY`). Points are joined in the given order (not re-sorted by x). Every point is
 * drawn: a curve is a single SVG path, so long series stay cheap.
 *
 * @throws RangeError for an empty `series` list, `x`/`y` of different lengths, non-finite values or
 *   values <= 0 on a log axis (naming the series and the index); TypeError for values of the wrong type.
 */
export function linePlot(options: LinePlotOptions): VegaLiteSpec {
  requireObject('options', options);
  const list = nonEmptyArray('series', options.series, '{ name, x, y, color? }');
  const width = positiveNumber('width', options.width, 500);
  const height = positiveNumber('height', options.height, 300);
  const logX = optionalBoolean('logX', options.logX, false);
  const logY = optionalBoolean('logY', options.logY, false);
  const title = optionalString('title', options.title);
  const xLabel = optionalString('xLabel', options.xLabel) ?? 'x';
  const yLabel = optionalString('yLabel', options.yLabel) ?? 'y';

  const names: string[] = [];
  const colors: string[] = [];
  const values: { series: string; i: number; x: number; y: number }[] = [];
  const seen = new Set<string>();
  list.forEach((entry, s) => {
    requireObject(`series[${s}]`, entry);
    const label = seriesLabel('series', s, entry.name);
    const name = seriesName('series', s, entry.name, seen);
    names.push(name);
    const color = entry.color;
    if (color !== undefined && (typeof color !== 'string' || color.length === 0)) {
      throw new TypeError(
        `${label}.color must be a non-empty CSS colour string, got ${describeValue(color)}`,
      );
    }
    colors.push(color ?? categoryColor(s));
    const x = finiteNumbers(`${label}.x`, entry.x);
    const y = finiteNumbers(`${label}.y`, entry.y);
    if (x.length !== y.length) {
      throw new RangeError(
        `${label}: x has length ${x.length} but y has length ${y.length}; they must be equal`,
      );
    }
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!;
      const yi = y[i]!;
      if (logX && !(xi > 0))
        throw new RangeError(`${label}.x[${i}] must be > 0 with logX, got ${describeValue(xi)}`);
      if (logY && !(yi > 0))
        throw new RangeError(`${label}.y[${i}] must be > 0 with logY, got ${describeValue(yi)}`);
      values.push({ series: name, i, x: xi, y: yi });
    }
  });

  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(title !== undefined ? { title } : {}),
    width,
    height,
    background: 'white',
    config: { font: FONT_FAMILY },
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5, aria: false },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: xLabel,
        scale: logX ? { type: 'log', nice: false } : { zero: false },
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: yLabel,
        scale: logY ? { type: 'log', nice: false } : { zero: false },
      },
      order: { field: 'i', type: 'quantitative' },
      color: {
        field: 'series',
        type: 'nominal',
        scale: { domain: names, range: colors },
        legend: { title: null },
      },
    },
  };
}
