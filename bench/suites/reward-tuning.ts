import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type FinetuneSettings,
  finetuneSession,
  gaussianTilt,
  gaussianTiltedMixture,
  gaussianTiltReward,
  type Reward,
  type Velocity,
} from '@bridgekit/adjoint';
import { cfmMethod, loadBaseline } from '@bridgekit/baselines';
import { writeFileAtomicSync } from '@bridgekit/checkpoint';
import { initBackend, Matrix, normalTensor, Rng, sqrtmPsd, tf } from '@bridgekit/core';
import { eightGaussiansMixture, sampleDataset } from '@bridgekit/data';
import { apply, type Params } from '@bridgekit/nn';
import { combinePlots, linePlot, renderPng } from '@bridgekit/plot';
import { eulerOde, uniformGrid } from '@bridgekit/samplers';
import {
  type GaussianMixture,
  gaussianFlowVelocity,
  gaussianMixtureFlowVelocity,
  gaussianMixtureSample,
  ringMixture,
} from '@bridgekit/sde';
import { resolveMethodOptions } from '@bridgekit/train';
import { type SuiteOptions, selectNames } from '../options.js';
import { type BenchResult, type BenchRow, gitCommit, RESULTS_DIR } from '../result-file.js';

const TASKS = ['gaussian-tilt', 'ring8-tilt', '8gaussians-tilt'] as const;
type Task = (typeof TASKS)[number];
const METHODS = ['eam', 'am'] as const;
type MethodName = (typeof METHODS)[number];
/**
 * Where the targets' base comes from: the exact flow of the data law (EAM's score by Tweedie on it), or
 * the pretrained network (EAM's terminal score fitted on its samples, the default, or by Tweedie).
 */
const VARIANTS = ['exact-base', 'network-base', 'network-base-tweedie'] as const;

/** Samples per evaluation, drawn by Euler on the fine-tuned velocity with NFE 100. */
const EVAL_N = 4000;
const EVAL_NFE = 100;

interface TaskSpec {
  readonly task: Task;
  readonly lambda: number;
  readonly reward: Reward;
  /** Draws n training points of the base law. */
  readonly data: (n: number, rng: Rng) => Float32Array;
  /** The exact flow-matching velocity of the base law. */
  readonly exactVelocity: Velocity;
  /** Error of samples against the exact tilted law (the suite's error). */
  readonly error: (samples: Float32Array) => number;
  readonly errorName: string;
}

const GAUSS_MEAN = [1, -0.5];
const GAUSS_STD = 0.5;

function taskSpec(task: Task): TaskSpec {
  if (task === 'gaussian-tilt') {
    const a = 2;
    const c = [-1, 1];
    const lambda = 1.5;
    const target = gaussianTilt({ mean: GAUSS_MEAN, variance: GAUSS_STD ** 2, a, c, lambda });
    const exact = gaussianFlowVelocity({ mean: GAUSS_MEAN, std: GAUSS_STD });
    return {
      task,
      lambda,
      reward: gaussianTiltReward({ a, c }),
      data: (n, rng) => {
        const z = rng.normal(2 * n);
        return Float32Array.from(z, (v, i) => GAUSS_MEAN[i % 2]! + GAUSS_STD * v);
      },
      exactVelocity: (x, t) => exact(x, t) as tf.Tensor2D,
      error: (s) => gaussianW2(s, target.mean as number[], target.variance as number[]),
      errorName: 'gaussian_w2',
    };
  }
  // A Gaussian tilt of an 8-mode mixture is a mixture again (gaussianTiltedMixture): exact for any λ,
  // and ∇r pulls everywhere. 'ring8-tilt': overlapping modes (spacing 3.1 std); '8gaussians-tilt': the
  // dataset's well-separated modes (spacing 6.8 std).
  const ring = task === 'ring8-tilt';
  const base = ring ? ringMixture({ components: 8, radius: 2, std: 0.5 }) : eightGaussiansMixture();
  const a = ring ? 0.5 : 0.05;
  const c = ring ? [2, 0] : [5, 0];
  const target = gaussianTiltedMixture(base as GaussianMixture, { a, c, lambda: 1 });
  const exact = gaussianMixtureFlowVelocity(base as GaussianMixture);
  return {
    task,
    lambda: 1,
    reward: gaussianTiltReward({ a, c }),
    data: ring
      ? (n, rng) => {
          const x = gaussianMixtureSample(base, n, rng);
          const out = Float32Array.from(x.dataSync());
          x.dispose();
          return out;
        }
      : (n, rng) => sampleDataset('8gaussians', n, rng).points,
    exactVelocity: (x, t) => exact(x, t) as tf.Tensor2D,
    error: (s) => modeMassTv(s, target),
    errorName: 'mode_tv',
  };
}

/**
 * W2 between the Gaussian fitted to the samples (mean, full covariance) and the exact Gaussian target
 * N(m*, diag(v*)): ‖μ − m*‖² + tr C + tr C* − 2 tr (C*^{1/2} C C*^{1/2})^{1/2}.
 */
function gaussianW2(samples: Float32Array, mean: readonly number[], variance: readonly number[]): number {
  const n = samples.length / 2;
  const mu = [0, 0];
  for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) mu[k]! += samples[2 * i + k]! / n;
  const c = new Matrix(2, 2);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < 2; r++) {
      for (let s = 0; s < 2; s++) {
        c.data[r * 2 + s]! += ((samples[2 * i + r]! - mu[r]!) * (samples[2 * i + s]! - mu[s]!)) / (n - 1);
      }
    }
  }
  const root = Matrix.diag(variance.map(Math.sqrt));
  const cross = sqrtmPsd(root.mul(c).mul(root).symmetrize());
  let w2 = 0;
  for (let k = 0; k < 2; k++) w2 += (mu[k]! - mean[k]!) ** 2;
  w2 += c.get(0, 0) + c.get(1, 1) + variance[0]! + variance[1]! - 2 * (cross.get(0, 0) + cross.get(1, 1));
  return Math.sqrt(Math.max(0, w2));
}

/**
 * Total variation between the samples' mode masses and the target's weights ρ, the mass of mode k being
 * the mean of the target's responsibility q_k(x) ∝ ρ_k N(x; μ_k, C_k) over the samples: exact samples
 * give E[q_k] = ρ_k whatever the overlap of the modes, so the error is 0 up to sampling noise.
 */
function modeMassTv(samples: Float32Array, target: GaussianMixture): number {
  const k = target.weights.length;
  const n = samples.length / 2;
  const terms = target.covs.map((cov, j) => {
    const det = cov[0]![0]! * cov[1]![1]! - cov[0]![1]! * cov[1]![0]!;
    const p = [cov[1]![1]! / det, -cov[0]![1]! / det, cov[0]![0]! / det];
    return { p, log: Math.log(target.weights[j]!) - 0.5 * Math.log(det) };
  });
  const mass = new Array<number>(k).fill(0);
  const logs = new Array<number>(k);
  for (let i = 0; i < n; i++) {
    const x = samples[2 * i]!;
    const y = samples[2 * i + 1]!;
    let top = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const dx = x - target.means[j]![0]!;
      const dy = y - target.means[j]![1]!;
      const { p, log } = terms[j]!;
      logs[j] = log - 0.5 * (p[0]! * dx * dx + 2 * p[1]! * dx * dy + p[2]! * dy * dy);
      if (logs[j]! > top) top = logs[j]!;
    }
    let z = 0;
    for (let j = 0; j < k; j++) z += Math.exp(logs[j]! - top);
    for (let j = 0; j < k; j++) mass[j]! += Math.exp(logs[j]! - top) / z / n;
  }
  return 0.5 * mass.reduce((acc, m, j) => acc + Math.abs(m - target.weights[j]!), 0);
}

interface CurvePoint {
  step: number;
  seconds: number;
  nfe: number;
  error: number;
}

/** Samples of the velocity `params` define (Euler, NFE 100), seeded. */
function sampleParams(graph: Parameters<typeof apply>[0], params: Params, seed: number): Float32Array {
  const x0 = normalTensor<tf.Rank.R2>(new Rng(seed), [EVAL_N, 2]);
  const field = {
    name: 'fine-tuned',
    velocity: (x: tf.Tensor2D, t: number) =>
      apply(graph, params, x, tf.fill([x.shape[0]], t) as tf.Tensor1D) as tf.Tensor2D,
  };
  const run = eulerOde(field, x0, uniformGrid(0, 1, EVAL_NFE));
  const out = Float32Array.from(run.x.dataSync());
  tf.dispose([x0, run.x]);
  return out;
}

/** First evaluation at or below `level` (seconds, NFE, step), or undefined. */
function firstReach(curve: readonly CurvePoint[], level: number): CurvePoint | undefined {
  return curve.find((p) => p.error <= level);
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * reward-tuning (benchmarks.md §4; our own small-scale protocol, not the EAM paper's): fine-tune a
 * pretrained 2-D I-CFM model toward p_base·e^{λr} with EAM and AM and follow the error to the exact
 * tilted law against iterations, network evaluations and wall-clock. Tasks: a Gaussian base
 * N((1, −0.5), 0.25 I) tilted by r = −‖x − (−1, 1)‖², λ = 1.5 (exact Gaussian answer, T12), scored by
 * the W2 of the samples' Gaussian fit to it; and two 8-mode mixtures tilted toward mode 0 by a Gaussian
 * reward, λ = 1 (exact answer: a mixture again, gaussianTiltedMixture), scored by the total variation of
 * the mode masses: 'ring8-tilt' (radius 2, std 0.5: overlapping modes; r = −0.25‖x − (2, 0)‖²) and
 * '8gaussians-tilt' (the dataset: modes 6.8 std apart; r = −0.025‖x − (5, 0)‖²), where re-weighting
 * separated modes is slow for both methods (their updates see ∇r and scores, which are blind to the
 * relative weights of separated modes). Variants: the targets' base velocity is the exact flow of the data law ('exact-base':
 * measures the methods) or the pretrained network ('network-base': what a user gets, EAM's terminal score
 * fitted on the network's samples; 'network-base-tweedie': the score by Tweedie's formula, §8.2 as written). The speed-up is measured to a level both methods reach:
 * 90 % of the way from the base's error to the worse method's final error.
 */
export async function rewardTuning(options: SuiteOptions): Promise<BenchResult> {
  const backend = await initBackend();
  const tasks = selectNames('task', TASKS, options.tasks);
  const methods = selectNames('method', METHODS, options.methods);
  const seeds = Array.from({ length: options.seeds ?? (options.quick ? 1 : 3) }, (_, i) => i);
  const steps = options.steps ?? (options.quick ? 400 : 1500);
  const baseSteps = options.quick ? 3000 : 10_000;
  // Dense early (both methods move most in the first tens of steps), then every steps/20.
  const evalAt = new Set<number>([steps]);
  for (let k = 2; k <= Math.min(steps, 40); k += 2) evalAt.add(k);
  for (let k = 0; k <= steps; k += Math.max(1, Math.round(steps / 20))) if (k > 0) evalAt.add(k);
  const rows: BenchRow[] = [];
  const panels: ReturnType<typeof linePlot>[] = [];
  const work = mkdtempSync(join(tmpdir(), 'bridgekit-bench-'));
  try {
    for (const task of tasks) {
      const spec = taskSpec(task);
      const series: { name: string; x: number[]; y: number[] }[] = [];
      for (const seed of seeds) {
        const baseDir = join(work, `${task}-${seed}`);
        const t0 = performance.now();
        await cfmMethod.train({
          data: { points: spec.data(10_000, new Rng(seed).fork('data')), dim: 2, source: task },
          out: baseDir,
          steps: baseSteps,
          batch: 256,
          seed,
          checkpointEvery: baseSteps,
          resume: false,
          options: resolveMethodOptions(cfmMethod, {}),
        });
        options.log(
          `${task} seed ${seed}: base model ${baseSteps} steps in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
        );
        const base = await loadBaseline(baseDir, 'cfm');
        const graph = base.config.graph;
        const baseError = spec.error(sampleParams(graph, base.params, 7000 + seed));
        rows.push({
          task,
          method: 'base',
          variant: `steps=${baseSteps}`,
          sampler: 'ode',
          nfe: EVAL_NFE,
          seed,
          n: EVAL_N,
          backend: backend.name,
          metrics: { [spec.errorName]: baseError },
        });
        for (const variant of VARIANTS) {
          const curves = new Map<MethodName, CurvePoint[]>();
          for (const method of methods) {
            const settings: FinetuneSettings = {
              method,
              lambda: spec.lambda,
              paths: 256,
              timesPerPath: 4,
              passes: 1,
              lr: 1e-3,
              weightDecay: 0,
              sdeSteps: 20,
              clip: false,
              odeSteps: 4,
              odeSolver: 'heun',
              delta: 0.1,
              terminalScore: variant === 'network-base' ? ('fitted' as const) : ('tweedie' as const),
            };
            // Creating the session counts: EAM's fitted terminal score is fitted there.
            const created = performance.now();
            const session = finetuneSession({
              graph,
              baseParams: base.params,
              ...(variant === 'exact-base' ? { baseVelocity: spec.exactVelocity } : {}),
              reward: spec.reward,
              settings,
              seed,
            });
            let seconds = (performance.now() - created) / 1000;
            const curve: CurvePoint[] = [
              { step: 0, seconds, nfe: session.cost().sampling, error: baseError },
            ];
            try {
              for (let k = 0; k < steps; k++) {
                const started = performance.now();
                session.step(k);
                seconds += (performance.now() - started) / 1000;
                if (evalAt.has(k + 1)) {
                  const tensors = session.model().tensors;
                  const params: Params = {};
                  for (const [name, a] of Object.entries(tensors)) {
                    params[name.slice('params/'.length)] = tf.tensor(a.data as Float32Array, a.shape);
                  }
                  const cost = session.cost();
                  const error = spec.error(sampleParams(graph, params, 7000 + seed));
                  tf.dispose(Object.values(params));
                  curve.push({ step: k + 1, seconds, nfe: cost.sampling + cost.training, error });
                }
              }
            } finally {
              session.dispose();
            }
            curves.set(method, curve);
            const last = curve.at(-1)!;
            options.log(
              `${task} ${variant} ${method} seed ${seed}: ${spec.errorName} ${baseError.toFixed(3)} → ${last.error.toFixed(3)} in ${steps} steps, ${last.seconds.toFixed(1)} s, ${(last.nfe / 1e6).toFixed(2)} M network evaluations`,
            );
            if (seed === 0) {
              series.push({
                name: `${method} (${variant})`,
                x: curve.map((p) => Math.max(p.seconds, 0.1)),
                y: curve.map((p) => Math.max(p.error, 1e-3)),
              });
            }
          }
          const finals = new Map<MethodName, number>();
          for (const [method, curve] of curves)
            finals.set(method, median(curve.slice(-3).map((p) => p.error)));
          // 90 % of the way from the base's error to the worse method's final error; none when that
          // method did not improve on the base by at least 20 %.
          const worse = Math.max(...finals.values());
          const level = worse < 0.8 * baseError ? worse + 0.1 * (baseError - worse) : Number.NaN;
          for (const [method, curve] of curves) {
            const reach = Number.isNaN(level) ? undefined : firstReach(curve, level);
            const last = curve.at(-1)!;
            rows.push({
              task,
              method,
              variant,
              sampler: 'ode',
              nfe: EVAL_NFE,
              seed,
              n: EVAL_N,
              backend: backend.name,
              metrics: {
                [spec.errorName]: finals.get(method)!,
                error_initial: baseError,
                steps,
                seconds: last.seconds,
                network_evals: last.nfe,
                level: Number.isNaN(level) ? null : level,
                steps_to_level: reach?.step ?? null,
                seconds_to_level: reach?.seconds ?? null,
                network_evals_to_level: reach?.nfe ?? null,
              },
              note: `curve: ${curve.map((p) => `${p.step}:${p.error.toFixed(4)}`).join(' ')}`,
            });
          }
          const eam = curves.get('eam');
          const am = curves.get('am');
          if (eam !== undefined && am !== undefined) {
            const re = Number.isNaN(level) ? undefined : firstReach(eam, level);
            const ra = Number.isNaN(level) ? undefined : firstReach(am, level);
            const ratio = (a: number | undefined, b: number | undefined) =>
              a === undefined || b === undefined || b === 0 ? null : a / b;
            rows.push({
              task,
              method: 'eam/am',
              variant,
              seed,
              metrics: {
                level: Number.isNaN(level) ? null : level,
                speedup_seconds: ratio(ra?.seconds, re?.seconds),
                speedup_network_evals: ratio(ra?.nfe, re?.nfe),
                speedup_steps: ratio(ra?.step, re?.step),
              },
            });
            options.log(
              `${task} ${variant} seed ${seed}: to ${spec.errorName} ≤ ${Number.isNaN(level) ? '—' : level.toFixed(3)} EAM is ${ratio(ra?.seconds, re?.seconds)?.toFixed(2) ?? '—'}× faster in wall-clock, ${ratio(ra?.nfe, re?.nfe)?.toFixed(2) ?? '—'}× in network evaluations`,
            );
          }
        }
        for (const t of Object.values(base.params)) t.dispose();
        rmSync(baseDir, { recursive: true, force: true });
      }
      panels.push(
        linePlot({
          series,
          title: `${task}: error to the exact tilted law (seed 0)`,
          xLabel: 'training wall-clock (s)',
          yLabel: spec.errorName,
          logY: true,
        }),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (panels.length > 0) {
    const png = await renderPng(combinePlots([panels]), { scale: 1.5 });
    writeFileAtomicSync(
      join(RESULTS_DIR, `reward-tuning${options.tag === undefined ? '' : `-${options.tag}`}.png`),
      png,
    );
  }
  return {
    suite: 'reward-tuning',
    commit: gitCommit(),
    backend: backend.name,
    quick: options.quick,
    date: new Date().toISOString(),
    definitions: {
      protocol:
        "our own small-scale protocol (not the EAM paper's text-to-image one): 2-D I-CFM base (MLP 3×64, SELU) trained on 10 000 points; fine-tuning with 256 paths × 4 rows per step, AdamW lr 1e-3; AM: 20-step memoryless SDE, discrete lean adjoint, per-row clipping; EAM: 4 Heun steps (8 NFE) for endpoints, Tweedie δ = 0.1",
      gaussian_w2:
        'W2 between the Gaussian fitted to 4000 samples (Euler NFE 100) and the exact tilt N(m*, s*²I) (T12); sampling noise ≈ 0.01',
      mode_tv:
        "total variation between the samples' mode masses (mean responsibility of each component of the exact tilted mixture) and that mixture's weights; sampling noise ≈ 0.01",
      error_initial: 'the error of the pretrained model itself',
      network_evals:
        'network evaluations per row summed over the run (forward = 1, a backward pass 1 more): simulation, adjoint, targets, clipping and the regression steps',
      level:
        "the error 90 % of the way from the base model's to the worse method's final error (median of its last three evaluations); none (—) when that method improved on the base by less than 20 %",
      speedup_seconds:
        'AM wall-clock to reach the level / EAM wall-clock to reach it (session creation — EAM’s score fit — and training; evaluations excluded)',
      speedup_network_evals: 'the same ratio in network evaluations',
      speedup_steps: 'the same ratio in optimisation steps',
    },
    rows,
  };
}

export function rewardTuningMarkdown(result: BenchResult): string {
  const f = (v: number | null | undefined, d = 3) => (v === undefined || v === null ? '—' : v.toFixed(d));
  const lines = [
    `# reward-tuning${result.quick ? ' (quick)' : ''}`,
    '',
    `Commit ${result.commit}, backend ${result.backend}, ${result.date}. Our own small-scale protocol (see the JSON's definitions); the EAM paper reports up to 4× on text-to-image.`,
    '',
    '| task | variant | method | seed | final error | initial | steps | s | M evals | steps to level | s to level | M evals to level |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of result.rows) {
    const m = r.metrics;
    if (r.method === 'eam/am' || r.method === 'base') continue;
    const error = m.gaussian_w2 ?? m.mode_tv;
    lines.push(
      `| ${r.task} | ${r.variant} | ${r.method} | ${r.seed} | ${f(error)} | ${f(m.error_initial)} | ${f(m.steps, 0)} | ${f(m.seconds, 1)} | ${f(m.network_evals === undefined || m.network_evals === null ? null : m.network_evals / 1e6, 2)} | ${f(m.steps_to_level, 0)} | ${f(m.seconds_to_level, 1)} | ${f(m.network_evals_to_level === undefined || m.network_evals_to_level === null ? null : m.network_evals_to_level / 1e6, 2)} |`,
    );
  }
  lines.push(
    '',
    '| task | variant | seed | level | EAM speed-up (wall-clock) | (network evals) | (steps) |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  );
  for (const r of result.rows) {
    if (r.method !== 'eam/am') continue;
    const m = r.metrics;
    lines.push(
      `| ${r.task} | ${r.variant} | ${r.seed} | ${f(m.level)} | ${f(m.speedup_seconds, 2)} | ${f(m.speedup_network_evals, 2)} | ${f(m.speedup_steps, 2)} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
