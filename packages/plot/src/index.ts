export { type CombinePlotsOptions, combinePlots } from './combine-plots.js';
export { FONT_FAMILY } from './fonts.js';
export { type LinePlotOptions, type LineSeries, linePlot } from './line-plot.js';
export { type PngOptions, renderPng } from './render-png.js';
export { renderSvg } from './render-svg.js';
export { type ScatterPlotOptions, type ScatterSeries, scatterPlot } from './scatter-plot.js';
export type { VegaLiteSpec } from './spec.js';
export { type TrajectoryPlotOptions, type TrajectoryStep, trajectoryPlot } from './trajectory-plot.js';
export { writePng, writeSvg } from './write.js';
