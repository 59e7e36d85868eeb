import type { TrainSummary } from '@bridgekit/train';
import { writeFileAtomic } from './atomic-write.js';

/** The file name of the loss curve that `train` and `finetune` write into their --out directory. */
export const LOSS_PLOT_FILE = 'loss.png';

/** A loss for a log line: 4 significant digits, or NaN/Infinity as such. */
export function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toPrecision(4) : String(loss);
}

/**
 * Draws the loss curve of a run to `file` (PNG); returns false when there is nothing finite to draw
 * (e.g. a resume at the end). `what` ends the title: '<method>: training loss' by default.
 */
export async function writeLossPlot(
  file: string,
  summary: Pick<TrainSummary, 'method' | 'lossCurve'>,
  what = 'training loss',
): Promise<boolean> {
  const curve = summary.lossCurve.filter((p) => Number.isFinite(p.loss) && Number.isFinite(p.step));
  if (curve.length === 0) return false;
  // vega takes over a second to import, so only the commands that draw load it, when they draw.
  const { linePlot, renderPng } = await import('@bridgekit/plot');
  // A phased method (VSDM: backward DSM, forward updates) gets one series per phase.
  const phases = [...new Set(curve.map((p) => p.phase ?? 'loss'))];
  const spec = linePlot({
    series: phases.map((name) => {
      const points = curve.filter((p) => (p.phase ?? 'loss') === name);
      return { name, x: points.map((p) => p.step), y: points.map((p) => p.loss) };
    }),
    title: `${summary.method}: ${what}`,
    xLabel: 'step',
    yLabel: 'loss',
    // Losses of these objectives span decades, but only a positive curve can go on a log axis.
    logY: curve.every((p) => p.loss > 0),
  });
  await writeFileAtomic('loss plot', file, await renderPng(spec, { scale: 2 }));
  return true;
}
