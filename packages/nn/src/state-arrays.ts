import { tf } from '@bridgekit/core';
import type { NamedTensors } from './adam.js';
import type { Graph } from './graph.js';
import { type OptimizerConfig, optimizerConfig, type TrainState } from './train-state.js';
import { validateGraph } from './validate-graph.js';

/** One tensor as host data, the unit a checkpoint format (e.g. safetensors) stores. */
export interface NamedArray {
  dtype: 'float32';
  shape: number[];
  data: Float32Array;
}

/** The non-tensor part of a {@link TrainState}: plain JSON. */
export interface TrainStateJson {
  format: 'bridgekit-train-state';
  version: 1;
  graph: Graph;
  optimizer: OptimizerConfig & { step: number };
  ema?: { decay: number };
}

/** Name prefixes of the tensors of a saved state: 'params/<name>', 'ema/<name>', 'adam.m/<name>', 'adam.v/<name>'. */
export const STATE_PREFIXES = {
  params: 'params/',
  ema: 'ema/',
  m: 'adam.m/',
  v: 'adam.v/',
} as const;

/**
 * Splits a training state into named host arrays and JSON, for a checkpoint writer. Tensor names are
 * the parameter names with the prefixes of {@link STATE_PREFIXES}; the arrays are copies, so the
 * state stays valid and owned by the caller.
 */
export function stateToNamedArrays(state: TrainState): {
  tensors: Record<string, NamedArray>;
  json: TrainStateJson;
} {
  const tensors: Record<string, NamedArray> = {};
  const put = (prefix: string, group: NamedTensors) => {
    for (const [name, t] of Object.entries(group)) {
      tensors[prefix + name] = {
        dtype: 'float32',
        shape: [...t.shape],
        data: Float32Array.from(t.dataSync()),
      };
    }
  };
  put(STATE_PREFIXES.params, state.params);
  put(STATE_PREFIXES.m, state.optimizer.state.m);
  put(STATE_PREFIXES.v, state.optimizer.state.v);
  if (state.ema !== undefined) put(STATE_PREFIXES.ema, state.ema.params);
  const { state: adamState, ...config } = state.optimizer;
  const json: TrainStateJson = {
    format: 'bridgekit-train-state',
    version: 1,
    graph: state.graph,
    optimizer: { ...config, step: adamState.step },
  };
  if (state.ema !== undefined) json.ema = { decay: state.ema.decay };
  // A JSON round trip here proves the description is plain data and detaches it from the live state.
  return { tensors, json: JSON.parse(JSON.stringify(json)) as TrainStateJson };
}

/**
 * Rebuilds a training state from {@link stateToNamedArrays} output (e.g. after a checkpoint
 * round trip): validates the JSON and that every expected tensor is present with its declared
 * shape and no unexpected one is, then uploads copies of the arrays. The caller owns the new state.
 */
export function stateFromNamedArrays(json: TrainStateJson, tensors: Record<string, NamedArray>): TrainState {
  if (json?.format !== 'bridgekit-train-state' || json.version !== 1) {
    throw new RangeError(
      `json must be a 'bridgekit-train-state' version 1 description, got format ${JSON.stringify(json?.format)} version ${JSON.stringify(json?.version)}`,
    );
  }
  validateGraph(json.graph);
  const { step, ...rest } = json.optimizer;
  const config = optimizerConfig(rest);
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`json.optimizer.step must be a non-negative integer, got ${String(step)}`);
  }
  if (json.ema !== undefined && !(json.ema.decay >= 0 && json.ema.decay <= 1)) {
    throw new RangeError(`json.ema.decay must be in [0, 1], got ${String(json.ema.decay)}`);
  }

  const groups: [keyof typeof STATE_PREFIXES, string][] = [
    ['params', STATE_PREFIXES.params],
    ['m', STATE_PREFIXES.m],
    ['v', STATE_PREFIXES.v],
  ];
  if (json.ema !== undefined) groups.push(['ema', STATE_PREFIXES.ema]);
  const expected = new Set<string>();
  for (const [, prefix] of groups) {
    for (const spec of json.graph.params) {
      const key = prefix + spec.name;
      expected.add(key);
      const a = tensors[key];
      if (a === undefined) throw new RangeError(`tensors is missing '${key}'`);
      if (a.dtype !== 'float32')
        throw new RangeError(`tensors['${key}'].dtype must be 'float32', got '${a.dtype}'`);
      const size = spec.shape.reduce((p, d) => p * d, 1);
      if (
        a.shape.length !== spec.shape.length ||
        a.shape.some((d, i) => d !== spec.shape[i]) ||
        a.data.length !== size
      ) {
        throw new RangeError(
          `tensors['${key}'] has shape [${a.shape.join(', ')}] and ${a.data.length} values; the graph declares [${spec.shape.join(', ')}]`,
        );
      }
    }
  }
  for (const key of Object.keys(tensors)) {
    if (!expected.has(key)) {
      throw new RangeError(
        `tensors has an unexpected entry '${key}' (expected ${[...groups.map(([, p]) => `'${p}…'`)].join(', ')} for the graph's parameters)`,
      );
    }
  }

  // Copies, because a cpu-backend tensor may alias the array it was made from.
  const load = (prefix: string): NamedTensors =>
    Object.fromEntries(
      json.graph.params.map((spec) => [
        spec.name,
        tf.tensor(tensors[prefix + spec.name]!.data.slice(), spec.shape),
      ]),
    );
  const state: TrainState = {
    graph: json.graph,
    params: load(STATE_PREFIXES.params),
    optimizer: { ...config, state: { step, m: load(STATE_PREFIXES.m), v: load(STATE_PREFIXES.v) } },
  };
  if (json.ema !== undefined) state.ema = { decay: json.ema.decay, params: load(STATE_PREFIXES.ema) };
  return state;
}
