import {
  arraysToParams,
  fromCheckpointArrays,
  paramsToArrays,
  toCheckpointArrays,
} from '@bridgekit/baselines';
import type { JsonValue, NamedArray } from '@bridgekit/checkpoint';
import { Rng, tf } from '@bridgekit/core';
import {
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
import {
  bridgeMatchingRows,
  correctorRows,
  type EndpointPairs,
  reciprocalAdjointRows,
} from './bridge-targets.js';
import { type Control, simulateControlled } from './controlled-sde.js';
import type { RegressionRows } from './eam-targets.js';
import type { Energy } from './energy.js';
import { evaluateField } from './evaluate-field.js';
import type { ReferenceProcess } from './reference-process.js';

/** Everything that shapes an ASBS / ASBM run besides the data, the energy, the reference and the seed. */
export interface AsbmSettings {
  /** Stage 1: alternations of corrector matching and adjoint matching (ASBS's stages). */
  readonly rounds: number;
  /** Gradient steps of corrector matching per round (ignored for a Dirac source: its corrector is exact). */
  readonly correctorSteps: number;
  /** Gradient steps of adjoint matching per round. */
  readonly adjointSteps: number;
  /** Stage 2: gradient steps of bridge matching on the stage-1 coupling (0 for ASBS alone). */
  readonly bridgeSteps: number;
  /** Paths simulated per refresh of the replay buffer. */
  readonly paths: number;
  /** Gradient steps between refreshes. */
  readonly resampleEvery: number;
  /** Pairs the replay buffer keeps (first in, first out); it is emptied when a phase starts. */
  readonly bufferSize: number;
  /** Regression rows per gradient step. */
  readonly batch: number;
  /** Steps of the forward controlled SDE (the forward simulation's NFE). */
  readonly forwardSteps: number;
  readonly lr: number;
  readonly weightDecay: number;
  /** Rows of ∇E longer than this are scaled down to it (AS/ASBS's energy-gradient clipping). */
  readonly gradClip: number;
  /** Stage 2 draws t from [t0, 1 − t0]. */
  readonly t0: number;
}

/** What an ASBS / ASBM session needs. */
export interface AsbmSessionOptions {
  readonly reference: ReferenceProcess;
  /** The target energy (ASBS) or the energy-defined prior (ASBM), in the networks' coordinates. */
  readonly energy: Energy;
  /**
   * The source μ at t = 0: data rows ([n × dim], ASBM) or 'dirac' (X₀ = 0: Adjoint Sampling, whose
   * corrector ∇ log p_ref(x | 0) = −x/V(0, 1) is exact, so its corrector phases are skipped).
   */
  readonly source: Float32Array | 'dirac';
  readonly dim: number;
  /** The network of every field (control û, corrector h, stage-2 velocity and score): [x, t] → R^dim. */
  readonly graph: Graph;
  readonly settings: AsbmSettings;
  readonly seed: number;
  /** JSON saved with the inference model beside the graph (method, reference, prior, …). */
  readonly modelConfig?: { readonly [key: string]: JsonValue };
}

/** The phases of a run, in order: per round 'corrector' then 'adjoint', then 'bridge'. */
export type AsbmPhase = 'corrector' | 'adjoint' | 'bridge';

/** An ASBM session: a {@link TrainingSession} that also says where a step falls. */
export interface AsbmSession extends TrainingSession {
  /** The phase of step k and the step its phase started at. */
  phaseOf(step: number): { phase: AsbmPhase; start: number; round: number };
  /** Total steps: rounds·(correctorSteps + adjointSteps) + bridgeSteps. */
  readonly totalSteps: number;
  /** The current fields, for sampling inside a run (tensors stay the session's). */
  fields(): AsbmFields;
}

/** The four networks' parameters. */
export interface AsbmFields {
  readonly graph: Graph;
  readonly control: Params;
  readonly corrector: Params;
  readonly velocity: Params;
  readonly score: Params;
}

const NETS = ['control', 'corrector', 'velocity', 'score'] as const;
type NetName = (typeof NETS)[number];

interface Buffer {
  x0: Float32Array;
  x1: Float32Array;
  /** ã₁ per pair, adjoint phases only. */
  adjoint?: Float32Array;
  count: number;
}

interface SessionJson {
  nets: Record<NetName, TrainStateJson>;
  buffer: { count: number; phaseStart: number } | null;
}

/**
 * Adjoint Schrödinger Bridge Matching (algorithms.md §7; ASBS §6 as its stage 1) as one resumable
 * {@link TrainingSession}:
 *
 * - stage 1, `rounds` times: corrector matching h(X₁) ≈ ∇ log p_ref(X₁ | X₀) on pairs simulated with
 *   the current control, then reciprocal adjoint matching û(X_t, t) ≈ −Φ(1, t)(∇E(X₁) + h(X₁)) on
 *   reference bridges (the first round's corrector sees the reference itself, as the control starts at 0);
 * - stage 2: bridge matching of the backward score and the probability-flow velocity on pairs
 *   (X₀, X₁) simulated with the final control (§7.3; see {@link bridgeMatchingRows}).
 *
 * Every step is `regressionStep` on rows computed apart from the network. Simulations and batches draw
 * from `Rng(seed).fork(…)` streams named by the step, and the replay buffer is part of the snapshot,
 * so a run resumed at any step — inside either stage — continues exactly.
 */
export function asbmSession(
  options: AsbmSessionOptions,
  restored?: { state: JsonValue; tensors: Record<string, NamedArray> },
): AsbmSession {
  const { reference, energy, graph, dim, settings } = options;
  checkSettings(settings);
  if (graph.inputDim !== dim || graph.outputDim !== dim) {
    throw new RangeError(
      `asbmSession: graph must map R^${dim} (and t) to R^${dim}, got inputDim ${graph.inputDim}, outputDim ${graph.outputDim}`,
    );
  }
  const dirac = options.source === 'dirac';
  const data = dirac ? undefined : (options.source as Float32Array);
  if (data !== undefined && (data.length === 0 || data.length % dim !== 0)) {
    throw new RangeError(
      `asbmSession: source must hold n·dim values with n ≥ 1 (dim = ${dim}), got ${data.length}`,
    );
  }
  const correctorSteps = dirac ? 0 : settings.correctorSteps;
  const perRound = correctorSteps + settings.adjointSteps;
  const stage1 = settings.rounds * perRound;
  const totalSteps = stage1 + settings.bridgeSteps;
  const root = new Rng(options.seed);

  const nets = {} as Record<NetName, TrainState>;
  let buffer: Buffer | undefined;
  let bufferPhase = -1;
  if (restored === undefined) {
    for (const name of NETS) {
      nets[name] = createTrainState(graph, root.fork(`init-${name}`), {
        kind: 'adamw',
        lr: settings.lr,
        weightDecay: settings.weightDecay,
      });
    }
    // The control starts at û = 0: training begins from the reference process.
    for (const key of Object.keys(nets.control.params).filter((k) => k.startsWith('out.'))) {
      const old = nets.control.params[key]!;
      nets.control.params[key] = tf.zerosLike(old);
      old.dispose();
    }
  } else {
    const json = restored.state as unknown as SessionJson;
    for (const name of NETS) {
      const arrays: Record<string, NamedArray> = {};
      for (const [key, a] of Object.entries(restored.tensors)) {
        if (key.startsWith(`${name}/`)) arrays[key.slice(name.length + 1)] = a;
      }
      nets[name] = stateFromNamedArrays(json.nets[name], fromCheckpointArrays(arrays, 'checkpoint'));
    }
    if (json.buffer !== null) {
      const b = restored.tensors;
      buffer = {
        x0: Float32Array.from(b['buffer/x0']!.data as Float32Array),
        x1: Float32Array.from(b['buffer/x1']!.data as Float32Array),
        ...(b['buffer/adjoint'] === undefined
          ? {}
          : { adjoint: Float32Array.from(b['buffer/adjoint'].data as Float32Array) }),
        count: json.buffer.count,
      };
      bufferPhase = json.buffer.phaseStart;
    }
  }

  const phaseOf = (step: number): { phase: AsbmPhase; start: number; round: number } => {
    if (step >= stage1) return { phase: 'bridge', start: stage1, round: settings.rounds };
    const round = Math.floor(step / perRound);
    const within = step - round * perRound;
    return within < correctorSteps
      ? { phase: 'corrector', start: round * perRound, round }
      : { phase: 'adjoint', start: round * perRound + correctorSteps, round };
  };

  const control: Control = (x, t) => evaluateField(graph, nets.control.params, x, t);
  const corrector = (x1: tf.Tensor2D): tf.Tensor2D =>
    dirac
      ? (tf.mul(x1, -1 / reference.transitionVariance(0, 1)) as tf.Tensor2D)
      : evaluateField(graph, nets.corrector.params, x1, 1);

  /** Simulates `paths` pairs with the current control; ã₁ too in an adjoint phase. */
  const simulate = (rng: Rng, withAdjoint: boolean) => {
    const n = settings.paths;
    const x0Host = new Float32Array(n * dim);
    if (data !== undefined) {
      const rows = data.length / dim;
      const index = rng.fork('source').randint(n, rows);
      for (let i = 0; i < n; i++) x0Host.set(data.subarray(index[i]! * dim, (index[i]! + 1) * dim), i * dim);
    }
    const x0 = tf.tensor2d(x0Host, [n, dim]);
    const path = simulateControlled({
      reference,
      control,
      x0,
      steps: settings.forwardSteps,
      rng: rng.fork('noise'),
    });
    x0.dispose();
    const x1 = Float32Array.from(path.x1.dataSync());
    let adjoint: Float32Array | undefined;
    if (withAdjoint) {
      adjoint = tf.tidy(() => {
        const grad = energy.gradient(path.x1);
        const norms = tf.norm(grad, 'euclidean', 1, true);
        const factor = tf.minimum(1, tf.div(settings.gradClip, tf.maximum(norms, 1e-12)));
        return Float32Array.from(tf.add(tf.mul(grad, factor), corrector(path.x1)).dataSync());
      });
    }
    path.x1.dispose();
    return { x0: x0Host, x1, adjoint };
  };

  const push = (fresh: { x0: Float32Array; x1: Float32Array; adjoint?: Float32Array | undefined }) => {
    const cap = settings.bufferSize;
    const n = fresh.x1.length / dim;
    const keep = Math.min(buffer?.count ?? 0, cap - Math.min(n, cap));
    const take = Math.min(n, cap);
    const count = keep + take;
    const next: Buffer = { x0: new Float32Array(count * dim), x1: new Float32Array(count * dim), count };
    if (fresh.adjoint !== undefined) next.adjoint = new Float32Array(count * dim);
    if (buffer !== undefined && keep > 0) {
      const from = (buffer.count - keep) * dim;
      next.x0.set(buffer.x0.subarray(from, buffer.count * dim));
      next.x1.set(buffer.x1.subarray(from, buffer.count * dim));
      if (next.adjoint !== undefined && buffer.adjoint !== undefined) {
        next.adjoint.set(buffer.adjoint.subarray(from, buffer.count * dim));
      }
    }
    const src = (n - take) * dim;
    next.x0.set(fresh.x0.subarray(src), keep * dim);
    next.x1.set(fresh.x1.subarray(src), keep * dim);
    if (next.adjoint !== undefined) next.adjoint.set(fresh.adjoint!.subarray(src), keep * dim);
    buffer = next;
  };

  /** The batch's pairs (and ã₁), drawn uniformly from the buffer. */
  const draw = (rng: Rng) => {
    const b = settings.batch;
    const index = rng.randint(b, buffer!.count);
    const x0 = new Float32Array(b * dim);
    const x1 = new Float32Array(b * dim);
    const adjoint = buffer!.adjoint === undefined ? undefined : new Float32Array(b * dim);
    for (let i = 0; i < b; i++) {
      const from = index[i]! * dim;
      x0.set(buffer!.x0.subarray(from, from + dim), i * dim);
      x1.set(buffer!.x1.subarray(from, from + dim), i * dim);
      adjoint?.set(buffer!.adjoint!.subarray(from, from + dim), i * dim);
    }
    return { pairs: { x0, x1, dim } as EndpointPairs, adjoint };
  };

  const fit = (name: NetName, rows: RegressionRows): number => {
    const b = rows.t.length;
    const batch = {
      x: tf.tensor2d(rows.x, [b, dim]),
      t: tf.tensor1d(rows.t),
      target: tf.tensor2d(rows.target, [b, dim]),
    };
    try {
      const result = regressionStep(nets[name], batch);
      nets[name] = result.state;
      return result.loss;
    } finally {
      tf.dispose([batch.x, batch.t, batch.target]);
    }
  };

  return {
    totalSteps,
    phaseOf,
    step(step: number): PhasedLoss {
      if (!Number.isSafeInteger(step) || step < 0 || step >= totalSteps) {
        throw new RangeError(`asbmSession.step: step must be an integer in [0, ${totalSteps}), got ${step}`);
      }
      const { phase, start } = phaseOf(step);
      if (bufferPhase !== start) {
        buffer = undefined;
        bufferPhase = start;
      }
      if (buffer === undefined || (step - start) % settings.resampleEvery === 0) {
        push(simulate(root.fork(`simulate-${step}`), phase === 'adjoint'));
      }
      const rng = root.fork(`batch-${step}`);
      const { pairs, adjoint } = draw(rng.fork('pairs'));
      const b = settings.batch;
      if (phase === 'corrector') {
        return { phase, loss: fit('corrector', correctorRows({ reference, pairs })) };
      }
      if (phase === 'adjoint') {
        const rows = reciprocalAdjointRows({
          reference,
          pairs,
          terminalAdjoint: adjoint!,
          t: rng.fork('t').uniformFloat32(b),
          eps: rng.fork('eps').normalFloat32(b * dim),
        });
        return { phase, loss: fit('control', rows) };
      }
      const u = rng.fork('t').uniform(b);
      const t = Float32Array.from(u, (v) => settings.t0 + (1 - 2 * settings.t0) * v);
      const rows = bridgeMatchingRows({ reference, pairs, t, eps: rng.fork('eps').normalFloat32(b * dim) });
      const velocityLoss = fit('velocity', { x: rows.x, t: rows.t, target: rows.velocity });
      fit('score', { x: rows.x, t: rows.t, target: rows.score });
      return { phase, loss: velocityLoss };
    },
    snapshot() {
      const tensors: Record<string, NamedArray> = {};
      const nets_ = {} as Record<NetName, TrainStateJson>;
      for (const name of NETS) {
        const { tensors: arrays, json } = stateToNamedArrays(nets[name]);
        for (const [key, a] of Object.entries(toCheckpointArrays(arrays))) tensors[`${name}/${key}`] = a;
        nets_[name] = json;
      }
      if (buffer !== undefined) {
        const shape = [buffer.count, dim];
        tensors['buffer/x0'] = { dtype: 'F32', shape, data: buffer.x0 };
        tensors['buffer/x1'] = { dtype: 'F32', shape, data: buffer.x1 };
        if (buffer.adjoint !== undefined)
          tensors['buffer/adjoint'] = { dtype: 'F32', shape, data: buffer.adjoint };
      }
      const state: SessionJson = {
        nets: nets_,
        buffer: buffer === undefined ? null : { count: buffer.count, phaseStart: bufferPhase },
      };
      return { state: state as unknown as JsonValue, tensors };
    },
    model() {
      const tensors: Record<string, NamedArray> = {};
      for (const name of NETS) Object.assign(tensors, paramsToArrays(nets[name].params, `${name}/`));
      return { config: { ...options.modelConfig, graph: graph as unknown as JsonValue }, tensors };
    },
    fields() {
      return {
        graph,
        control: nets.control.params,
        corrector: nets.corrector.params,
        velocity: nets.velocity.params,
        score: nets.score.params,
      };
    },
    dispose() {
      for (const name of NETS) disposeTrainState(nets[name]);
    },
  };
}

/** The four fields of a saved ASBM model (the caller owns the tensors). */
export function fieldsFromArrays(
  graph: Graph,
  arrays: Record<string, NamedArray>,
  source: string,
): AsbmFields {
  return {
    graph,
    control: arraysToParams(arrays, 'control/', source),
    corrector: arraysToParams(arrays, 'corrector/', source),
    velocity: arraysToParams(arrays, 'velocity/', source),
    score: arraysToParams(arrays, 'score/', source),
  };
}

/** Validates settings given in code (the CLI's options are checked against their declared ranges already). */
function checkSettings(s: AsbmSettings): void {
  const where = 'asbmSession: settings';
  const integers: [string, number, number][] = [
    ['rounds', s.rounds, 0],
    ['correctorSteps', s.correctorSteps, 0],
    ['adjointSteps', s.adjointSteps, 0],
    ['bridgeSteps', s.bridgeSteps, 0],
    ['paths', s.paths, 1],
    ['resampleEvery', s.resampleEvery, 1],
    ['bufferSize', s.bufferSize, 1],
    ['batch', s.batch, 1],
    ['forwardSteps', s.forwardSteps, 1],
  ];
  for (const [name, v, min] of integers) {
    if (!Number.isSafeInteger(v) || v < min)
      throw new RangeError(`${where}.${name} must be an integer ≥ ${min}, got ${v}`);
  }
  if (s.rounds * (s.correctorSteps + s.adjointSteps) + s.bridgeSteps < 1) {
    throw new RangeError(
      `${where}: rounds·(correctorSteps + adjointSteps) + bridgeSteps must be ≥ 1, got 0 steps`,
    );
  }
  for (const [name, v] of [
    ['lr', s.lr],
    ['weightDecay', s.weightDecay],
  ] as const) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`${where}.${name} must be a finite number ≥ 0, got ${v}`);
    }
  }
  if (!(s.gradClip > 0)) throw new RangeError(`${where}.gradClip must be a number > 0, got ${s.gradClip}`);
  if (!(s.t0 > 0 && s.t0 < 0.5)) throw new RangeError(`${where}.t0 must lie in (0, 0.5), got ${s.t0}`);
}
