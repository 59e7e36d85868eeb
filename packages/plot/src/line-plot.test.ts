import { describe, expect, it } from 'vitest';
import { linePlot } from './line-plot.js';
import { renderSvg } from './render-svg.js';

type Encoding = Record<string, { field?: string; scale?: { type?: string } }>;

describe('linePlot', () => {
  const steps = Array.from({ length: 50 }, (_, i) => i + 1);

  it('draws one coloured line per series, in index order, with a legend', async () => {
    const spec = linePlot({
      series: [
        { name: 'train', x: steps, y: steps.map((s) => 1 / s) },
        { name: 'val', x: new Float64Array(steps), y: steps.map((s) => 1.2 / s) },
      ],
      title: 'Loss',
      xLabel: 'step',
      yLabel: 'loss',
      logY: true,
    });
    const enc = spec.encoding as Encoding;
    expect(enc.y!.scale!.type).toBe('log');
    expect(enc.order!.field).toBe('i');
    const svg = await renderSvg(spec);
    expect(svg).toContain('stroke="#4c78a8"');
    expect(svg).toContain('stroke="#f58518"');
    expect(svg).toContain('>val</text>');
    expect(svg).toContain('>loss</text>');
  });

  it('validates its arguments, naming the series and index', () => {
    expect(() => linePlot({ series: [] })).toThrow(/series must be a non-empty array/);
    expect(() => linePlot({ series: [{ name: 'loss', x: [1, 2], y: [1] }] })).toThrow(
      /series\[0\] \("loss"\): x has length 2 but y has length 1/,
    );
    expect(() => linePlot({ series: [{ name: 'loss', x: [1, 2], y: [1, Number.NaN] }] })).toThrow(
      /series\[0\] \("loss"\)\.y\[1\] must be a finite number, got NaN/,
    );
    expect(() => linePlot({ series: [{ name: 'loss', x: [1, 2], y: [1, 0] }], logY: true })).toThrow(
      /series\[0\] \("loss"\)\.y\[1\] must be > 0 with logY, got 0/,
    );
    expect(() => linePlot({ series: [{ name: 'loss', x: [0, 2], y: [1, 1] }], logX: true })).toThrow(
      RangeError,
    );
    expect(() => linePlot({ series: [{ name: 'loss', x: [1], y: [1] }], logX: 'yes' as never })).toThrow(
      /logX must be a boolean, got "yes"/,
    );
  });
});
