import { type Rng, tf } from '@bridgekit/core';
import type { Params } from './apply.js';
import { linspace } from './fourier-features.js';
import type { Graph, ParamSpec } from './graph.js';
import { validateGraph } from './validate-graph.js';

/**
 * Draws initial weights for a graph on the host (see {@link ParamInit} for each rule) and uploads
 * them as float32 tensors; the caller owns them.
 *
 * Parameter `name` draws from `rng.fork('param:' + name)`, so the weights are a deterministic
 * function of the generator's seed and the names: the same on every backend, independent of the
 * order of `graph.params`, and `rng` itself is not advanced.
 */
export function initParams(graph: Graph, rng: Rng): Params {
  validateGraph(graph);
  const params: Params = {};
  try {
    for (const spec of graph.params) {
      params[spec.name] = tf.tensor(initialValues(spec, rng.fork(`param:${spec.name}`)), spec.shape);
    }
  } catch (error) {
    for (const p of Object.values(params)) p.dispose();
    throw error;
  }
  return params;
}

/** The float32 initial values of one parameter, computed in float64 and rounded once. */
export function initialValues(spec: ParamSpec, rng: Rng): Float32Array {
  const n = spec.shape.reduce((a, d) => a * d, 1);
  const { fanIn, fanOut } = fans(spec.shape);
  // Plain loops: Float32Array.from with a map function is ~4× slower at 10⁶ values.
  const scaled = (values: Float64Array, f: (v: number) => number) => {
    const out = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = f(values[i]!);
    return out;
  };
  const uniform = (bound: number) => scaled(rng.uniform(n), (u) => (2 * u - 1) * bound);
  const init = spec.init;
  switch (init.kind) {
    case 'zeros':
      return new Float32Array(n);
    case 'ones':
      return new Float32Array(n).fill(1);
    case 'normal':
      return scaled(rng.normal(n), (z) => z * init.std);
    case 'uniform':
      return uniform(init.bound);
    case 'glorot-uniform':
      return uniform(Math.sqrt(6 / (fanIn + fanOut)));
    case 'he-uniform':
      return uniform(Math.sqrt(6 / fanIn));
    case 'torch-linear':
      return uniform(1 / Math.sqrt(init.fanIn));
    case 'linspace':
      return Float32Array.from(linspace(init.from, init.to, n));
    case 'identity': {
      const [rows, cols] = spec.shape as [number, number];
      const out = new Float32Array(n);
      for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = 1;
      return out;
    }
  }
}

/** Fans of a weight: [n] → (n, n); [in, out] → (in, out); HWIO [h, w, i, o] → (h·w·i, h·w·o). */
function fans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 4) {
    const [h, w, i, o] = shape as [number, number, number, number];
    return { fanIn: h * w * i, fanOut: h * w * o };
  }
  return { fanIn: shape[0]!, fanOut: shape[1] ?? shape[0]! };
}
