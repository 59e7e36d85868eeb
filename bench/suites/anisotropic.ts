import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vpMethod } from '@bridgekit/baselines';
import { writeFileAtomicSync } from '@bridgekit/checkpoint';
import { initBackend, Rng } from '@bridgekit/core';
import { sampleDataset } from '@bridgekit/data';
import { pmfRmse, straightness, w2 } from '@bridgekit/metrics';
import { combinePlots, renderPng, scatterPlot, trajectoryPlot, type VegaLiteSpec } from '@bridgekit/plot';
import { type Method, resolveMethodOptions } from '@bridgekit/train';
import { vsdmMethod, vsmdMethod } from '@bridgekit/variational';
import { type SuiteOptions, selectNames } from '../options.js';
import type { BenchResult, BenchRow } from '../result-file.js';
import { gitCommit, RESULTS_DIR } from '../result-file.js';
import { meanStd } from '../stats.js';

interface Variant {
  readonly name: string;
  readonly method: Method;
  readonly label: string;
  readonly options: Readonly<Record<string, number | string | boolean>>;
}

/** The same network for every variant: MLP 3×128, SiLU, [x, t] input. */
const NETWORK = { width: 128, depth: 3, activation: 'silu' };

const VARIANTS: readonly Variant[] = [
  { name: 'vp-10', method: vpMethod, label: 'beta_max=10', options: { schedule: 'power', betaMax: 10 } },
  { name: 'vp-20', method: vpMethod, label: 'beta_max=20', options: { schedule: 'power', betaMax: 20 } },
  // 250 DSM + 50 forward steps per stage: twice the official number of stages per DSM step, so that
  // A_t has room to adapt within a benchmark's budget (the official runs use 200 stages × 500).
  {
    name: 'vsdm-10',
    method: vsdmMethod,
    label: 'beta_max=10',
    options: { betaMax: 10, dsmSteps: 250, saSteps: 50 },
  },
  { name: 'vsmd', method: vsmdMethod, label: 'beta=5', options: { dsmSteps: 250, saSteps: 50 } },
];

/**
 * anisotropic (benchmarks.md §1, VSDM's headline): spiral stretched y×8 and checkerboard stretched
 * x×6 (algorithms.md §1.9, unnormalised as in the official code). VP-SDE with VSDM's power schedule
 * (r = 1.7) at β_max 10 and 20, VSDM at β_max 10, VSMD at constant β = 5; every model has the same
 * MLP and the same number of optimisation steps (VSDM/VSMD spend 1 in 6 of them on forward updates,
 * in stages of 250 + 50).
 * Each model is sampled by the reverse SDE and the probability-flow ODE at NFE 100, 8 and 6, and
 * scored by PMF-RMSE (100×100 histogram), W2 (exact assignment, n = 2000) and trajectory straightness.
 * Writes anisotropic-<task>.png: every variant's ODE samples and paths at NFE 100.
 */
export async function anisotropic(options: SuiteOptions): Promise<BenchResult> {
  const backend = await initBackend();
  const tasks = selectNames('task', ['spiral-y8', 'checkerboard-x6'], options.tasks);
  const variants = selectNames(
    'method',
    VARIANTS.map((v) => v.name),
    options.methods,
  ).map((name) => VARIANTS.find((v) => v.name === name)!);
  const steps = options.steps ?? (options.quick ? 6000 : 30000);
  const seeds = Array.from({ length: options.seeds ?? (options.quick ? 1 : 3) }, (_, i) => i);
  const nfes = [100, 8, 6];
  const n = 2000;
  const rows: BenchRow[] = [];
  const work = mkdtempSync(join(tmpdir(), 'bridgekit-bench-'));
  try {
    for (const task of tasks) {
      const reference = sampleDataset(task, n, new Rng(10_000)).points;
      const floorW2 = w2(sampleDataset(task, n, new Rng(20_000), { iid: true }).points, reference, 2);
      const floorPmf = pmfRmse(sampleDataset(task, n, new Rng(20_001), { iid: true }).points, reference);
      options.log(`${task}: floor W2 ${floorW2.toFixed(3)}, PMF-RMSE ${floorPmf.toExponential(3)}`);
      rows.push({
        task,
        method: 'data',
        variant: 'noise-floor',
        seed: 'mean',
        n,
        metrics: { w2: floorW2, pmf_rmse: floorPmf },
      });
      const panels: VegaLiteSpec[] = [];
      for (const variant of variants) {
        for (const seed of seeds) {
          const out = join(work, `${task}-${variant.name}-${seed}`);
          const data = sampleDataset(task, 10_000, new Rng(seed));
          const summary = await variant.method.train({
            data: { points: data.points, dim: 2, source: task },
            out,
            steps,
            batch: 512,
            seed,
            checkpointEvery: steps,
            resume: false,
            options: resolveMethodOptions(variant.method, { ...NETWORK, ...variant.options }),
          });
          const model = await variant.method.load(out);
          for (const solver of ['sde', 'ode'] as const) {
            for (const nfe of nfes) {
              const r = await model.sample({ n, seed: 1000 + seed, nfe, solver, trajectories: n });
              const value = w2(r.samples, reference, 2);
              const pmf = pmfRmse(r.samples, reference);
              const s = straightness(r.trajectories!, 2);
              const sRel = s / meanSquaredDisplacement(r.trajectories!.states, 2);
              options.log(
                `${task} ${variant.name.padEnd(7)} seed ${seed} ${solver} NFE ${String(nfe).padStart(3)}: ` +
                  `W2 ${value.toFixed(3)}, PMF-RMSE ${pmf.toExponential(3)}, S ${s.toFixed(1)} (relative ${sRel.toFixed(3)})`,
              );
              rows.push({
                task,
                method: variant.method.name,
                variant: variant.label,
                sampler: solver,
                nfe,
                seed,
                n,
                backend: backend.name,
                metrics: {
                  w2: value,
                  w2_sq: value * value,
                  pmf_rmse: pmf,
                  straightness: s,
                  straightness_rel: sRel,
                  train_s: summary.seconds,
                },
              });
              if (seed === 0 && solver === 'ode' && nfe === 100) {
                const title = `${variant.name}: W2 ${value.toFixed(2)}`;
                panels.push(
                  scatterPlot({
                    series: [
                      { name: 'data', points: reference },
                      { name: variant.name, points: r.samples },
                    ],
                    title,
                    width: 260,
                    height: 260,
                    equalAxes: true,
                  }),
                  trajectoryPlot({
                    trajectories: r.trajectories!.t.map((t, k) => ({
                      t,
                      points: r.trajectories!.states[k]!,
                    })),
                    maxPaths: 48,
                    colorByTime: true,
                    title: `${variant.name}: ODE paths, S ${s.toFixed(0)}`,
                    width: 260,
                    height: 260,
                  }),
                );
              }
            }
          }
          model.dispose();
          rmSync(out, { recursive: true, force: true });
        }
      }
      if (panels.length > 0) {
        const rowsOfTwo = Array.from({ length: panels.length / 2 }, (_, i) => panels.slice(2 * i, 2 * i + 2));
        const png = await renderPng(combinePlots(rowsOfTwo), { scale: 1.5 });
        writeFileAtomicSync(
          join(RESULTS_DIR, `anisotropic${options.tag === undefined ? '' : `-${options.tag}`}-${task}.png`),
          png,
        );
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return {
    suite: 'anisotropic',
    commit: gitCommit(),
    backend: backend.name,
    quick: options.quick,
    date: new Date().toISOString(),
    definitions: {
      w2: 'exact optimal-assignment W2 between n generated and n fresh reference points',
      pmf_rmse:
        "VSDM's PMF-RMSE: 100×100 histogram on the reference box ×1.025, both sets clipped, RMSE over bins",
      straightness:
        'S = mean over paths of Σ_k Δt‖(x_{k+1} − x_k)/Δt − (x_K − x_0)‖² along the sampler path (all n paths), in squared data units',
      straightness_rel:
        'S / mean ‖x_K − x_0‖²: straightness relative to how far the paths travel (S grows with the squared scale of the transport)',
      train_s: 'training wall-clock seconds',
      nfe: 'network evaluations per sample (Euler steps)',
    },
    rows,
  };
}

export function anisotropicMarkdown(result: BenchResult): string {
  const lines = [
    `# anisotropic${result.quick ? ' (quick)' : ''}`,
    '',
    `Commit ${result.commit}, backend ${result.backend}, ${result.date}. n = 2000; mean ± std over seeds; PMF-RMSE ×10⁻⁴; S = straightness. Plots: anisotropic-<task>.png.`,
    '',
    '| task | method | variant | sampler | NFE | seeds | W2 | PMF-RMSE ×1e4 | S | S relative | train s |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const fmt = meanStd;
  for (const task of [...new Set(result.rows.map((r) => r.task))]) {
    const floor = result.rows.find((r) => r.task === task && r.variant === 'noise-floor');
    if (floor !== undefined) {
      lines.push(
        `| ${task} | data | noise floor | — | — | — | ${floor.metrics.w2!.toFixed(3)} | ${(floor.metrics.pmf_rmse! * 1e4).toFixed(2)} | — | — | — |`,
      );
    }
    const keys = [
      ...new Set(
        result.rows
          .filter((r) => r.task === task && r.method !== 'data')
          .map((r) => `${r.method}|${r.variant}|${r.sampler}|${r.nfe}`),
      ),
    ];
    for (const key of keys) {
      const [method, variant, sampler, nfe] = key.split('|');
      const rs = result.rows.filter(
        (r) =>
          r.task === task &&
          r.method === method &&
          r.variant === variant &&
          r.sampler === sampler &&
          String(r.nfe) === nfe,
      );
      const get = (k: string) => rs.map((r) => r.metrics[k]!);
      lines.push(
        `| ${task} | ${method} | ${variant} | ${sampler} | ${nfe} | ${rs.length} | ${fmt(get('w2'), 3)} | ${fmt(get('pmf_rmse'), 2, 1e4)} | ${fmt(get('straightness'), 1)} | ${fmt(get('straightness_rel'), 3)} | ${fmt(get('train_s'), 0)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Mean over paths of ‖x_K − x_0‖² (first and last recorded states). */
function meanSquaredDisplacement(states: readonly (Float32Array | Float64Array)[], dim: number): number {
  const first = states[0]!;
  const last = states.at(-1)!;
  const n = first.length / dim;
  let sum = 0;
  for (let i = 0; i < first.length; i++) sum += (last[i]! - first[i]!) ** 2;
  return sum / n;
}
