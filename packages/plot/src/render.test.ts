import { describe, expect, it } from 'vitest';
import { countNonWhite, decodePng, PNG_SIGNATURE, pngSize } from './decode-png.test-helper.js';
import { dejavuFontFiles, FONT_FAMILY } from './fonts.js';
import { renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';
import type { VegaLiteSpec } from './spec.js';

/** Empty plot with an exact size: no axes, no padding, no autosize. */
const sized = (width: number, height: number): VegaLiteSpec => ({
  width,
  height,
  autosize: { type: 'none' },
  padding: 0,
  data: { values: [] },
  mark: 'point',
});

/** A spec whose only visible content is its (big) title, on a white background. */
const titleOnly = (text: string): VegaLiteSpec => ({
  width: 300,
  height: 40,
  background: 'white',
  title: { text, fontSize: 40 },
  data: { values: [] },
  mark: 'point',
  config: { view: { stroke: null } },
});

describe('fonts', () => {
  it('resolves the DejaVu Sans TTF files of dejavu-fonts-ttf', () => {
    const files = dejavuFontFiles();
    expect(files.map((f) => f.split(/[\\/]/).pop())).toContain('DejaVuSans.ttf');
    expect(files.map((f) => f.split(/[\\/]/).pop())).toContain('DejaVuSans-Bold.ttf');
    expect(files.every((f) => /dejavu-fonts-ttf[\\/]ttf[\\/]/.test(f))).toBe(true);
    expect(dejavuFontFiles()).toBe(files);
  });
});

describe('renderSvg', () => {
  it('renders an SVG document of the requested size', async () => {
    const svg = await renderSvg(sized(120, 80));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('width="120"');
    expect(svg).toContain('height="80"');
  });

  it('sets every text to DejaVu Sans, even for a spec without config', async () => {
    const svg = await renderSvg({
      title: 'Counts',
      data: { values: [{ a: 'x', b: 2 }] },
      mark: 'bar',
      encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
    });
    const families = new Set(svg.match(/font-family="[^"]*"/g));
    expect([...families]).toEqual([`font-family="${FONT_FAMILY}"`]);
  });

  it('rejects a non-object spec, naming the argument', async () => {
    await expect(renderSvg(null as unknown as VegaLiteSpec)).rejects.toThrow(TypeError);
    await expect(renderSvg('bar' as unknown as VegaLiteSpec)).rejects.toThrow(
      /spec must be a Vega-Lite spec object, got "bar"/,
    );
  });
});

describe('renderPng', () => {
  it('writes a PNG (signature, IHDR size) of the SVG size times scale', async () => {
    const png = await renderPng(sized(120, 80));
    expect([...png.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect(pngSize(png)).toEqual({ width: 120, height: 80 });
    expect(pngSize(await renderPng(sized(120, 80), { scale: 2 }))).toEqual({ width: 240, height: 160 });
    expect(pngSize(await renderPng(sized(100, 50), { scale: 1.5 }))).toEqual({ width: 150, height: 75 });
  });

  it('renders text with the bundled font (no system fonts)', async () => {
    const withTitle = decodePng(await renderPng(titleOnly('Hello plots')));
    const withoutTitle = decodePng(await renderPng(titleOnly('')));
    const inked = countNonWhite(withTitle.pixels);
    // 11 glyphs at 40 px cover thousands of pixels; a missing font would draw nothing at all.
    expect(inked).toBeGreaterThan(2000);
    expect(countNonWhite(withoutTitle.pixels)).toBeLessThan(50);
    expect(Buffer.from(withTitle.pixels).equals(Buffer.from(withoutTitle.pixels))).toBe(false);
  });

  it('validates options.scale', async () => {
    await expect(renderPng(sized(10, 10), { scale: 0 })).rejects.toThrow(RangeError);
    await expect(renderPng(sized(10, 10), { scale: Number.NaN })).rejects.toThrow(
      /options\.scale must be a finite number > 0, got NaN/,
    );
    await expect(renderPng(sized(10, 10), { scale: '2' as unknown as number })).rejects.toThrow(TypeError);
  });
});
