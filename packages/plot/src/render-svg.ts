import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from './fonts.js';
import type { VegaLiteSpec } from './spec.js';
import { describeValue } from './validate.js';

/**
 * Compiles a Vega-Lite spec and renders it headless to an SVG string (vega's SVG renderer: no canvas,
 * no DOM). The vega config font defaults to DejaVu Sans (the font {@link renderPng} bundles); a `config`
 * in the spec still wins. Text widths are estimated by vega (no canvas to measure), so layout is close to,
 * not identical with, a browser rendering. Data URLs in the spec are loaded by vega's default loader.
 *
 * @throws TypeError when `spec` is not an object; errors from vega-lite/vega compilation propagate.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new TypeError(`spec must be a Vega-Lite spec object, got ${describeValue(spec)}`);
  }
  const { spec: vegaSpec } = compile(spec as unknown as TopLevelSpec, { config: { font: FONT_FAMILY } });
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
