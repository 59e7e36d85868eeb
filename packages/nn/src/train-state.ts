import { type Rng, tf } from '@bridgekit/core';
import { type AdamState, initAdamState } from './adam.js';
import type { Params } from './apply.js';
import type { Graph } from './graph.js';
import { initParams } from './init-params.js';
import { checkLrSchedule, constantLr, type LrSchedule } from './lr-schedule.js';
import { validateGraph } from './validate-graph.js';

/** The optimiser of a {@link TrainState}, as JSON data (hyperparameters and schedule). */
export interface OptimizerConfig {
  kind: 'adam' | 'adamw';
  lr: LrSchedule;
  beta1: number;
  beta2: number;
  eps: number;
  /** L2 for 'adam' (added to the gradient), decoupled for 'adamw'. */
  weightDecay: number;
  /** Clip the global gradient norm to this before each update (omit for no clipping). */
  clipNorm?: number;
}

/**
 * Everything a training step needs, as data: the graph, its parameters, the optimiser (config +
 * moments + step count) and optionally an EMA of the parameters. Apart from the tensors it is
 * JSON-describable ({@link stateToNamedArrays}).
 *
 * Ownership: a state owns its tensors. A step function ({@link regressionStep}, {@link vjpStep},
 * {@link gradientStep}) consumes the state it is given — its tensors are disposed — and returns a
 * new state owning fresh tensors. Keep using only the returned state; release the last one with
 * {@link disposeTrainState}.
 */
export interface TrainState {
  graph: Graph;
  params: Params;
  optimizer: OptimizerConfig & { state: AdamState };
  ema?: { decay: number; params: Params };
}

/** Optimiser options of {@link createTrainState}; omitted fields take PyTorch's defaults. */
export interface OptimizerOptions {
  /** Default 'adam'. */
  kind?: 'adam' | 'adamw';
  /** A number means a constant rate. */
  lr: number | LrSchedule;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Default 0 for 'adam', 0.01 for 'adamw' (as PyTorch). */
  weightDecay?: number;
  clipNorm?: number;
}

/**
 * A fresh training state: parameters from {@link initParams}(graph, rng), zero Adam moments at
 * step 0, and, when `emaDecay` is given, an EMA initialised to a copy of the parameters.
 */
export function createTrainState(
  graph: Graph,
  rng: Rng,
  optimizer: OptimizerOptions,
  options: { emaDecay?: number } = {},
): TrainState {
  const config = optimizerConfig(optimizer);
  validateGraph(graph);
  const { emaDecay } = options;
  if (emaDecay !== undefined && !(emaDecay >= 0 && emaDecay <= 1)) {
    throw new RangeError(`createTrainState: options.emaDecay must be in [0, 1], got ${emaDecay}`);
  }
  const params = initParams(graph, rng);
  const state: TrainState = { graph, params, optimizer: { ...config, state: initAdamState(params) } };
  if (emaDecay !== undefined) state.ema = { decay: emaDecay, params: cloneAll(params) };
  return state;
}

/** Fills defaults and validates optimiser options; errors name the field and the valid range. */
export function optimizerConfig(options: OptimizerOptions): OptimizerConfig {
  const kind = options.kind ?? 'adam';
  if (kind !== 'adam' && kind !== 'adamw') {
    throw new RangeError(`optimizer.kind must be 'adam' or 'adamw', got '${String(kind)}'`);
  }
  const lr =
    typeof options.lr === 'number' ? constantLr(options.lr) : checkLrSchedule(options.lr, 'optimizer.lr');
  const config: OptimizerConfig = {
    kind,
    lr,
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? (kind === 'adamw' ? 0.01 : 0),
  };
  for (const key of ['beta1', 'beta2'] as const) {
    if (!(config[key] >= 0 && config[key] < 1)) {
      throw new RangeError(`optimizer.${key} must be in [0, 1), got ${config[key]}`);
    }
  }
  if (!(config.eps > 0)) throw new RangeError(`optimizer.eps must be positive, got ${config.eps}`);
  if (!(config.weightDecay >= 0)) {
    throw new RangeError(`optimizer.weightDecay must be ≥ 0, got ${config.weightDecay}`);
  }
  if (options.clipNorm !== undefined) {
    if (!(options.clipNorm > 0))
      throw new RangeError(`optimizer.clipNorm must be positive, got ${options.clipNorm}`);
    config.clipNorm = options.clipNorm;
  }
  return config;
}

/** Disposes every tensor a training state owns. */
export function disposeTrainState(state: TrainState): void {
  tf.dispose([
    ...Object.values(state.params),
    ...Object.values(state.optimizer.state.m),
    ...Object.values(state.optimizer.state.v),
    ...Object.values(state.ema?.params ?? {}),
  ]);
}

function cloneAll(params: Params): Params {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, tf.clone(v)]));
}
