import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ScatterSeries } from '@bridgekit/plot';
import { Command, Option } from 'commander';
import { positiveInteger, requiredText } from '../arguments.js';
import { writeFileAtomic } from '../atomic-write.js';
import {
  backendOption,
  backendRequest,
  type CommandInstance,
  parseSeed,
  quietOption,
  seedOption,
} from '../common-options.js';
import type { CommandContext } from '../context.js';
import { oneLine, runtimeError } from '../errors.js';
import { type Points, readPoints } from '../inputs.js';
import { createReporter } from '../progress.js';

/** `bridgekit plot`: a scatter plot of samples (and a reference), with trajectories beside it. */
export function plotCommand(ctx: CommandContext): CommandInstance {
  return (
    new Command('plot')
      .description('scatter-plot samples against a reference, and sample paths coloured by time, as a PNG')
      .addOption(
        new Option(
          '--samples <file>',
          'samples as .csv / .npy, e.g. the output of bridgekit sample (required)',
        ),
      )
      .addOption(
        new Option('--reference <spec>', 'points to compare with: a .csv / .npy file or a dataset name'),
      )
      .addOption(
        new Option(
          '--n <count>',
          'points drawn when --reference is a dataset name (default: as many as --samples has)',
        ),
      )
      .addOption(seedOption('the draw of a --reference dataset'))
      .addOption(new Option('--out <file.png>', 'where to write the PNG (required)'))
      .addOption(
        new Option(
          '--trajectories <file.json>',
          'paths written by bridgekit sample --trajectories, drawn beside the scatter',
        ),
      )
      .addOption(
        new Option('--title <text>', 'plot title (default: the file names, e.g. samples.csv vs moons)'),
      )
      // Accepted for uniform scripts (every command takes it) and validated, though nothing here needs tensors.
      .addOption(backendOption(ctx.env))
      .addOption(quietOption())
      .action(async (opts: Record<string, unknown>) => plot(ctx, opts))
  );
}

async function plot(ctx: CommandContext, opts: Readonly<Record<string, unknown>>): Promise<void> {
  const samplesFile = requiredText('--samples', opts.samples as string | undefined, 'a .csv or .npy file');
  const referenceSpec = opts.reference as string | undefined;
  const n = opts.n === undefined ? undefined : positiveInteger('--n', String(opts.n));
  const seed = parseSeed(opts.seed);
  const out = requiredText('--out', opts.out as string | undefined, 'a .png file');
  const trajectoriesFile = opts.trajectories as string | undefined;
  const globals = ctx.globals(opts);
  backendRequest(globals.backend, ctx.env);

  const samples = planar('--samples', readPoints('--samples', samplesFile));
  const reference =
    referenceSpec === undefined
      ? undefined
      : planar(
          '--reference',
          readPoints('--reference', referenceSpec, { n: n ?? samples.rows, seed, stream: 'reference' }),
        );
  const trajectories = trajectoriesFile === undefined ? undefined : readTrajectories(trajectoriesFile);
  // vega takes over a second to import, so it is loaded only once the inputs have been read.
  const { combinePlots, renderPng, scatterPlot, trajectoryPlot } = await import('@bridgekit/plot');
  const series: ScatterSeries[] = [];
  if (reference !== undefined) series.push({ name: 'reference', points: reference.points });
  series.push({ name: 'samples', points: samples.points });
  // Legend entries stay short; the title says where the points came from.
  const title =
    (opts.title as string | undefined) ??
    `${basename(samples.source)}${reference === undefined ? '' : ` vs ${basename(reference.source)}`}`;
  const scatter = scatterPlot({ series, title, equalAxes: true });
  let spec = scatter;
  if (trajectories !== undefined) {
    const paths = trajectoryPlot({
      trajectories,
      colorByTime: true,
      endpoints: true,
      title: 'sample paths',
    });
    spec = combinePlots([[scatter, paths]]);
  }
  const reporter = await createReporter({ quiet: globals.quiet, stream: ctx.stdout });
  await writeFileAtomic('--out', out, await renderPng(spec, { scale: 2 }));
  reporter.info(`plot → ${out}`);
}

function planar(flag: string, data: Points): Points {
  if (data.dim !== 2) {
    throw runtimeError(`${flag} '${data.source}' has ${data.dim} columns; bridgekit plot draws 2-D points`);
  }
  return data;
}

/**
 * Reads the `{ t, paths }` JSON of bridgekit sample --trajectories into one entry per time step,
 * checking the shape so a hand-edited file fails with the index of the bad entry.
 */
export function readTrajectories(file: string): { t: number; points: number[] }[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw runtimeError(
      code === 'ENOENT'
        ? `--trajectories file '${file}' does not exist`
        : `--trajectories '${file}' cannot be read: ${oneLine(error)}`,
      error,
    );
  }
  const bad = (what: string): never => {
    throw runtimeError(
      `--trajectories '${file}': ${what}; expected { "t": [numbers], "paths": [[[x, y], …], …] }`,
    );
  };
  const { t, paths } = (json ?? {}) as { t?: unknown; paths?: unknown };
  if (!Array.isArray(t) || t.length === 0 || !t.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    return bad('t must be a non-empty array of finite numbers');
  }
  if (!Array.isArray(paths) || paths.length === 0) return bad('paths must be a non-empty array');
  const steps = t.map((time: number) => ({ t: time, points: [] as number[] }));
  paths.forEach((path: unknown, p) => {
    if (!Array.isArray(path) || path.length !== t.length)
      bad(`paths[${p}] must hold ${t.length} points, one per t`);
    (path as unknown[]).forEach((point, k) => {
      const ok =
        Array.isArray(point) &&
        point.length === 2 &&
        point.every((v) => typeof v === 'number' && Number.isFinite(v));
      if (!ok) bad(`paths[${p}][${k}] must be [x, y] with finite numbers`);
      steps[k]!.points.push(...(point as number[]));
    });
  });
  return steps;
}
