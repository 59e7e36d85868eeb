import { describe, expect, it } from 'vitest';
import { countColor, decodePng, pngSize } from './decode-png.test-helper.js';
import { renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';
import { scatterPlot } from './scatter-plot.js';

type Encoding = Record<string, { scale?: { domain?: unknown[]; range?: unknown[] } }>;

describe('scatterPlot', () => {
  it('colours two series by name with a legend, in both SVG and pixels', async () => {
    const spec = scatterPlot({
      series: [
        { name: 'data', points: [0, 0, 1, 1, 2, 0], color: '#ff0000' },
        {
          name: 'samples',
          points: [
            [5, 5],
            [6, 4],
            [4, 6],
          ],
          color: '#0000ff',
        },
      ],
      pointSize: 12,
      opacity: 1,
      title: 'data vs samples',
    });
    const svg = await renderSvg(spec);
    expect(svg).toContain('fill="#ff0000"');
    expect(svg).toContain('fill="#0000ff"');
    expect(svg).toContain('>samples</text>'); // legend entry
    const { pixels } = decodePng(await renderPng(spec));
    // A 12 px disc covers ~110 px; 3 discs per series plus a legend symbol.
    expect(countColor(pixels, [255, 0, 0], 8)).toBeGreaterThan(150);
    expect(countColor(pixels, [0, 0, 255], 8)).toBeGreaterThan(150);
  });

  it("uses vega's palette when no colour is given", async () => {
    const svg = await renderSvg(
      scatterPlot({
        series: [
          { name: 'a', points: [0, 0] },
          { name: 'b', points: new Float64Array([1, 1]) },
        ],
      }),
    );
    expect(svg).toContain('fill="#4c78a8"');
    expect(svg).toContain('fill="#f58518"');
  });

  it('renders a 20 000-point cloud quickly, subsampling deterministically', async () => {
    const n = 20_000;
    const points = new Float32Array(2 * n);
    for (let i = 0; i < 2 * n; i++)
      points[i] = Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453);
    const spec = scatterPlot({ series: [{ name: 'samples', points }], width: 300, height: 300 });
    const values = (spec.data as { values: unknown[] }).values;
    expect(values).toHaveLength(10_000);
    expect(values).toEqual(
      (scatterPlot({ series: [{ name: 'samples', points }] }).data as { values: unknown[] }).values,
    );
    expect(
      (
        scatterPlot({ series: [{ name: 's', points }], maxPointsPerSeries: Number.POSITIVE_INFINITY })
          .data as {
          values: unknown[];
        }
      ).values,
    ).toHaveLength(n);
    const start = performance.now();
    const png = await renderPng(spec);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(pngSize(png).width).toBeGreaterThan(300);
  });

  it('gives both axes the same units per pixel with equalAxes', () => {
    const spec = scatterPlot({
      series: [{ name: 'a', points: [0, 0, 10, 1] }],
      equalAxes: true,
      width: 400,
      height: 200,
    });
    const enc = spec.encoding as Encoding;
    const [x0, x1] = enc.x!.scale!.domain as [number, number];
    const [y0, y1] = enc.y!.scale!.domain as [number, number];
    expect((x1 - x0) / 400).toBeCloseTo((y1 - y0) / 200, 12);
    expect(x0).toBeLessThan(0);
    expect(x1).toBeGreaterThan(10);
    expect((y0 + y1) / 2).toBeCloseTo(0.5, 12);
  });

  it('validates its arguments, naming them', () => {
    expect(() => scatterPlot({ series: [] })).toThrow(/series must be a non-empty array/);
    expect(() => scatterPlot({ series: [] })).toThrow(RangeError);
    expect(() => scatterPlot({ series: [{ name: 'data', points: [1, 2, 3] }] })).toThrow(
      /series\[0\] \("data"\)\.points has odd length 3/,
    );
    expect(() =>
      scatterPlot({
        series: [
          { name: 'data', points: [0, 0] },
          { name: 'samples', points: [1, 2, Number.NaN, 4] },
        ],
      }),
    ).toThrow(/series\[1\] \("samples"\)\.points\[2\] \(x of point 1\) must be a finite number, got NaN/);
    expect(() =>
      scatterPlot({
        series: [
          { name: 'a', points: [] },
          { name: 'a', points: [] },
        ],
      }),
    ).toThrow(/duplicate/);
    expect(() => scatterPlot({ series: [{ name: '', points: [] }] })).toThrow(
      /series\[0\]\.name must be a non-empty string/,
    );
    expect(() => scatterPlot({ series: [{ name: 'a', points: [] }], opacity: 2 })).toThrow(
      /opacity must be in \[0, 1\], got 2/,
    );
    expect(() => scatterPlot({ series: [{ name: 'a', points: [] }], width: -1 })).toThrow(
      /width must be a finite number > 0, got -1/,
    );
    expect(() => scatterPlot({ series: [{ name: 'a', points: [] }], maxPointsPerSeries: 0.5 })).toThrow(
      /maxPointsPerSeries/,
    );
    expect(() => scatterPlot(undefined as never)).toThrow(/options must be an object/);
  });
});
