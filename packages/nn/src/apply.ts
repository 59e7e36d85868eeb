import { conv2d, matmul, tf } from '@bridgekit/core';
import { graphActivation } from './activations.js';
import { addBias } from './add-bias.js';
import { avgPool2 } from './avg-pool2.js';
import { conv2dStride1 } from './conv2d-stride1.js';
import { fourierFeatures } from './fourier-features.js';
import type { Graph, GraphNode } from './graph.js';
import { groupNorm } from './group-norm.js';
import { sinusoidalEmbedding } from './sinusoidal-embedding.js';
import { upsample2 } from './upsample2.js';
import { type GraphAnalysis, validateGraph } from './validate-graph.js';

/** Named weights of a graph, keyed by {@link ParamSpec} name. */
export type Params = Record<string, tf.Tensor>;

/**
 * Runs a graph: net(x, t) for x [B, inputDim] and t [B], returning [B, outputDim].
 *
 * Each node is interpreted with core's ops (`matmul` with explicit-transpose gradients, the
 * second-order-safe activations, `conv2d` for strides > 1) and this package's layer functions
 * (`addBias`, `conv2dStride1`, `groupNorm`, `avgPool2`, `upsample2`, the time embeddings), all with
 * gradients that run fast on wasm and are right to second order. A graph is validated on its first
 * call and the analysis is kept per graph object (validation costs 150–370 µs, which every training
 * step and every sampler step would otherwise pay); graphs are data and must not be mutated after
 * use — build a new one instead.
 * Intermediate tensors are disposed; the caller owns the result and keeps ownership of the inputs.
 */
export function apply(graph: Graph, params: Params, x: tf.Tensor2D, t: tf.Tensor1D): tf.Tensor2D {
  const { order } = analysisOf(graph);
  checkParams(graph, params);
  if (x.rank !== 2 || x.shape[1] !== graph.inputDim) {
    throw new RangeError(`apply: x must be [B, ${graph.inputDim}], got shape [${x.shape.join(', ')}]`);
  }
  if (t.rank !== 1 || t.shape[0] !== x.shape[0]) {
    throw new RangeError(
      `apply: t must be [B] with B = ${x.shape[0]} (the batch of x), got shape [${t.shape.join(', ')}]`,
    );
  }
  return tf.tidy(() => {
    const values = new Map<string, tf.Tensor>();
    for (const node of order) values.set(node.id, evaluate(node, values, params, x, t));
    const out = values.get(graph.output) as tf.Tensor2D;
    // The caller owns the result, so it must never be the caller's own x (an identity graph).
    return out === x ? tf.clone(out) : out;
  });
}

/** Checks that every declared parameter is present with its declared shape. */
export function checkParams(graph: Graph, params: Params): void {
  for (const spec of graph.params) {
    const p = params[spec.name];
    if (p === undefined) {
      throw new RangeError(
        `params is missing '${spec.name}' (the graph declares ${graph.params.length} parameters: ${graph.params
          .slice(0, 6)
          .map((s) => `'${s.name}'`)
          .join(', ')}${graph.params.length > 6 ? ', …' : ''})`,
      );
    }
    if (p.shape.length !== spec.shape.length || p.shape.some((d, i) => d !== spec.shape[i])) {
      throw new RangeError(
        `params['${spec.name}'] has shape [${p.shape.join(', ')}], the graph declares [${spec.shape.join(', ')}]`,
      );
    }
  }
}

function evaluate(
  node: GraphNode,
  values: Map<string, tf.Tensor>,
  params: Params,
  x: tf.Tensor2D,
  t: tf.Tensor1D,
): tf.Tensor {
  const v = (id: string) => values.get(id)!;
  const p = (name: string) => params[name]!;
  switch (node.op) {
    case 'x':
      return x;
    case 't':
      return t;
    case 'dense': {
      const y = matmul(v(node.inputs.x) as tf.Tensor2D, p(node.params.weight) as tf.Tensor2D);
      return node.params.bias === undefined ? y : addBias(y, p(node.params.bias) as tf.Tensor1D);
    }
    case 'activation':
      return graphActivation(node.fn)(v(node.inputs.x));
    case 'add':
      return node.inputs.xs.slice(1).reduce((acc, id) => tf.add(acc, v(id)), v(node.inputs.xs[0]!));
    case 'mul':
      return tf.mul(v(node.inputs.a), v(node.inputs.b));
    case 'scale':
      return tf.mul(v(node.inputs.x), node.factor);
    case 'concat':
      return node.inputs.xs.length === 1 ? v(node.inputs.xs[0]!) : tf.concat(node.inputs.xs.map(v), -1);
    case 'sinusoidal':
      return sinusoidalEmbedding(v(node.inputs.t) as tf.Tensor1D, node.dim, node.maxPeriod, node.timeScale);
    case 'fourier':
      return fourierFeatures(
        v(node.inputs.t) as tf.Tensor1D,
        p(node.params.phase) as tf.Tensor1D,
        node.omegaMin,
        node.omegaMax,
      );
    case 'reshape': {
      const input = v(node.inputs.x);
      return tf.reshape(input, [input.shape[0]!, ...node.shape.slice(1)]);
    }
    case 'conv2d': {
      const input = v(node.inputs.x) as tf.Tensor4D;
      const weight = p(node.params.weight) as tf.Tensor4D;
      // Stride 1 (every conv of the U-Net) has gradients that are fast on wasm; core's otherwise.
      const y =
        node.stride === 1
          ? conv2dStride1(input, weight, node.padding)
          : conv2d(input, weight, node.stride, node.padding);
      return node.params.bias === undefined ? y : addBias(y, p(node.params.bias) as tf.Tensor1D);
    }
    case 'groupNorm':
      return groupNorm(
        v(node.inputs.x),
        p(node.params.scale) as tf.Tensor1D,
        p(node.params.bias) as tf.Tensor1D,
        node.groups,
        node.eps,
      );
    case 'avgPool2':
      return avgPool2(v(node.inputs.x) as tf.Tensor4D);
    case 'upsample2':
      return upsample2(v(node.inputs.x) as tf.Tensor4D);
    case 'addChannelBias': {
      const bias = v(node.inputs.bias);
      return tf.add(v(node.inputs.x), tf.reshape(bias, [bias.shape[0]!, 1, 1, bias.shape[1]!]));
    }
  }
}

const analyses = new WeakMap<Graph, GraphAnalysis>();

function analysisOf(graph: Graph): GraphAnalysis {
  let analysis = analyses.get(graph);
  if (analysis === undefined) {
    analysis = validateGraph(graph);
    analyses.set(graph, analysis);
  }
  return analysis;
}
