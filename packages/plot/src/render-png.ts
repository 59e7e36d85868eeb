import { Resvg } from '@resvg/resvg-js';
import { dejavuFontFiles, FONT_FAMILY } from './fonts.js';
import { renderSvg } from './render-svg.js';
import type { VegaLiteSpec } from './spec.js';
import { positiveNumber, requireObject } from './validate.js';

/** Options of {@link renderPng}. */
export interface PngOptions {
  /**
   * Pixel density: the PNG is `round(scale * svgWidth)` × `round(scale * svgHeight)` pixels, where the
   * SVG size is the spec's size including axes, legend and title. Default 1; use 2 for crisp images.
   */
  scale?: number;
}

/**
 * Renders a Vega-Lite spec to PNG bytes: SVG by vega (see {@link renderSvg}), rasterised by resvg with
 * the DejaVu Sans TTF files of the `dejavu-fonts-ttf` package and system fonts disabled, so text renders
 * identically on machines without any installed font (CI containers, servers).
 *
 * @throws RangeError when `options.scale` is not a finite number > 0.
 */
export async function renderPng(spec: VegaLiteSpec, options: PngOptions = {}): Promise<Uint8Array> {
  requireObject('options', options);
  const scale = positiveNumber('options.scale', options.scale, 1);
  const svg = await renderSvg(spec);
  return svgToPng(svg, scale);
}

/** Rasterises an SVG string with the bundled fonts (no system fonts). */
export function svgToPng(svg: string, scale = 1): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    font: { fontFiles: [...dejavuFontFiles()], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  const png = resvg.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
