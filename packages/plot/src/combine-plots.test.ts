import { describe, expect, it } from 'vitest';
import { combinePlots } from './combine-plots.js';
import { renderSvg } from './render-svg.js';
import { scatterPlot } from './scatter-plot.js';
import { trajectoryPlot } from './trajectory-plot.js';

const points = Float32Array.from([0, 0, 1, 1, 2, 0.5]);
const scatter = (title: string) => scatterPlot({ series: [{ name: 'a', points }], title });
const paths = trajectoryPlot({
  trajectories: [
    { t: 0, points: [0, 0, 1, 1] },
    { t: 1, points: [1, 0.5, 2, 2] },
  ],
  colorByTime: true,
  title: 'paths',
});

describe('combinePlots', () => {
  it('lays panels out in rows and columns, with top-level keys lifted and colour scales independent', async () => {
    const spec = combinePlots([
      [scatter('one'), paths],
      [scatter('two'), scatter('three')],
    ]);
    expect(spec.$schema).toBe(scatter('x').$schema);
    expect(spec.background).toBe('white');
    const rows = spec.vconcat as { hconcat: Record<string, unknown>[] }[];
    expect(rows).toHaveLength(2);
    for (const panel of rows.flatMap((r) => r.hconcat)) {
      expect(panel.$schema).toBeUndefined();
      expect(panel.config).toBeUndefined();
    }
    const svg = await renderSvg(spec);
    for (const title of ['one', 'two', 'three', 'paths']) expect(svg).toContain(`>${title}</text>`);
  });

  it('shares the axes on request, and keeps a single row flat', () => {
    const spec = combinePlots([[scatter('one'), scatter('two')]], { sharedAxes: true });
    expect(spec.vconcat).toBeUndefined();
    expect((spec.resolve as { scale: Record<string, string> }).scale).toEqual({
      x: 'shared',
      y: 'shared',
      color: 'independent',
    });
  });

  it('refuses an empty layout', () => {
    expect(() => combinePlots([])).toThrow(/rows must be a non-empty array/);
    expect(() => combinePlots([[]])).toThrow(/rows must be a non-empty array/);
  });
});
