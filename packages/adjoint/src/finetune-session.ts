import {
  arraysToParams,
  fromCheckpointArrays,
  paramsToArrays,
  toCheckpointArrays,
} from '@bridgekit/baselines';
import type { JsonValue, NamedArray } from '@bridgekit/checkpoint';
import { normalTensor, Rng, tf } from '@bridgekit/core';
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
import { eulerOde, heunOde, uniformGrid } from '@bridgekit/samplers';
import type { PhasedLoss, TrainingSession } from '@bridgekit/train';
import { adjointMatchingRows, subsampleTimesteps } from './am-targets.js';
import { discreteAdjoint } from './discrete-adjoint.js';
import { eamRegressionRows, eamTerminalGradient, type RegressionRows } from './eam-targets.js';
import { evaluateField } from './evaluate-field.js';
import {
  evaluateFittedScore,
  type FittedScore,
  fitTerminalScore,
  terminalScoreGraph,
} from './fit-terminal-score.js';
import { memorylessFlowStep, sampleMemorylessFlow, type Velocity } from './memoryless-flow.js';
import type { Reward } from './reward.js';

/** The two reward fine-tuning methods. */
export type FinetuneMethodName = 'am' | 'eam';

/** Everything that shapes a fine-tuning run besides the model, the reward and the seed. */
export interface FinetuneSettings {
  readonly method: FinetuneMethodName;
  /** Reward multiplier λ ≥ 0: the target is p_base·e^{λr}. */
  readonly lambda: number;
  /** Trajectories (AM) or endpoints (EAM) simulated per collection. */
  readonly paths: number;
  /** Regression rows per path: AM's subsampled timesteps, EAM's re-noising times. */
  readonly timesPerPath: number;
  /** Gradient steps per collection (a replay buffer when > 1). */
  readonly passes: number;
  /** AdamW learning rate and decoupled weight decay. */
  readonly lr: number;
  readonly weightDecay: number;
  /** AM: steps of the memoryless SDE per trajectory. */
  readonly sdeSteps: number;
  /** Per-row loss clipping at an EMA of the 0.9-quantile of √loss (the AM code's); true/false. */
  readonly clip: boolean;
  /** EAM: steps of the deterministic sampler of endpoints, and which one. */
  readonly odeSteps: number;
  readonly odeSolver: 'euler' | 'heun';
  /** EAM: Tweedie's score of the base is taken at t = 1 − δ (also the noise level of a fitted score). */
  readonly delta: number;
  /**
   * EAM: the base's terminal score s₁ — 'fitted' by denoising score matching on the base's own samples
   * once at the start ({@link fitTerminalScore}), or read off the velocity by 'tweedie' (§8.2 as written).
   */
  readonly terminalScore: 'fitted' | 'tweedie';
}

/** What a fine-tuning session needs. */
export interface FinetuneSessionOptions {
  /** The flow model's graph: net(x, t) = v(x, t), t = 0 noise, t = 1 data. */
  readonly graph: Graph;
  /** The pretrained weights: frozen as the base, copied as the starting point. Stay the caller's. */
  readonly baseParams: Params;
  /**
   * The frozen base velocity the targets use (default: the graph with `baseParams`). An analytic velocity
   * (e.g. the exact flow of a known data law) separates the method's error from the pretrained network's.
   */
  readonly baseVelocity?: Velocity;
  /** The reward, in the network's coordinates. */
  readonly reward: Reward;
  /** Sizes of EAM's terminal-score fit (defaults: 10 000 samples, 1500 steps; see fitTerminalScore). */
  readonly scoreFit?: { readonly samples?: number; readonly steps?: number };
  readonly settings: FinetuneSettings;
  readonly seed: number;
}

/** Cumulative cost of a session: network evaluations per row, a backward pass counted as one more. */
export interface FinetuneCost {
  /** Row-evaluations spent simulating paths or endpoints, in adjoints, targets and clipping. */
  readonly sampling: number;
  /** Row-evaluations of the regression steps (forward + backward). */
  readonly training: number;
}

/** A training session that also reports what it has spent. */
export interface FinetuneSession extends TrainingSession {
  cost(): FinetuneCost;
}

/** A collection: AM's fixed rows; for EAM, endpoints (x) and ∇g(x) (target), re-noised at every step. */
type Buffer = RegressionRows;

interface SessionJson {
  net: TrainStateJson;
  clipThreshold: number | null;
  cost: FinetuneCost;
}

const CLIP_QUANTILE = 0.9;
const CLIP_EMA = 0.9;

/**
 * Reward fine-tuning of a flow model by Adjoint Matching ('am', algorithms.md §4) or Efficient Adjoint
 * Matching ('eam', §8, a derived reference design), as a {@link TrainingSession} for the shared training
 * loop. Every `passes` steps the session collects data with the current model (AM: memoryless SDE
 * trajectories and their lean adjoints along the base; EAM: few-step ODE endpoints and the closed-form
 * terminal gradient); every step is then `regressionStep(state, rows)`: the methods differ only in the
 * regression rows they compute, apart from the network. Collections and batches draw from
 * `Rng(seed).fork(…)` streams named by the step, and the buffer is part of the snapshot, so a resumed run
 * continues exactly.
 */
export function finetuneSession(
  options: FinetuneSessionOptions,
  restored?: { state: JsonValue; tensors: Record<string, NamedArray> },
): FinetuneSession {
  const { graph, baseParams, reward, settings } = options;
  checkSettings(settings);
  const dim = graph.outputDim;
  const root = new Rng(options.seed);
  let net: TrainState;
  let buffer: Buffer | undefined;
  let clipThreshold: number | undefined;
  let cost: FinetuneCost = { sampling: 0, training: 0 };
  if (restored === undefined) {
    net = createTrainState(graph, root.fork('init'), {
      kind: 'adamw',
      lr: settings.lr,
      weightDecay: settings.weightDecay,
    });
    for (const [name, t] of Object.entries(net.params)) {
      t.dispose();
      net.params[name] = tf.clone(baseParams[name]!);
    }
  } else {
    const json = restored.state as unknown as SessionJson;
    const netArrays: Record<string, NamedArray> = {};
    for (const [name, a] of Object.entries(restored.tensors)) {
      if (!name.startsWith('buffer/') && !name.startsWith('score/')) netArrays[name] = a;
    }
    net = stateFromNamedArrays(json.net, fromCheckpointArrays(netArrays, 'checkpoint'));
    clipThreshold = json.clipThreshold ?? undefined;
    cost = { ...json.cost };
    const b = restored.tensors;
    if (b['buffer/x'] !== undefined) {
      buffer = {
        x: b['buffer/x'].data as Float32Array,
        t: b['buffer/t']!.data as Float32Array,
        target: b['buffer/target']!.data as Float32Array,
        ...(b['buffer/weight'] === undefined ? {} : { weight: b['buffer/weight'].data as Float32Array }),
      };
    }
  }

  const velocityOf =
    (params: Params): Velocity =>
    (x, t) =>
      evaluateField(graph, params, x, t);
  const base = options.baseVelocity ?? velocityOf(baseParams);

  /** EAM's fitted terminal score: fitted on creation, restored from the snapshot on resume. */
  let fitted: FittedScore | undefined;
  if (settings.method === 'eam' && settings.terminalScore === 'fitted') {
    if (restored === undefined) {
      fitted = fitTerminalScore({
        velocity: base,
        dim,
        rng: root.fork('terminal-score'),
        sigma: settings.delta,
        ...options.scoreFit,
      });
      cost = { sampling: cost.sampling + fitted.cost, training: cost.training };
    } else {
      const params = arraysToParams(restored.tensors, 'score/', 'checkpoint');
      fitted = { graph: terminalScoreGraph(dim), params, sigma: settings.delta, cost: 0 };
    }
  }

  const addCost = (sampling: number, training: number) => {
    cost = { sampling: cost.sampling + sampling, training: cost.training + training };
  };

  const collectAm = (rng: Rng): Buffer => {
    const n = settings.paths;
    const times = uniformGrid(0, 1, settings.sdeSteps);
    const x0 = normalTensor<tf.Rank.R2>(rng.fork('prior'), [n, dim]);
    const states = sampleMemorylessFlow({
      velocity: velocityOf(net.params),
      x0,
      times,
      rng: rng.fork('noise'),
    });
    x0.dispose();
    let adjoints: tf.Tensor2D[] = [];
    try {
      const last = states[states.length - 1]!;
      const terminal = tf.tidy(() => tf.mul(reward.gradient(last), -settings.lambda) as tf.Tensor2D);
      try {
        adjoints = discreteAdjoint({
          step: memorylessFlowStep(base),
          path: { times, states },
          terminal,
        }).adjoints;
      } finally {
        terminal.dispose();
      }
      const picks = subsampleTimesteps(settings.sdeSteps, n, settings.timesPerPath, rng.fork('times'));
      const rows = adjointMatchingRows({ states, times, adjoints, baseVelocity: base, picks });
      // simulation K·n, adjoint K·n forward + backward, targets one base evaluation per row
      addCost(3 * settings.sdeSteps * n + rows.t.length, 0);
      return rows;
    } finally {
      tf.dispose(states);
      tf.dispose(adjoints);
    }
  };

  const collectEam = (rng: Rng): Buffer => {
    const n = settings.paths;
    const x0 = normalTensor<tf.Rank.R2>(rng.fork('prior'), [n, dim]);
    const field = { name: 'fine-tuned velocity', velocity: velocityOf(net.params) };
    const sampler = settings.odeSolver === 'heun' ? heunOde : eulerOde;
    const run = sampler(field, x0, uniformGrid(0, 1, settings.odeSteps));
    x0.dispose();
    try {
      const rewardGradient = reward.gradient(run.x);
      const gradG = eamTerminalGradient({
        x1: run.x,
        rewardGradient,
        lambda: settings.lambda,
        baseVelocity: base,
        delta: settings.delta,
        ...(fitted === undefined ? {} : { baseScore: (x: tf.Tensor2D) => evaluateFittedScore(fitted!, x) }),
      });
      rewardGradient.dispose();
      const rows: RegressionRows = {
        x: Float32Array.from(run.x.dataSync()),
        t: new Float32Array(n),
        target: Float32Array.from(gradG.dataSync()),
      };
      gradG.dispose();
      addCost(run.nfe * n + n, 0);
      return rows;
    } finally {
      run.x.dispose();
    }
  };

  /** EAM's rows for one step: every endpoint re-noised at `timesPerPath` fresh times. */
  const eamRows = (endpoints: RegressionRows, rng: Rng): RegressionRows => {
    const n = endpoints.t.length;
    const m = settings.timesPerPath;
    const x1 = new Float32Array(n * m * dim);
    const gradG = new Float32Array(n * m * dim);
    for (let i = 0; i < n; i++) {
      for (let r = 0; r < m; r++) {
        x1.set(endpoints.x.subarray(i * dim, (i + 1) * dim), (i * m + r) * dim);
        gradG.set(endpoints.target.subarray(i * dim, (i + 1) * dim), (i * m + r) * dim);
      }
    }
    return eamRegressionRows({
      x1,
      terminalGradient: gradG,
      dim,
      t: rng.uniformFloat32(n * m),
      eps: rng.normalFloat32(n * m * dim),
    });
  };

  /** Scales the weight of rows whose √loss exceeds the running threshold down to the threshold. */
  const clipWeights = (
    x: tf.Tensor2D,
    t: tf.Tensor1D,
    target: tf.Tensor2D,
    weight: Float32Array,
  ): Float32Array => {
    const losses = tf.tidy(() =>
      tf.mean(tf.square(tf.sub(apply(graph, net.params, x, t), target)), 1).dataSync(),
    );
    const roots = Float64Array.from(losses, (l, i) => Math.sqrt(l * weight[i]!));
    const sorted = Float64Array.from(roots).sort();
    const q = sorted[Math.min(sorted.length - 1, Math.floor(CLIP_QUANTILE * sorted.length))]!;
    const out = Float32Array.from(weight);
    if (clipThreshold !== undefined && clipThreshold > 0) {
      for (let i = 0; i < out.length; i++) {
        const r = roots[i]!;
        if (r > clipThreshold) out[i] = out[i]! * (clipThreshold / r) ** 2;
      }
    }
    clipThreshold = clipThreshold === undefined ? q : CLIP_EMA * clipThreshold + (1 - CLIP_EMA) * q;
    return out;
  };

  return {
    step(step: number): number | PhasedLoss {
      if (buffer === undefined || step % settings.passes === 0) {
        const rng = root.fork(`collect-${step - (step % settings.passes)}`);
        buffer = settings.method === 'am' ? collectAm(rng) : collectEam(rng);
      }
      const rows = settings.method === 'am' ? buffer : eamRows(buffer, root.fork(`batch-${step}`));
      const b = rows.t.length;
      const batch = {
        x: tf.tensor2d(rows.x, [b, dim]),
        t: tf.tensor1d(rows.t),
        target: tf.tensor2d(rows.target, [b, dim]),
      };
      let weight = rows.weight ?? new Float32Array(b).fill(1);
      try {
        if (settings.clip) {
          weight = clipWeights(batch.x, batch.t, batch.target, weight);
          addCost(b, 0);
        }
        const w = tf.tensor1d(weight);
        try {
          const result = regressionStep(net, { ...batch, weight: w });
          net = result.state;
          addCost(0, 2 * b);
          return result.loss;
        } finally {
          w.dispose();
        }
      } finally {
        tf.dispose([batch.x, batch.t, batch.target]);
      }
    },
    snapshot() {
      const { tensors, json } = stateToNamedArrays(net);
      const all: Record<string, NamedArray> = toCheckpointArrays(tensors);
      if (buffer !== undefined) {
        const n = buffer.t.length;
        all['buffer/x'] = { dtype: 'F32', shape: [n, dim], data: buffer.x };
        all['buffer/t'] = { dtype: 'F32', shape: [n], data: buffer.t };
        all['buffer/target'] = { dtype: 'F32', shape: [n, dim], data: buffer.target };
        if (buffer.weight !== undefined)
          all['buffer/weight'] = { dtype: 'F32', shape: [n], data: buffer.weight };
      }
      if (fitted !== undefined) Object.assign(all, paramsToArrays(fitted.params, 'score/'));
      const state: SessionJson = {
        net: json,
        clipThreshold: clipThreshold ?? null,
        cost,
      };
      return { state: state as unknown as JsonValue, tensors: all };
    },
    model() {
      return {
        config: { graph: graph as unknown as JsonValue },
        tensors: paramsToArrays(net.params, 'params/'),
      };
    },
    cost: () => cost,
    dispose() {
      disposeTrainState(net);
      if (fitted !== undefined) tf.dispose(Object.values(fitted.params));
    },
  };
}

/** Validates settings given in code (the CLI's options are checked against their declared ranges already). */
function checkSettings(s: FinetuneSettings): void {
  const where = 'finetuneSession: settings';
  if (s.method !== 'am' && s.method !== 'eam') {
    throw new RangeError(`${where}.method must be 'am' or 'eam', got ${JSON.stringify(s.method)}`);
  }
  if (s.odeSolver !== 'euler' && s.odeSolver !== 'heun') {
    throw new RangeError(`${where}.odeSolver must be 'euler' or 'heun', got ${JSON.stringify(s.odeSolver)}`);
  }
  const integers: [string, number, number][] = [
    ['paths', s.paths, 1],
    ['timesPerPath', s.timesPerPath, 1],
    ['passes', s.passes, 1],
    ['sdeSteps', s.sdeSteps, 2],
    ['odeSteps', s.odeSteps, 1],
  ];
  for (const [name, v, min] of integers) {
    if (!Number.isSafeInteger(v) || v < min) {
      throw new RangeError(`${where}.${name} must be an integer ≥ ${min}, got ${v}`);
    }
  }
  for (const [name, v] of [
    ['lambda', s.lambda],
    ['lr', s.lr],
    ['weightDecay', s.weightDecay],
  ] as const) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`${where}.${name} must be a finite number ≥ 0, got ${v}`);
    }
  }
  if (s.terminalScore !== 'fitted' && s.terminalScore !== 'tweedie') {
    throw new RangeError(
      `${where}.terminalScore must be 'fitted' or 'tweedie', got ${JSON.stringify(s.terminalScore)}`,
    );
  }
  if (!(s.delta > 0 && s.delta < 1)) throw new RangeError(`${where}.delta must be in (0, 1), got ${s.delta}`);
  if (typeof s.clip !== 'boolean') throw new RangeError(`${where}.clip must be true or false, got ${s.clip}`);
}
