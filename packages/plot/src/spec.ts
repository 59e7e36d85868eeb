/**
 * A Vega-Lite specification as a plain JSON object (https://vega.github.io/vega-lite/docs/spec.html).
 * The type is deliberately loose: builders in this package return one, and {@link renderSvg} accepts any
 * object that `vega-lite`'s `compile` accepts. Cast from `TopLevelSpec` (from 'vega-lite') if you build
 * specs with vega-lite's own types.
 */
export type VegaLiteSpec = Record<string, unknown>;

/** The `$schema` URL the builders stamp on their specs (vega-lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
