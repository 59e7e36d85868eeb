import type { JsonValue, NamedArray } from '@bridgekit/checkpoint';
import { type Matrix, Rng, tf } from '@bridgekit/core';
import {
  apply,
  createTrainState,
  disposeTrainState,
  type Graph,
  type Params,
  regressionStep,
  stateFromNamedArrays,
  stateToNamedArrays,
  type TrainState,
  type TrainStateJson,
} from '@bridgekit/nn';
import type { PhasedLoss, TrainingSession } from '@bridgekit/train';
import { applyMatrix } from './backward-dynamics.js';
import type { VariationalFamily } from './family.js';
import { linearPolicyObjective } from './forward-objective.js';
import type { PolicyParams } from './forward-policy.js';
import { type GridKernels, gridKernels } from './grid-kernels.js';
import { backwardPolicy, type Parameterization, type TimeKernel, timeKernel } from './parameterization.js';
import {
  initPolicyOptimizer,
  type PolicyOptimizerConfig,
  type PolicyOptimizerState,
  policyOptimizerStep,
} from './policy-optimizer.js';
import { type DataMoments, type PriorKind, samplePrior, statePrior } from './prior.js';
import { trajectoryStatistics } from './trajectory-statistics.js';

/** Everything a VSDM/VSMD training run needs besides the data. */
export interface VariationalTrainingOptions<P> {
  readonly family: VariationalFamily<P>;
  /** The starting forward policy (A = 0 / K = I). */
  readonly initialPolicy: P;
  /** Backward network: input the state (D) and t, output ẑ (or ε) on the noisy coordinates. */
  readonly graph: Graph;
  /** What the network regresses: ε ('noise', default) or ẑ itself ('score', the official code). */
  readonly parameterization?: Parameterization;
  /** Where the backward trajectories of the forward update start (default 'reference', N(0, I) / CLD's). */
  readonly trajectoryPrior?: PriorKind;
  /** The sampling prior recorded with the model (default 'adaptive', N(0, Σ₁)). */
  readonly prior?: PriorKind;
  /** The data's moments, needed by the 'moment-matched' prior. */
  readonly moments?: DataMoments;
  /** Normalised training data, n × d row-major. */
  readonly data: Float32Array;
  readonly seed: number;
  /** Training grid ts = linspace(t0, 1, K) (official K = 100, t0 = 1e-3). */
  readonly grid: number;
  readonly t0: number;
  /** Backward DSM steps per stage (official 500). */
  readonly dsmSteps: number;
  /** Forward SA steps per stage (official 100). */
  readonly saSteps: number;
  /** (data point, grid time) pairs per DSM step. */
  readonly batch: number;
  /** Backward trajectories simulated per stage for the forward update (official 3000). */
  readonly samplePaths: number;
  /** Paths per forward SA step (official 1000). */
  readonly saBatch: number;
  /** ζ, the divergence weight of the forward objective (official 0.75). */
  readonly zeta: number;
  /** Backward AdamW. */
  readonly lr: number;
  readonly weightDecay: number;
  /** EMA decay of the backward network and of the forward policy (official 0.99). */
  readonly emaDecay: number;
  readonly policyOptimizer: PolicyOptimizerConfig;
  /** The JSON saved with the inference model (method, schedule, normalisation, …). */
  readonly modelConfig: { readonly [key: string]: JsonValue };
}

/** The phase and index of global step `step`: stages of dsmSteps backward then saSteps forward steps. */
export function stagePosition(
  step: number,
  dsmSteps: number,
  saSteps: number,
): { stage: number; phase: 'backward' | 'forward'; index: number } {
  const length = dsmSteps + saSteps;
  const stage = Math.floor(step / length);
  const j = step - stage * length;
  return j < dsmSteps
    ? { stage, phase: 'backward', index: j }
    : { stage, phase: 'forward', index: j - dsmSteps };
}

/** Training grid ts = linspace(t0, 1, K). */
export function trainingGrid(grid: number, t0: number): Float64Array {
  return Float64Array.from({ length: grid }, (_, k) => t0 + ((1 - t0) * k) / (grid - 1));
}

interface Trajectories {
  xs: Float32Array[];
  zs: Float32Array[];
}

interface PolicyState {
  live: PolicyParams;
  ema: PolicyParams;
  /** The EMA policy frozen at the start of the current stage: its kernels drive the stage. */
  stage: PolicyParams;
  stageIndex: number;
  optimizer: PolicyOptimizerState;
}

const copy = (p: PolicyParams): PolicyParams =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Float64Array.from(v)]));

function f64Arrays(prefix: string, params: PolicyParams): Record<string, NamedArray> {
  const out: Record<string, NamedArray> = {};
  for (const [name, data] of Object.entries(params)) {
    out[prefix + name] = { dtype: 'F64', shape: [data.length], data: Float64Array.from(data) };
  }
  return out;
}

/** Named F64 arrays under `prefix` → policy parameters; the names must match `like`. */
export function readPolicyArrays(
  tensors: Record<string, NamedArray>,
  prefix: string,
  like: PolicyParams,
  source: string,
): PolicyParams {
  const out: PolicyParams = {};
  for (const [name, p] of Object.entries(like)) {
    const a = tensors[prefix + name];
    if (a === undefined) throw new Error(`${source}: missing tensor '${prefix}${name}'`);
    if (a.dtype !== 'F64' || a.data.length !== p.length) {
      throw new Error(
        `${source}: tensor '${prefix}${name}' must be F64 with ${p.length} values, got ${a.dtype} with ${a.data.length}`,
      );
    }
    out[name] = Float64Array.from(a.data as Float64Array);
    if (!out[name].every(Number.isFinite)) {
      throw new Error(`${source}: tensor '${prefix}${name}' holds a non-finite value`);
    }
  }
  for (const name of Object.keys(tensors)) {
    if (name.startsWith(prefix) && !(name.slice(prefix.length) in like)) {
      throw new Error(
        `${source}: unexpected tensor '${name}'; this policy has ${Object.keys(like)
          .map((k) => prefix + k)
          .join(', ')}`,
      );
    }
  }
  return out;
}

function f32State(tensors: Record<string, NamedArray>) {
  const out: Record<string, { dtype: 'float32'; shape: number[]; data: Float32Array }> = {};
  for (const [name, a] of Object.entries(tensors)) {
    if (a.dtype === 'F32')
      out[name] = { dtype: 'float32', shape: [...a.shape], data: a.data as Float32Array };
  }
  return out;
}

/**
 * The VSDM stage loop (algorithms.md §2.5) as a resumable {@link TrainingSession}. Stage s:
 * (1) freeze the EMA forward policy and compute its exact kernels on the grid; (2) `dsmSteps`
 * simulation-free DSM steps of the backward network on the closed-form target
 * ẑ* = √β Γ(−L^{−T}ε − Ã_t z_t) (targets built on the host, apart from the network); (3) simulate
 * `samplePaths` backward trajectories with the EMA network; (4) `saSteps` stochastic-approximation
 * steps of the forward policy on minibatches of those paths. Every random draw comes from
 * `Rng(seed).fork(<what>-<index>)`, and the trajectories are re-simulated from the saved EMA network
 * on resume, so a resumed run is identical to an uninterrupted one.
 */
export function variationalSession<P>(
  options: VariationalTrainingOptions<P>,
  restored?: { state: JsonValue; tensors: Record<string, NamedArray> },
): TrainingSession {
  const { family, graph, data } = options;
  const d = family.dataDim;
  const D = family.stateDim;
  const noisy = family.noisy;
  const n = data.length / d;
  const root = new Rng(options.seed);
  const times = trainingGrid(options.grid, options.t0);
  const dts = new Float64Array(options.grid).fill((1 - options.t0) / (options.grid - 1));
  const initial = family.params(options.initialPolicy);

  let net: TrainState;
  let policy: PolicyState;
  if (restored === undefined) {
    net = createTrainState(
      graph,
      root.fork('init'),
      { kind: 'adamw', lr: options.lr, weightDecay: options.weightDecay },
      { emaDecay: options.emaDecay },
    );
    policy = {
      live: copy(initial),
      ema: copy(initial),
      stage: copy(initial),
      stageIndex: -1,
      optimizer: initPolicyOptimizer(initial),
    };
  } else {
    const json = restored.state as unknown as { net: TrainStateJson; policyStep: number; stageIndex: number };
    const nnTensors: Record<string, NamedArray> = {};
    for (const [k, v] of Object.entries(restored.tensors)) if (!k.startsWith('policy')) nnTensors[k] = v;
    net = stateFromNamedArrays(json.net, f32State(nnTensors));
    const src = 'checkpoint';
    policy = {
      live: readPolicyArrays(restored.tensors, 'policy/', initial, src),
      ema: readPolicyArrays(restored.tensors, 'policy-ema/', initial, src),
      stage: readPolicyArrays(restored.tensors, 'policy-stage/', initial, src),
      stageIndex: json.stageIndex,
      optimizer: {
        step: json.policyStep,
        m: readPolicyArrays(restored.tensors, 'policy-adam.m/', initial, src),
        v: readPolicyArrays(restored.tensors, 'policy-adam.v/', initial, src),
      },
    };
  }

  // Caches derived from the frozen stage policy and the EMA network (recomputed after a restore).
  const parameterization = options.parameterization ?? 'noise';
  let kernels: GridKernels | undefined;
  let matrices: Matrix[] | undefined;
  let byTime: Map<number, TimeKernel> | undefined;
  let trajectories: Trajectories | undefined;
  const stagePolicy = () => family.withParams(options.initialPolicy, policy.stage);
  const prepareStage = () => {
    kernels = gridKernels(family.forwardSde(stagePolicy()), times);
    matrices = Array.from(times, (t) => family.matrixAt(stagePolicy(), t));
    byTime = new Map(
      Array.from(times, (t, k) => [t, timeKernel(family, kernels!.cholInvT[k]!, matrices![k]!)]),
    );
    trajectories = undefined;
  };
  if (policy.stageIndex >= 0) prepareStage();

  const emaRaw = (z: tf.Tensor2D, t: number): tf.Tensor2D =>
    tf.tidy(() => apply(graph, net.ema!.params as Params, z, tf.fill([z.shape[0]], t) as tf.Tensor1D));
  const emaNet = (z: tf.Tensor2D, t: number): tf.Tensor2D =>
    backwardPolicy(family, parameterization, emaRaw, (u) => byTime!.get(u)!)(z, t);

  const backwardStep = (step: number): number => {
    const rng = root.fork(`dsm-${step}`);
    const b = options.batch;
    const index = rng.randint(b, n);
    const kIndex = rng.randint(b, options.grid);
    const eps = rng.normal(b * D);
    const x = new Float32Array(b * D);
    const t = new Float32Array(b);
    const target = new Float32Array(b * noisy.length);
    const z0 = new Float64Array(D);
    const zt = new Float64Array(D);
    for (let i = 0; i < b; i++) {
      const k = kIndex[i]!;
      const m = kernels!.mean[k]!.data;
      const l = kernels!.chol[k]!.data;
      const lit = kernels!.cholInvT[k]!.data;
      const a = matrices![k]!.data;
      const sb = Math.sqrt(family.schedule.beta(times[k]!));
      family.lift(data.subarray(index[i]! * d, (index[i]! + 1) * d), z0);
      const e = eps.subarray(i * D, (i + 1) * D);
      for (let r = 0; r < D; r++) {
        let v = 0;
        for (let c = 0; c < D; c++) v += m[r * D + c]! * z0[c]! + l[r * D + c]! * e[c]!;
        zt[r] = v;
        x[i * D + r] = v;
      }
      noisy.forEach((r, j) => {
        if (parameterization === 'noise') {
          target[i * noisy.length + j] = e[r]!;
          return;
        }
        // −(L^{−T}ε)_r − (Ã z_t)_r, times √β Γ_r.
        let score = 0;
        for (let c = 0; c < D; c++) score -= lit[r * D + c]! * e[c]! + a[r * D + c]! * zt[c]!;
        target[i * noisy.length + j] = sb * family.noiseScale[r]! * score;
      });
      t[i] = times[k]!;
    }
    const batch = {
      x: tf.tensor2d(x, [b, D]),
      t: tf.tensor1d(t),
      target: tf.tensor2d(target, [b, noisy.length]),
    };
    try {
      const result = regressionStep(net, batch);
      net = result.state;
      return result.loss;
    } finally {
      tf.dispose([batch.x, batch.t, batch.target]);
    }
  };

  /** Backward Euler–Maruyama on the training grid from N(0, Σ_T), recording z_k and ẑ_k. */
  const simulate = (stage: number): Trajectories => {
    const rng = root.fork(`trajectories-${stage}`);
    const P = options.samplePaths;
    const K = options.grid;
    const prior = statePrior(
      family,
      options.trajectoryPrior ?? 'reference',
      kernels!.mean[K - 1]!,
      kernels!.cov[K - 1]!,
      options.moments,
    );
    const start = samplePrior(prior, P, rng);
    const xs: Float32Array[] = new Array(K);
    const zs: Float32Array[] = new Array(K);
    let z = tf.tensor2d(start, [P, D]);
    try {
      for (let k = K - 1; k >= 0; k--) {
        const tk = times[k]!;
        const zhat = emaNet(z, tk);
        const zhatHost = zhat.dataSync() as Float32Array;
        const full = new Float32Array(P * D);
        for (let p = 0; p < P; p++) {
          noisy.forEach((r, j) => {
            full[p * D + r] = zhatHost[p * noisy.length + j]!;
          });
        }
        xs[k] = z.dataSync() as Float32Array;
        zs[k] = full;
        if (k > 0) {
          const h = tk - times[k - 1]!;
          const beta = family.schedule.beta(tk);
          const noise = rng.normalFloat32(P * D);
          const next = tf.tidy(() => {
            // z ← z − h(βF_base z − √βΓẑ) + √(βh) Γ ξ.
            const drift = tf.sub(
              applyMatrix(z, family.baseDrift.scale(beta)),
              tf.tensor2d(full, [P, D]).mul(
                tf.tensor2d(
                  Float32Array.from(family.noiseScale, (g) => Math.sqrt(beta) * g),
                  [1, D],
                ),
              ),
            );
            const kick = tf.tensor2d(noise, [P, D]).mul(
              tf.tensor2d(
                Float32Array.from(family.noiseScale, (g) => Math.sqrt(beta * h) * g),
                [1, D],
              ),
            );
            return tf.add(tf.sub(z, tf.mul(drift, h)), kick) as tf.Tensor2D;
          });
          z.dispose();
          z = next;
        }
        zhat.dispose();
      }
    } finally {
      z.dispose();
    }
    return { xs, zs };
  };

  const forwardStep = (step: number, stage: number): number => {
    trajectories ??= simulate(stage);
    const rng = root.fork(`sa-${step}`);
    const rows = rng.randint(Math.min(options.saBatch, options.samplePaths), options.samplePaths);
    const stats = trajectoryStatistics({
      times,
      dts,
      xs: trajectories.xs,
      zs: trajectories.zs,
      dim: D,
      rows,
    });
    const live = family.withParams(options.initialPolicy, policy.live);
    const matricesNow = Array.from(times, (t) => family.matrixAt(live, t));
    const { loss, grads } = linearPolicyObjective({
      matrices: matricesNow,
      stats,
      schedule: family.schedule,
      zeta: options.zeta,
      noiseScale: family.noiseScale,
    });
    const g = family.gradient(live, times, grads);
    policyOptimizerStep(options.policyOptimizer, policy.optimizer, policy.live, g);
    for (const [name, p] of Object.entries(policy.live)) {
      const e = policy.ema[name]!;
      for (let i = 0; i < p.length; i++) e[i] = options.emaDecay * e[i]! + (1 - options.emaDecay) * p[i]!;
    }
    return loss;
  };

  return {
    step(step: number): PhasedLoss {
      const pos = stagePosition(step, options.dsmSteps, options.saSteps);
      if (pos.stage !== policy.stageIndex) {
        policy.stage = copy(policy.ema);
        policy.stageIndex = pos.stage;
        prepareStage();
      }
      return pos.phase === 'backward'
        ? { loss: backwardStep(step), phase: 'backward' }
        : { loss: forwardStep(step, pos.stage), phase: 'forward' };
    },
    snapshot() {
      const { tensors, json } = stateToNamedArrays(net);
      const all: Record<string, NamedArray> = {};
      for (const [name, a] of Object.entries(tensors)) {
        all[name] = { dtype: 'F32', shape: [...a.shape], data: a.data };
      }
      Object.assign(
        all,
        f64Arrays('policy/', policy.live),
        f64Arrays('policy-ema/', policy.ema),
        f64Arrays('policy-stage/', policy.stage),
        f64Arrays('policy-adam.m/', policy.optimizer.m),
        f64Arrays('policy-adam.v/', policy.optimizer.v),
      );
      return {
        state: {
          net: json as unknown as JsonValue,
          policyStep: policy.optimizer.step,
          stageIndex: policy.stageIndex,
        },
        tensors: all,
      };
    },
    model() {
      const tensors: Record<string, NamedArray> = {};
      for (const [name, t] of Object.entries(net.ema!.params)) {
        tensors[`params/${name}`] = {
          dtype: 'F32',
          shape: [...t.shape],
          data: Float32Array.from(t.dataSync()),
        };
      }
      // The policy the network was last trained against (the stage's frozen EMA policy), so that the
      // backward network, the prior N(0, Σ_1) and the probability-flow drift all agree.
      Object.assign(tensors, f64Arrays('policy/', policy.stage));
      return {
        config: {
          ...options.modelConfig,
          parameterization,
          prior: options.prior ?? 'adaptive',
          ...(options.moments === undefined ? {} : { moments: { ...options.moments } }),
          graph: graph as unknown as JsonValue,
        },
        tensors,
      };
    },
    dispose() {
      disposeTrainState(net);
    },
  };
}
