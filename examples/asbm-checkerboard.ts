/**
 * ASBM vs VP-SDE on the checkerboard: train Adjoint Schrödinger Bridge Matching and a VP-SDE score
 * model for the same number of steps, sample both with the probability-flow ODE at NFE 1, 2, 4, 8 and
 * 100, and compare their W2 to fresh data, the straightness of their paths and the couplings they
 * learn between prior draws and samples. Writes couplings.png (a segment from each of 200 prior draws to
 * its sample), trajectories.png (ODE paths coloured by time), samples.png, the samples as CSV and
 * summary.json under ./out/asbm-checkerboard.
 *
 *   npx tsx --conditions=@bridgekit/source examples/asbm-checkerboard.ts [--steps 6000] [--beta-max 6] [--vp-beta-max 20] [--n 2000] [--seed 0] [--out out/asbm-checkerboard] [--quiet]
 *
 * Both use the same network (MLP 3×64, SiLU, batch 256) and VP processes dX = −½β(t)X dt + √β(t) dW
 * with β linear from 0.1: to --beta-max (ASBM's default 6) for ASBM's reference, to --vp-beta-max (the
 * VP-SDE's default 20) for VP. VP learns the score of the noised data, which needs the process to forget
 * the data by t = 1; ASBM learns the bridge between the data and N(0, I) and then its reverse, which
 * does not, so its reference can keep memory of the data and its paths can be straighter (try
 * --vp-beta-max 6 to see VP fail on ASBM's reference). ASBM's --steps are split between its stages by
 * asbmStepPlan (4 rounds of corrector + adjoint matching, then 60 % bridge matching), so its generative
 * networks get fewer steps than VP's.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type AsbmStepPlan, asbmMethod, asbmStepPlan } from '@bridgekit/adjoint';
import { vpMethod } from '@bridgekit/baselines';
import { writeFileAtomic } from '@bridgekit/checkpoint';
import { initBackend, Rng } from '@bridgekit/core';
import { sampleDataset, writeCsv } from '@bridgekit/data';
import { straightness, w2 } from '@bridgekit/metrics';
import { combinePlots, scatterPlot, trajectoryPlot, writePng } from '@bridgekit/plot';
import {
  type Method,
  resolveMethodOptions,
  type SampleResult,
  type TrainedModel,
  type TrainSummary,
} from '@bridgekit/train';
import { parseFlags, progressPrinter } from './support.js';

const DATA = 'checkerboard';
const NFES = [1, 2, 4, 8, 100] as const;
/** NFEs whose every path is recorded for straightness. */
const STRAIGHTNESS_NFES = [8, 100] as const;
/** Pairs drawn in the coupling plot. */
const COUPLING_PAIRS = 200;

type Name = 'asbm' | 'vp';
const LABEL: Record<Name, string> = { asbm: 'ASBM', vp: 'VP-SDE' };
const COLOR: Record<Name, string> = { asbm: '#d62728', vp: '#1f77b4' };

interface MethodResult {
  summary: TrainSummary;
  /** W2 of the ODE samples to a fresh draw, per NFE. */
  w2: Record<string, number>;
  straightness: Record<string, number>;
  /** Mean ‖X_start − X_sample‖² over the n pairs of the NFE-100 ODE: the transport cost of the coupling. */
  couplingCost: number;
  /** NFE-100 ODE: samples, the prior draw each started from, and every path. */
  samples: Float32Array;
  starts: Float32Array;
  trajectories: { t: number[]; states: Float32Array[] };
}

async function main(): Promise<void> {
  const args = parseFlags(
    process.argv.slice(2),
    {
      steps: 6000,
      n: 2000,
      betaMax: 6,
      vpBetaMax: 20,
      seed: 0,
      out: join('out', 'asbm-checkerboard'),
      quiet: false,
    },
    {
      '--steps': { key: 'steps', kind: 'integer', min: 1 },
      '--beta-max': { key: 'betaMax', kind: 'integer', min: 1 },
      '--vp-beta-max': { key: 'vpBetaMax', kind: 'integer', min: 1 },
      '--n': { key: 'n', kind: 'integer', min: COUPLING_PAIRS },
      '--seed': { key: 'seed', kind: 'integer', min: 0 },
      '--out': { key: 'out', kind: 'string' },
    },
  );
  const asbmOptions = resolveMethodOptions(asbmMethod, { betaMax: args.betaMax });
  // Checked before any training, so too few steps fail at once, in one line naming the flag.
  const plan = stepPlan(args.steps, asbmOptions);
  const log = args.quiet ? () => {} : (s: string) => console.log(s);
  const started = performance.now();
  const backend = await initBackend();
  log(`backend: ${backend.name}`);
  const { n } = args;
  const rng = new Rng(args.seed);
  const train = sampleDataset(DATA, 10_000, rng.fork('train'));
  const reference = sampleDataset(DATA, n, rng.fork('reference')).points;
  const floorSample = sampleDataset(DATA, n, rng.fork('floor'), { iid: true }).points;

  const methods: { name: Name; method: Method }[] = [
    { name: 'asbm', method: asbmMethod },
    { name: 'vp', method: vpMethod },
  ];
  const results = {} as Record<Name, MethodResult>;
  const options = {} as Record<Name, Record<string, number | string | boolean>>;
  for (const { name, method } of methods) {
    const run = join(args.out, name, 'run');
    rmSync(run, { recursive: true, force: true });
    options[name] = name === 'asbm' ? asbmOptions : resolveMethodOptions(method, { betaMax: args.vpBetaMax });
    const summary = await method.train({
      data: { points: train.points, dim: 2, source: DATA },
      out: run,
      steps: args.steps,
      batch: 256,
      seed: args.seed,
      checkpointEvery: 1000,
      resume: false,
      options: options[name],
      onProgress: progressPrinter(args.quiet, name),
    });
    const model = await method.load(run);
    try {
      results[name] = await evaluate(model, summary, n, args.seed, reference);
    } finally {
      model.dispose();
    }
    writeCsv(join(args.out, `${name}-samples.csv`), results[name].samples, 2, ['x', 'y']);
  }
  const floorW2 = w2(floorSample, reference, 2);
  writeCsv(join(args.out, 'data.csv'), reference, 2, ['x', 'y']);

  const names: Name[] = ['asbm', 'vp'];
  // The couplings: a segment from each prior draw to the sample the ODE carries it to.
  const coupling = (name: Name) => {
    const r = results[name];
    const k = COUPLING_PAIRS * 2;
    const spec = trajectoryPlot({
      title: `${LABEL[name]}: prior draw → ODE sample, E‖x₁ − x₀‖² ${r.couplingCost.toFixed(2)}`,
      trajectories: [
        { t: 1, points: r.starts.subarray(0, k) },
        { t: 0, points: r.samples.subarray(0, k) },
      ],
      maxPaths: COUPLING_PAIRS,
      endpoints: true,
    });
    // Each panel keeps its own start/end legend (a shared shape legend would show beside the last one only).
    return { ...spec, resolve: { scale: { color: 'independent', shape: 'independent' } } };
  };
  await writePng(join(args.out, 'couplings.png'), combinePlots([names.map(coupling)], { sharedAxes: true }));
  // The NFE-100 ODE paths, coloured by time (t = 1 prior → t ≈ 0 data).
  const paths = (name: Name) => {
    const { t, states } = results[name].trajectories;
    return trajectoryPlot({
      title: `${LABEL[name]}: ODE paths (NFE 100), straightness ${results[name].straightness.nfe_100!.toFixed(2)}`,
      trajectories: t.map((time, k) => ({ t: time, points: states[k]! })),
      colorByTime: true,
      endpoints: true,
      maxPaths: 64,
    });
  };
  await writePng(join(args.out, 'trajectories.png'), combinePlots([names.map(paths)], { sharedAxes: true }));
  const scatter = (name: Name) =>
    scatterPlot({
      title: `${LABEL[name]}: W2 ${results[name].w2.nfe_100!.toFixed(3)} (ODE, NFE 100)`,
      series: [
        { name: 'data', points: reference, color: '#9e9e9e' },
        { name: `${name} samples`, points: results[name].samples, color: COLOR[name] },
      ],
      pointSize: 6,
      opacity: 0.6,
    });
  await writePng(join(args.out, 'samples.png'), combinePlots([names.map(scatter)], { sharedAxes: true }));

  const perMethod = (name: Name) => {
    const r = results[name];
    return {
      options: options[name],
      trainSteps: r.summary.steps,
      trainSeconds: r.summary.seconds,
      finalLoss: r.summary.finalLoss,
      w2: r.w2,
      straightness: r.straightness,
      couplingCost: r.couplingCost,
    };
  };
  const report = {
    data: DATA,
    steps: args.steps,
    betaMax: args.betaMax,
    seed: args.seed,
    backend: backend.name,
    n,
    solver: 'ode',
    nfes: [...NFES],
    noiseFloorW2: floorW2,
    asbm: { ...perMethod('asbm'), plan },
    vp: perMethod('vp'),
    seconds: (performance.now() - started) / 1000,
    files: [
      'asbm-samples.csv',
      'vp-samples.csv',
      'data.csv',
      'couplings.png',
      'trajectories.png',
      'samples.png',
      'summary.json',
      'asbm/run/',
      'vp/run/',
    ],
  };
  await writeFileAtomic(join(args.out, 'summary.json'), `${JSON.stringify(report, null, 2)}\n`);

  log(`\n${DATA}, n ${n}, probability-flow ODE (Euler); W2 per NFE, noise floor ${floorW2.toFixed(3)}`);
  log(
    `method${NFES.map((nfe) => `NFE ${nfe}`.padStart(9)).join('')}  straight@8  straight@100  E‖x₁−x₀‖²  train s`,
  );
  for (const name of names) {
    const r = results[name];
    log(
      `${name.padEnd(6)}${NFES.map((nfe) => r.w2[`nfe_${nfe}`]!.toFixed(3).padStart(9)).join('')}` +
        `${r.straightness.nfe_8!.toFixed(2).padStart(12)}${r.straightness.nfe_100!.toFixed(2).padStart(14)}` +
        `${r.couplingCost.toFixed(2).padStart(11)}${r.summary.seconds.toFixed(1).padStart(9)}`,
    );
  }
  log(`ASBM steps: ${JSON.stringify(plan)}; wrote ${args.out}/ in ${report.seconds.toFixed(1)} s`);
}

/** ASBM's split of `steps` (asbmStepPlan), or a one-line error giving the smallest --steps that splits. */
function stepPlan(steps: number, options: Readonly<Record<string, number | string | boolean>>): AsbmStepPlan {
  const split = {
    rounds: Number(options.rounds),
    bridgeFraction: Number(options.bridgeFraction),
    correctorShare: Number(options.correctorShare),
  };
  const fits = (k: number) => {
    try {
      return asbmStepPlan(k, split);
    } catch {
      return undefined;
    }
  };
  const plan = fits(steps);
  if (plan !== undefined) return plan;
  let min = steps + 1;
  while (fits(min) === undefined) min++;
  throw new RangeError(
    `--steps must be an integer ≥ ${min} (ASBM splits them into ${split.rounds} rounds of corrector and adjoint matching, then bridge matching), got '${steps}'`,
  );
}

/** W2 per NFE, straightness at NFE 8 and 100, and the NFE-100 coupling of one trained model (ODE). */
async function evaluate(
  model: TrainedModel,
  summary: TrainSummary,
  n: number,
  seed: number,
  reference: Float32Array,
): Promise<MethodResult> {
  const w2s: Record<string, number> = {};
  const straight: Record<string, number> = {};
  let last: SampleResult | undefined;
  for (const nfe of NFES) {
    const recorded = (STRAIGHTNESS_NFES as readonly number[]).includes(nfe);
    // The same seed at every NFE: the same prior draws, so the NFEs differ only in discretisation.
    const r = await model.sample({
      n,
      seed,
      nfe,
      solver: 'ode',
      trajectories: recorded ? n : 0,
      pairs: nfe === 100,
    });
    w2s[`nfe_${nfe}`] = w2(r.samples, reference, 2);
    if (recorded) {
      if (r.trajectories === undefined) throw new Error(`${model.method} returned no trajectories`);
      straight[`nfe_${nfe}`] = straightness(r.trajectories, 2);
    }
    if (nfe === 100) last = r;
  }
  const { samples, trajectories } = last!;
  // A model without `starts` still reports its start: an ODE path begins at the prior draw (the same
  // coordinates for a model trained without normalisation, as both are here).
  const starts = last!.starts ?? trajectories!.states[0]!;
  let cost = 0;
  for (let j = 0; j < samples.length; j++) cost += (samples[j]! - starts[j]!) ** 2;
  return {
    summary,
    w2: w2s,
    straightness: straight,
    couplingCost: cost / n,
    samples,
    starts,
    trajectories: trajectories!,
  };
}

main().catch((error: unknown) => {
  console.error(`asbm-checkerboard: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
