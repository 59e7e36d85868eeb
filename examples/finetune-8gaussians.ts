/**
 * Reward fine-tuning of a flow model: train (or reuse) an I-CFM model on 8gaussians, fine-tune it with
 * Efficient Adjoint Matching and Adjoint Matching towards the built-in reward '8gaussians-modes' (modes
 * 0 (+x) and 2 (+y) four times the others, λ = 1), and compare how each model spreads its mass over the
 * eight modes with the exact target. Writes finetune.json and finetune.png under ./out/finetune-8gaussians.
 *
 *   npx tsx --conditions=@bridgekit/source examples/finetune-8gaussians.ts [--steps 300] [--base-steps 3000] [--method both] [--seed 0] [--out out/finetune-8gaussians] [--quiet]
 *
 * The base model in <out>/base is reused when <out>/base/model exists (delete it to retrain). The
 * reward is built so that p_base·e^{λr} = Σ_k ρ_k N(μ_k, C_k) exactly for the dataset's law p_base, so
 * the target weights ρ are known; a fine-tuned model starts from the learned base, not p_base, and its
 * error contains the base model's.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  adjointMatchingMethod,
  efficientAdjointMatchingMethod,
  type FinetuneMethod,
  type FinetuneSummary,
  type ModeReweightReward,
  type Reward,
  resolveReward,
  tiltedMixture,
} from '@bridgekit/adjoint';
import { cfmMethod } from '@bridgekit/baselines';
import { writeFileAtomic } from '@bridgekit/checkpoint';
import { initBackend, Rng } from '@bridgekit/core';
import { sampleDataset } from '@bridgekit/data';
import { nearestCentreMasses } from '@bridgekit/metrics';
import { combinePlots, scatterPlot, type VegaLiteSpec, writePng } from '@bridgekit/plot';
import { resolveMethodOptions } from '@bridgekit/train';
import { parseFlags, progressPrinter } from './support.js';

/** Target weights of the modes in the dataset's order (+x, −x, +y, −y, +x+y, +x−y, −x+y, −x−y). */
const WEIGHTS = [4, 1, 4, 1, 1, 1, 1, 1];
const MODE_NAMES = ['+x', '−x', '+y', '−y', '+x+y', '+x−y', '−x+y', '−x−y'];
const LAMBDA = 1;
const METHODS: Record<string, FinetuneMethod> = {
  eam: efficientAdjointMatchingMethod,
  am: adjointMatchingMethod,
};
const LABEL: Record<string, string> = { base: 'base (I-CFM)', eam: 'EAM', am: 'AM' };
const COLOR: Record<string, string> = { base: '#1f77b4', eam: '#d62728', am: '#2ca02c' };

interface ModelResult {
  /** Fraction of the samples nearest each mixture mean. */
  modeMasses: number[];
  /** ½·Σ|modeMasses − target|. */
  totalVariation: number;
  samples: Float32Array;
}

async function main(): Promise<void> {
  const args = parseFlags(
    process.argv.slice(2),
    {
      steps: 300,
      baseSteps: 3000,
      method: 'both',
      seed: 0,
      out: join('out', 'finetune-8gaussians'),
      quiet: false,
    },
    {
      '--steps': { key: 'steps', kind: 'integer', min: 1 },
      '--base-steps': { key: 'baseSteps', kind: 'integer', min: 1 },
      '--method': { key: 'method', kind: 'string' },
      '--seed': { key: 'seed', kind: 'integer', min: 0 },
      '--out': { key: 'out', kind: 'string' },
    },
  );
  const names = args.method === 'both' ? ['eam', 'am'] : [args.method];
  if (!names.every((name) => name in METHODS)) {
    throw new RangeError(`--method must be eam, am or both, got '${args.method}'`);
  }
  const log = args.quiet ? () => {} : (s: string) => console.log(s);
  const started = performance.now();
  const backend = await initBackend();
  log(`backend: ${backend.name}`);
  const n = 4000;
  const nfe = 100;

  // 1. The base model: I-CFM with default options, trained once and reused.
  const baseDir = join(args.out, 'base');
  const reused = existsSync(join(baseDir, 'model'));
  let base: { steps: number; seconds: number; finalLoss: number } | undefined;
  if (reused) {
    log(`reusing the base model in ${baseDir} (delete it to retrain)`);
  } else {
    rmSync(baseDir, { recursive: true, force: true });
    const train = sampleDataset('8gaussians', 10_000, new Rng(args.seed).fork('train'));
    const summary = await cfmMethod.train({
      data: { points: train.points, dim: 2, source: '8gaussians' },
      out: baseDir,
      steps: args.baseSteps,
      batch: 256,
      seed: args.seed,
      checkpointEvery: 1000,
      resume: false,
      options: resolveMethodOptions(cfmMethod, {}),
      onProgress: progressPrinter(args.quiet, 'base'),
    });
    base = { steps: summary.steps, seconds: summary.seconds, finalLoss: summary.finalLoss };
  }

  // 2. Fine-tuning towards the exact target Σρ_k N(μ_k, C_k), ρ ∝ WEIGHTS.
  const reward = modeReweight(
    await resolveReward('8gaussians-modes', { lambda: LAMBDA, params: { weights: WEIGHTS } }),
  );
  const target = [...tiltedMixture(reward, LAMBDA).weights];
  const means = reward.base.means;
  const runs: Record<string, FinetuneSummary> = {};
  for (const name of names) {
    const out = join(args.out, name);
    rmSync(out, { recursive: true, force: true });
    runs[name] = await METHODS[name]!.finetune({
      model: baseDir,
      reward,
      lambda: LAMBDA,
      out,
      steps: args.steps,
      seed: args.seed,
      checkpointEvery: args.steps,
      resume: false,
      onProgress: progressPrinter(args.quiet, name),
    });
  }

  // 3. Samples of every model from the same noise (ODE), and their mass per mode.
  const results: Record<string, ModelResult> = {};
  for (const name of ['base', ...names]) {
    const model = await cfmMethod.load(join(args.out, name));
    try {
      const { samples } = await model.sample({
        n,
        seed: args.seed,
        nfe,
        solver: 'ode',
        onProgress: progressPrinter(args.quiet, `${name} samples`),
      });
      const modeMasses = nearestCentreMasses(samples, 2, means);
      const totalVariation = 0.5 * modeMasses.reduce((sum, p, k) => sum + Math.abs(p - target[k]!), 0);
      results[name] = { modeMasses, totalVariation, samples };
    } finally {
      model.dispose();
    }
  }

  const meanPoints = means.map((m) => [m[0]!, m[1]!]);
  const panel = (name: string) =>
    markMeans(
      scatterPlot({
        title: `${LABEL[name]}: TV to target ${results[name]!.totalVariation.toFixed(3)}`,
        series: [{ name: `${name} samples`, points: results[name]!.samples, color: COLOR[name]! }],
        width: 320,
        height: 320,
        pointSize: 5,
        opacity: 0.5,
      }),
      meanPoints,
    );
  await writePng(
    join(args.out, 'finetune.png'),
    combinePlots([['base', ...names].map(panel)], { sharedAxes: true }),
  );

  const modelReport = (name: string) => {
    const { modeMasses, totalVariation } = results[name]!;
    if (name === 'base') {
      return { reused, ...(base ?? {}), modeMasses, totalVariation };
    }
    const s = runs[name]!;
    return {
      steps: s.steps,
      seconds: s.seconds,
      finalLoss: s.finalLoss,
      cost: { sampling: s.cost.sampling, training: s.cost.training },
      options: s.options,
      modeMasses,
      totalVariation,
    };
  };
  const report = {
    dataset: '8gaussians',
    reward: { name: '8gaussians-modes', weights: WEIGHTS },
    lambda: LAMBDA,
    seed: args.seed,
    backend: backend.name,
    n,
    nfe,
    modes: MODE_NAMES,
    means: meanPoints,
    target,
    models: Object.fromEntries(['base', ...names].map((name) => [name, modelReport(name)])),
    seconds: (performance.now() - started) / 1000,
    files: ['finetune.json', 'finetune.png', 'base/', ...names.map((name) => `${name}/`)],
  };
  await writeFileAtomic(join(args.out, 'finetune.json'), `${JSON.stringify(report, null, 2)}\n`);

  const cell = (v: string, width = 6) => v.padStart(width);
  log(`\nmass per mode (${n} ODE samples, NFE ${nfe}, nearest mean); λ = ${LAMBDA}`);
  log(`${'model'.padEnd(7)}${MODE_NAMES.map((m) => cell(m)).join('')}${cell('TV', 8)}${cell('s', 8)}  cost`);
  const row = (label: string, masses: number[], rest: string) =>
    log(`${label.padEnd(7)}${masses.map((p) => cell(p.toFixed(3))).join('')}${rest}`);
  row('target', target, '');
  for (const name of ['base', ...names]) {
    const r = results[name]!;
    const s = runs[name];
    const seconds = s?.seconds ?? base?.seconds;
    const cost = s === undefined ? '' : `  ${s.cost.sampling} + ${s.cost.training}`;
    row(
      name,
      r.modeMasses,
      `${cell(r.totalVariation.toFixed(3), 8)}${cell(seconds === undefined ? '-' : seconds.toFixed(1), 8)}${cost}`,
    );
  }
  log(
    `cost: network evaluations per row, sampling + training; wrote ${args.out}/ in ${report.seconds.toFixed(1)} s`,
  );
}

/**
 * The scatter plot with a black cross on each mixture mean: the plot's single view becomes the first
 * layer of a Vega-Lite layered view (both layers share its x and y scales).
 */
function markMeans(spec: VegaLiteSpec, means: readonly (readonly number[])[]): VegaLiteSpec {
  const { data, mark, encoding, ...rest } = spec;
  return {
    ...rest,
    layer: [
      { data, mark, encoding },
      {
        data: { values: means.map(([x, y]) => ({ x, y })) },
        mark: { type: 'point', shape: 'cross', size: 140, filled: true, color: '#000000', opacity: 1 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
    ],
  };
}

/** The reward as a mode re-weighting reward (the built-in '8gaussians-modes' is one). */
function modeReweight(reward: Reward): ModeReweightReward {
  const r = reward as Partial<ModeReweightReward>;
  if (!Array.isArray(r.targetWeights) || typeof r.base !== 'object' || r.base === null) {
    throw new TypeError(`reward ${reward.name} is not a mode re-weighting reward`);
  }
  return reward as ModeReweightReward;
}

main().catch((error: unknown) => {
  console.error(`finetune-8gaussians: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
