/**
 * VSDM vs VP-SDE on anisotropic data: train a VP-SDE score model and VSDM (the same VP-SDE whose
 * forward drift gains a learned linear term A) side by side on VSDM's 8× stretched spiral, sample
 * both with the probability-flow ODE and the reverse SDE, evaluate them against fresh data and the
 * noise floor, and write samples, plots and a summary under ./out/vsdm-vs-vp.
 *
 * Both use VSDM's power schedule with β_max = 10, the setting in which VSDM's paper reports the plain
 * VP-SDE fails on stretched data, and the same MLP (3×128, SiLU).
 *
 *   npx tsx --conditions=@bridgekit/source examples/vsdm-vs-vp.ts [--data spiral-y8] [--steps 6000] [--seed 0] [--out out/vsdm-vs-vp] [--quiet]
 *
 * VSDM trains in stages of --dsm-steps backward score-matching steps then --sa-steps forward
 * updates of A (default 500 + 100, VSDM's layout); the VP baseline trains --steps plain steps.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { vpMethod } from '@bridgekit/baselines';
import { writeFileAtomic } from '@bridgekit/checkpoint';
import { initBackend, Rng } from '@bridgekit/core';
import { sampleDataset, writeCsv } from '@bridgekit/data';
import { pmfRmse, straightness, w2 } from '@bridgekit/metrics';
import { combinePlots, linePlot, scatterPlot, trajectoryPlot, writePng } from '@bridgekit/plot';
import { type Method, resolveMethodOptions, type TrainedModel, type TrainSummary } from '@bridgekit/train';
import { type ForwardPolicy, policyMatrix, vsdmMethod } from '@bridgekit/variational';
import { parseFlags, progressPrinter } from './support.js';

type Solver = 'ode' | 'sde';
interface SolverMetrics {
  w2: number;
  pmfRmse: number;
  straightness: number;
}
interface MethodResult {
  summary: TrainSummary;
  metrics: Record<Solver, SolverMetrics>;
  odeSamples: Float32Array;
  odeTrajectories: { t: number[]; states: Float32Array[] };
  /** VSDM's learned forward matrix A (the data are not normalised, so in data coordinates). */
  A?: number[][];
}

async function main(): Promise<void> {
  const args = parseFlags(
    process.argv.slice(2),
    {
      data: 'spiral-y8',
      steps: 6000,
      seed: 0,
      out: join('out', 'vsdm-vs-vp'),
      quiet: false,
      dsmSteps: 500,
      saSteps: 100,
    },
    {
      '--data': { key: 'data', kind: 'string' },
      '--steps': { key: 'steps', kind: 'integer', min: 1 },
      '--seed': { key: 'seed', kind: 'integer', min: 0 },
      '--out': { key: 'out', kind: 'string' },
      '--dsm-steps': { key: 'dsmSteps', kind: 'integer', min: 1 },
      '--sa-steps': { key: 'saSteps', kind: 'integer', min: 1 },
    },
  );
  const log = args.quiet ? () => {} : (s: string) => console.log(s);
  const started = performance.now();
  const backend = await initBackend();
  log(`backend: ${backend.name}`);
  const rng = new Rng(args.seed);
  const n = 2000;
  const nfe = 100;
  const train = sampleDataset(args.data, 10_000, rng.fork('train'));
  const reference = sampleDataset(args.data, n, rng.fork('reference')).points;
  const floorSample = sampleDataset(args.data, n, rng.fork('floor'), { iid: true }).points;

  const network = { width: 128, depth: 3, activation: 'silu' };
  const methods: { method: Method; options: Record<string, number | string | boolean> }[] = [
    { method: vpMethod, options: { schedule: 'power', betaMax: 10 } },
    { method: vsdmMethod, options: { betaMax: 10, dsmSteps: args.dsmSteps, saSteps: args.saSteps } },
  ];
  const results: Record<string, MethodResult> = {};
  for (const { method, options: own } of methods) {
    const run = join(args.out, method.name, 'run');
    rmSync(run, { recursive: true, force: true });
    const summary = await method.train({
      data: { points: train.points, dim: 2, source: args.data },
      out: run,
      steps: args.steps,
      batch: 256,
      seed: args.seed,
      checkpointEvery: 1000,
      resume: false,
      options: resolveMethodOptions(method, { ...network, ...own }),
      onProgress: progressPrinter(args.quiet, method.name),
    });

    const model = await method.load(run);
    try {
      const metrics = {} as Record<Solver, SolverMetrics>;
      let odeSamples: Float32Array | undefined;
      let odeTrajectories: MethodResult['odeTrajectories'] | undefined;
      for (const solver of ['ode', 'sde'] as const) {
        // Every path recorded, so straightness averages over all n of them.
        const r = await model.sample({ n, seed: args.seed, nfe, solver, trajectories: n });
        if (r.trajectories === undefined) throw new Error(`${method.name} returned no trajectories`);
        metrics[solver] = {
          w2: w2(r.samples, reference, 2),
          pmfRmse: pmfRmse(r.samples, reference),
          straightness: straightness(r.trajectories, 2),
        };
        if (solver === 'ode') {
          odeSamples = r.samples;
          odeTrajectories = r.trajectories;
        }
      }
      const result: MethodResult = {
        summary,
        metrics,
        odeSamples: odeSamples!,
        odeTrajectories: odeTrajectories!,
      };
      if (method === vsdmMethod) {
        const policy = (model as TrainedModel & { policy?: ForwardPolicy }).policy;
        if (policy === undefined) throw new Error('the loaded VSDM model has no forward policy');
        result.A = policyMatrix(policy).toArray();
      }
      results[method.name] = result;
    } finally {
      model.dispose();
    }
    writeCsv(join(args.out, `${method.name}-samples.csv`), results[method.name]!.odeSamples, 2, ['x', 'y']);
  }
  const vp = results.vp!;
  const vsdm = results.vsdm!;
  const floorW2 = w2(floorSample, reference, 2);
  const floorPmf = pmfRmse(floorSample, reference);

  writeCsv(join(args.out, 'data.csv'), reference, 2, ['x', 'y']);
  const label = { vp: 'VP-SDE (power β, β_max 10)', vsdm: 'VSDM (β_max 10)' };
  // No equal axes: the stretched data would be a thin strip; the axes say how far each one reaches.
  const scatter = (name: 'vp' | 'vsdm', color: string) =>
    scatterPlot({
      title: `${label[name]}: W2 ${results[name]!.metrics.ode.w2.toFixed(3)}`,
      series: [
        { name: 'data', points: reference, color: '#9e9e9e' },
        { name: `${name} samples`, points: results[name]!.odeSamples, color },
      ],
      pointSize: 6,
      opacity: 0.6,
    });
  await writePng(
    join(args.out, 'samples.png'),
    combinePlots([[scatter('vp', '#1f77b4'), scatter('vsdm', '#d62728')]], { sharedAxes: true }),
  );
  const paths = (name: 'vp' | 'vsdm') => {
    const { t, states } = results[name]!.odeTrajectories;
    return trajectoryPlot({
      title: `${label[name]}: ODE paths, straightness ${results[name]!.metrics.ode.straightness.toFixed(1)}`,
      trajectories: t.map((time, k) => ({ t: time, points: states[k]! })),
      colorByTime: true,
      endpoints: true,
      maxPaths: 64,
    });
  };
  await writePng(
    join(args.out, 'trajectories.png'),
    combinePlots([[paths('vp'), paths('vsdm')]], { sharedAxes: true }),
  );
  const curve = (points: TrainSummary['lossCurve']) => ({
    x: points.map((p) => p.step),
    y: points.map((p) => p.loss),
  });
  await writePng(
    join(args.out, 'loss.png'),
    linePlot({
      title: 'Training loss (VSDM: backward score-matching phase)',
      xLabel: 'step',
      yLabel: 'loss',
      logY: true,
      series: [
        { name: 'vp', ...curve(vp.summary.lossCurve) },
        { name: 'vsdm backward', ...curve(vsdm.summary.lossCurve.filter((p) => p.phase === 'backward')) },
      ],
    }),
  );

  const perMethod = (r: MethodResult) => ({
    trainSteps: r.summary.steps,
    trainSeconds: r.summary.seconds,
    finalLoss: r.summary.finalLoss,
    metrics: r.metrics,
    w2OverFloor: { ode: r.metrics.ode.w2 / floorW2, sde: r.metrics.sde.w2 / floorW2 },
  });
  const report = {
    data: args.data,
    steps: args.steps,
    seed: args.seed,
    backend: backend.name,
    n,
    nfe,
    network,
    noiseFloorW2: floorW2,
    noiseFloorPmfRmse: floorPmf,
    vp: { options: methods[0]!.options, ...perMethod(vp) },
    vsdm: { options: methods[1]!.options, ...perMethod(vsdm), A: vsdm.A },
    seconds: (performance.now() - started) / 1000,
    files: [
      'vp-samples.csv',
      'vsdm-samples.csv',
      'data.csv',
      'samples.png',
      'trajectories.png',
      'loss.png',
      'summary.json',
      'vp/run/',
      'vsdm/run/',
    ],
  };
  await writeFileAtomic(join(args.out, 'summary.json'), `${JSON.stringify(report, null, 2)}\n`);

  const cell = (v: number, width: number) => v.toFixed(3).padStart(width);
  log(`\n${args.data}, n ${n}, NFE ${nfe}`);
  log('method  solver      W2   PMF-RMSE  straightness  train s');
  for (const [name, r] of Object.entries(results)) {
    for (const solver of ['ode', 'sde'] as const) {
      const m = r.metrics[solver];
      log(
        `${name.padEnd(6)}  ${solver.padEnd(6)}${cell(m.w2, 8)}${m.pmfRmse.toExponential(2).padStart(11)}${m.straightness.toFixed(1).padStart(14)}${r.summary.seconds.toFixed(1).padStart(9)}`,
      );
    }
  }
  log(`noise   floor ${cell(floorW2, 8)}${floorPmf.toExponential(2).padStart(11)}`);
  log(`VSDM A = ${JSON.stringify(vsdm.A!.map((row) => row.map((v) => Number(v.toFixed(3)))))}`);
  log(`wrote ${args.out}/ in ${report.seconds.toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(`vsdm-vs-vp: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
