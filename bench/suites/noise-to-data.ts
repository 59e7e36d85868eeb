import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineMethods } from '@bridgekit/baselines';
import { initBackend, Rng } from '@bridgekit/core';
import { sampleDataset } from '@bridgekit/data';
import { w2 } from '@bridgekit/metrics';
import type { BenchResult, BenchRow } from '../result-file.js';
import { gitCommit } from '../result-file.js';

/**
 * noise-to-data (benchmarks.md §2, TorchCFM 2-D protocol): N(0, I) → 8gaussians / moons / scurve,
 * 10 000 training points, MLP 3×64 (SELU), AdamW lr 1e-3, batch 512; W2 (exact assignment,
 * n = 2000) at NFE 1, 2, 4, 8, 100 (Euler), beside the noise floor (W2 between two independent
 * data samples of the same n, averaged over 5 pairs). Quick mode: one seed and fewer steps.
 */
export async function noiseToData(options: {
  quick: boolean;
  log: (s: string) => void;
}): Promise<BenchResult> {
  const backend = await initBackend();
  const tasks = ['8gaussians', 'moons', 'scurve'];
  const steps: Record<string, number> = options.quick
    ? { cfm: 8000, 'ot-cfm': 2000, vp: 8000 }
    : { cfm: 20000, 'ot-cfm': 20000, vp: 20000 };
  const seeds = options.quick ? [0] : [0, 1, 2, 3, 4];
  const nfes = [1, 2, 4, 8, 100];
  const n = 2000;
  const rows: BenchRow[] = [];
  const work = mkdtempSync(join(tmpdir(), 'bridgekit-bench-'));
  try {
    for (const task of tasks) {
      const reference = sampleDataset(task, n, new Rng(10_000)).points;
      const floors = Array.from({ length: 5 }, (_, i) => {
        const a = sampleDataset(task, n, new Rng(20_000 + 2 * i)).points;
        const b = sampleDataset(task, n, new Rng(20_001 + 2 * i)).points;
        return w2(a, b, 2);
      });
      const floor = floors.reduce((s, v) => s + v, 0) / floors.length;
      const floorStd = Math.sqrt(floors.reduce((s, v) => s + (v - floor) ** 2, 0) / (floors.length - 1));
      options.log(`${task}: noise floor W2 ${floor.toFixed(3)} ± ${floorStd.toFixed(3)}`);
      rows.push({
        task,
        method: 'data',
        variant: 'noise-floor',
        seed: 'mean',
        n,
        metrics: { w2: floor, w2_std: floorStd },
      });
      for (const method of baselineMethods) {
        for (const seed of seeds) {
          const out = join(work, `${task}-${method.name}-${seed}`);
          const data = sampleDataset(task, 10_000, new Rng(seed));
          const opts = Object.fromEntries(method.options.map((o) => [o.name, o.default!]));
          const summary = await method.train({
            data: { points: data.points, dim: 2, source: task },
            out,
            steps: steps[method.name]!,
            batch: 512,
            seed,
            checkpointEvery: steps[method.name]!,
            resume: false,
            options: opts,
          });
          const model = await method.load(out);
          for (const nfe of nfes) {
            const r = await model.sample({ n, seed: 1000 + seed, nfe, solver: 'ode' });
            const value = w2(r.samples, reference, 2);
            options.log(
              `${task} ${method.name.padEnd(6)} seed ${seed} NFE ${String(nfe).padStart(3)}: W2 ${value.toFixed(3)} (${(value / floor).toFixed(2)}× floor)`,
            );
            rows.push({
              task,
              method: method.name,
              variant: `steps=${steps[method.name]}`,
              sampler: 'euler-ode',
              nfe,
              seed,
              n,
              backend: backend.name,
              metrics: {
                w2: value,
                w2_sq: value * value,
                w2_over_floor: value / floor,
                train_s: summary.seconds,
                final_loss: summary.finalLoss,
              },
            });
          }
          model.dispose();
          rmSync(out, { recursive: true, force: true });
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return {
    suite: 'noise-to-data',
    commit: gitCommit(),
    backend: backend.name,
    quick: options.quick,
    date: new Date().toISOString(),
    definitions: {
      w2: 'exact optimal-assignment W2 between n generated and n fresh reference points, squared Euclidean cost',
      w2_over_floor:
        'w2 divided by the noise floor (mean W2 between two independent data samples of size n, 5 pairs)',
      train_s: 'training wall-clock seconds',
      nfe: 'Euler steps of the probability-flow ODE (one network evaluation each)',
    },
    rows,
  };
}

export function noiseToDataMarkdown(result: BenchResult): string {
  const lines = [
    `# noise-to-data${result.quick ? ' (quick)' : ''}`,
    '',
    `Commit ${result.commit}, backend ${result.backend}, ${result.date}. W2 at n = 2000 (exact assignment); Euler ODE sampling.`,
    '',
    '| task | method | steps | NFE 1 | NFE 2 | NFE 4 | NFE 8 | NFE 100 | NFE 100 / floor | noise floor |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const tasks = [...new Set(result.rows.map((r) => r.task))];
  for (const task of tasks) {
    const floor = result.rows.find((r) => r.task === task && r.variant === 'noise-floor')!.metrics.w2!;
    const methods = [
      ...new Set(result.rows.filter((r) => r.task === task && r.method !== 'data').map((r) => r.method)),
    ];
    for (const method of methods) {
      const rs = result.rows.filter((r) => r.task === task && r.method === method);
      const mean = (nfe: number) => {
        const v = rs.filter((r) => r.nfe === nfe).map((r) => r.metrics.w2!);
        return v.reduce((s, x) => s + x, 0) / v.length;
      };
      lines.push(
        `| ${task} | ${method} | ${rs[0]!.variant.replace('steps=', '')} | ${[1, 2, 4, 8, 100].map((k) => mean(k).toFixed(3)).join(' | ')} | ${(mean(100) / floor).toFixed(2)} | ${floor.toFixed(3)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
