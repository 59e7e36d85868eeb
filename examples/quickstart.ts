/**
 * Quick start: train a flow-matching model on a 2-D dataset, sample it, evaluate it against fresh
 * data and the noise floor, and write samples, plots and a summary under ./out/quickstart.
 *
 *   npm run quickstart -- [--data 8gaussians] [--steps 3000] [--seed 0] [--out out/quickstart] [--quiet]
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cfmMethod } from '@bridgekit/baselines';
import { writeFileAtomic } from '@bridgekit/checkpoint';
import { initBackend, Rng } from '@bridgekit/core';
import { sampleDataset, writeCsv } from '@bridgekit/data';
import { evaluateSamples, w2 } from '@bridgekit/metrics';
import { linePlot, scatterPlot, trajectoryPlot, writePng } from '@bridgekit/plot';
import { resolveMethodOptions } from '@bridgekit/train';
import { parseFlags, progressPrinter } from './support.js';

async function main(): Promise<void> {
  const args = parseFlags(
    process.argv.slice(2),
    { data: '8gaussians', steps: 3000, seed: 0, out: join('out', 'quickstart'), quiet: false },
    {
      '--data': { key: 'data', kind: 'string' },
      '--steps': { key: 'steps', kind: 'integer', min: 1 },
      '--seed': { key: 'seed', kind: 'integer', min: 0 },
      '--out': { key: 'out', kind: 'string' },
    },
  );
  const log = args.quiet ? () => {} : (s: string) => console.log(s);
  const started = performance.now();
  const backend = await initBackend();
  log(`backend: ${backend.name}`);
  const rng = new Rng(args.seed);
  const n = 2000;
  const train = sampleDataset(args.data, 10_000, rng.fork('train'));
  const reference = sampleDataset(args.data, n, rng.fork('reference')).points;
  const floorSample = sampleDataset(args.data, n, rng.fork('floor'), { iid: true }).points;

  const run = join(args.out, 'run');
  rmSync(run, { recursive: true, force: true });
  const options = resolveMethodOptions(cfmMethod, {});
  const summary = await cfmMethod.train({
    data: { points: train.points, dim: 2, source: args.data },
    out: run,
    steps: args.steps,
    batch: 256,
    seed: args.seed,
    checkpointEvery: 1000,
    resume: false,
    options,
    onProgress: progressPrinter(args.quiet),
  });

  const model = await cfmMethod.load(run);
  const results: Record<string, Record<string, number>> = {};
  let trajectories: { t: number[]; states: Float32Array[] } | undefined;
  let samples100: Float32Array | undefined;
  for (const nfe of [1, 8, 100]) {
    const r = await model.sample({ n, seed: args.seed, nfe, trajectories: nfe === 100 ? 64 : 0 });
    results[`nfe_${nfe}`] = evaluateSamples(r.samples, reference, 2, { seed: args.seed });
    if (nfe === 100) {
      samples100 = r.samples;
      trajectories = r.trajectories;
    }
  }
  model.dispose();
  const floor = w2(floorSample, reference, 2);

  writeCsv(join(args.out, 'samples.csv'), samples100!, 2, ['x', 'y']);
  writeCsv(join(args.out, 'data.csv'), reference, 2, ['x', 'y']);
  await writePng(
    join(args.out, 'samples.png'),
    scatterPlot({
      title: `${args.data}: data vs flow-matching samples (Euler, NFE 100)`,
      series: [
        { name: 'data', points: reference, color: '#9e9e9e' },
        { name: 'samples', points: samples100!, color: '#1f77b4' },
      ],
      equalAxes: true,
      pointSize: 6,
      opacity: 0.6,
    }),
  );
  await writePng(
    join(args.out, 'loss.png'),
    linePlot({
      title: 'Training loss',
      xLabel: 'step',
      yLabel: 'flow-matching loss',
      series: [
        {
          name: 'loss',
          x: summary.lossCurve.map((p) => p.step),
          y: summary.lossCurve.map((p) => p.loss),
        },
      ],
    }),
  );
  await writePng(
    join(args.out, 'trajectories.png'),
    trajectoryPlot({
      title: 'Probability-flow trajectories (t = 0 noise → t = 1 data)',
      trajectories: trajectories!.t.map((t, k) => ({ t, points: trajectories!.states[k]! })),
      colorByTime: true,
      endpoints: true,
    }),
  );

  const report = {
    dataset: args.data,
    method: 'cfm',
    backend: backend.name,
    seed: args.seed,
    trainSteps: summary.steps,
    trainSeconds: summary.seconds,
    finalLoss: summary.finalLoss,
    n,
    noiseFloorW2: floor,
    metrics: results,
    w2OverFloorAtNfe100: results.nfe_100!.w2! / floor,
    seconds: (performance.now() - started) / 1000,
    files: ['samples.csv', 'data.csv', 'samples.png', 'loss.png', 'trajectories.png', 'summary.json', 'run/'],
  };
  await writeFileAtomic(join(args.out, 'summary.json'), `${JSON.stringify(report, null, 2)}\n`);
  for (const [key, m] of Object.entries(results)) {
    log(`${key.replace('_', ' ')}: W2 ${m.w2!.toFixed(3)}  (noise floor ${floor.toFixed(3)})`);
  }
  log(
    `trained ${summary.steps} steps in ${summary.seconds.toFixed(1)} s; wrote ${args.out}/ in ${report.seconds.toFixed(1)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(`quickstart: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
