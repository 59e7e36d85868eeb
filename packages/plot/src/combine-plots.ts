import type { VegaLiteSpec } from './spec.js';

/** Options of {@link combinePlots}. */
export interface CombinePlotsOptions {
  /** Share the x and y scales across all panels (compare positions at a glance); default false. */
  sharedAxes?: boolean;
}

/** Drops the keys Vega-Lite allows only at the top level of a spec. */
function inner({ $schema: _s, config: _c, background: _b, ...rest }: VegaLiteSpec): VegaLiteSpec {
  return rest;
}

/**
 * Several plots in one image: `rows[i][j]` is the panel in row i, column j (e.g. samples beside
 * their trajectories, one row per method). `$schema`, `config` and `background` may only appear at
 * the top level, so they are lifted from the first panel; colour scales and legends stay separate
 * per panel (series names in one, time in another).
 */
export function combinePlots(
  rows: readonly (readonly VegaLiteSpec[])[],
  options: CombinePlotsOptions = {},
): VegaLiteSpec {
  if (!Array.isArray(rows) || rows.length === 0 || rows.some((r) => !Array.isArray(r) || r.length === 0)) {
    throw new RangeError('combinePlots: rows must be a non-empty array of non-empty arrays of plot specs');
  }
  const first = rows[0]![0]!;
  const resolve = {
    scale:
      options.sharedAxes === true
        ? { x: 'shared', y: 'shared', color: 'independent' }
        : { color: 'independent' },
    legend: { color: 'independent' },
  };
  const row = (panels: readonly VegaLiteSpec[]): VegaLiteSpec =>
    panels.length === 1 ? inner(panels[0]!) : { hconcat: panels.map(inner), resolve };
  const body = rows.length === 1 ? row(rows[0]!) : { vconcat: rows.map(row), resolve };
  return { $schema: first.$schema, background: 'white', config: first.config, ...body };
}
