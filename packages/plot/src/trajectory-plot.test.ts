import { describe, expect, it } from 'vitest';
import { countColor, decodePng } from './decode-png.test-helper.js';
import { renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';
import { trajectoryPlot } from './trajectory-plot.js';

type Layer = {
  data: { values: { path: number; step: number }[] };
  mark: { type: string };
  encoding: Record<string, unknown>;
};

/** `paths` straight paths over `steps` time steps: path p goes from (0, p) to (1, p + 0.5). */
function straightPaths(paths: number, steps: number) {
  return Array.from({ length: steps }, (_, k) => {
    const s = k / (steps - 1);
    const points = new Float32Array(2 * paths);
    for (let p = 0; p < paths; p++) {
      points[2 * p] = s;
      points[2 * p + 1] = p + 0.5 * s;
    }
    return { t: s, points };
  });
}

describe('trajectoryPlot', () => {
  it('draws one line per path through the detail channel, ordered by step', async () => {
    const spec = trajectoryPlot({ trajectories: straightPaths(5, 4), title: 'paths' });
    const [lines] = spec.layer as Layer[];
    expect(lines!.mark.type).toBe('line');
    expect(lines!.encoding.detail).toEqual({ field: 'path', type: 'nominal' });
    expect(lines!.encoding.order).toEqual({ field: 'step', type: 'quantitative' });
    expect(lines!.data.values).toHaveLength(5 * 4);
    const svg = await renderSvg(spec);
    expect(svg.match(/<path[^>]*stroke="#4c78a8"/g) ?? []).toHaveLength(5);
  });

  it('keeps at most maxPaths paths, chosen deterministically', () => {
    const spec = trajectoryPlot({ trajectories: straightPaths(100, 3), maxPaths: 10 });
    const paths = new Set((spec.layer as Layer[])[0]!.data.values.map((v) => v.path));
    expect([...paths]).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it('colours by time and marks endpoints when asked', async () => {
    const spec = trajectoryPlot({ trajectories: straightPaths(6, 20), colorByTime: true, endpoints: true });
    const [lines, ends] = spec.layer as Layer[];
    expect(lines!.encoding.color).toMatchObject({
      type: 'quantitative',
      title: 't',
      scale: { scheme: 'viridis' },
    });
    expect(lines!.encoding.detail).toEqual([
      { field: 'path', type: 'nominal' },
      { field: 'band', type: 'nominal' },
    ]);
    expect(ends!.data.values).toHaveLength(12);
    const svg = await renderSvg(spec);
    expect(svg).toContain('>start</text>');
    expect(svg).toContain('>end</text>');
    const { pixels } = decodePng(await renderPng(spec));
    // End markers: #e45756 at opacity 0.9 over white is about (231, 104, 103).
    expect(countColor(pixels, [231, 104, 103], 8)).toBeGreaterThan(30);
  });

  it('validates its arguments, naming the step and index', () => {
    expect(() => trajectoryPlot({ trajectories: [] })).toThrow(/trajectories must be a non-empty array/);
    expect(() => trajectoryPlot({ trajectories: [{ t: 0, points: [0, 0, 1] }] })).toThrow(
      /trajectories\[0\]\.points has odd length 3/,
    );
    expect(() =>
      trajectoryPlot({
        trajectories: [
          { t: 0, points: [0, 0, 1, 1] },
          { t: 1, points: [0, 0] },
        ],
      }),
    ).toThrow(/trajectories\[1\]\.points holds 1 paths but trajectories\[0\]\.points holds 2/);
    expect(() =>
      trajectoryPlot({
        trajectories: [
          { t: 0, points: [0, 0] },
          { t: 1, points: [0, Number.NaN] },
        ],
      }),
    ).toThrow(/trajectories\[1\]\.points\[1\] \(y of point 0\) must be a finite number, got NaN/);
    expect(() => trajectoryPlot({ trajectories: [{ t: Number.NaN, points: [0, 0] }] })).toThrow(
      /trajectories\[0\]\.t must be a finite number, got NaN/,
    );
    expect(() => trajectoryPlot({ trajectories: [{ t: 0, points: [] }] })).toThrow(/at least one x,y pair/);
    expect(() => trajectoryPlot({ trajectories: straightPaths(2, 2), maxPaths: 0 })).toThrow(
      /maxPaths must be an integer >= 1/,
    );
  });
});
