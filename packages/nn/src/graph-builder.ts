import type { Graph, GraphActivation, GraphNode, GraphPadding, ParamInit, ParamSpec } from './graph.js';
import { inferNodeShape, validateGraph } from './validate-graph.js';

/** How a builder initialises a dense or conv layer: PyTorch's default, or all zeros (a zero head). */
export type LayerInit = 'torch' | 'zeros';

/**
 * Accumulates parameters and nodes into a {@link Graph}, inferring every node's shape as it is
 * added so that a builder can ask for it (`shape(id)`) and mistakes surface at the line that makes
 * them. Layers are named the way the PyTorch reference names its modules, so a weight's name says
 * where it comes from.
 */
export class GraphBuilder {
  readonly #params: ParamSpec[] = [];
  readonly #paramShapes = new Map<string, number[]>();
  readonly #nodes: GraphNode[] = [];
  readonly #shapes = new Map<string, number[]>();
  readonly #builder: string;
  readonly #config: Record<string, unknown>;
  readonly #inputDim: number;

  constructor(builder: string, builderConfig: Record<string, unknown>, inputDim: number) {
    this.#builder = builder;
    this.#config = builderConfig;
    this.#inputDim = inputDim;
  }

  /** The inferred shape of node `id` (−1 is the batch). */
  shape(id: string): number[] {
    const s = this.#shapes.get(id);
    if (s === undefined) throw new RangeError(`GraphBuilder: no node '${id}' yet`);
    return s;
  }

  /** Declares a parameter and returns its name. */
  param(name: string, shape: number[], init: ParamInit): string {
    if (this.#paramShapes.has(name)) throw new RangeError(`GraphBuilder: parameter '${name}' declared twice`);
    this.#params.push({ name, shape, init });
    this.#paramShapes.set(name, shape);
    return name;
  }

  /** Adds a node, infers its shape, and returns its id. */
  node(node: GraphNode): string {
    if (this.#shapes.has(node.id)) throw new RangeError(`GraphBuilder: node id '${node.id}' used twice`);
    const shape = inferNodeShape(
      node,
      { inputDim: this.#inputDim },
      (id) => this.shape(id),
      (name) => {
        const s = this.#paramShapes.get(name);
        if (s === undefined)
          throw new RangeError(`GraphBuilder: node '${node.id}' uses undeclared '${name}'`);
        return s;
      },
    );
    this.#nodes.push(node);
    this.#shapes.set(node.id, shape);
    return node.id;
  }

  /** The x input node (created on first use). */
  x(): string {
    return this.#shapes.has('x') ? 'x' : this.node({ id: 'x', op: 'x', inputs: {} });
  }

  /** The t input node (created on first use). */
  t(): string {
    return this.#shapes.has('t') ? 't' : this.node({ id: 't', op: 't', inputs: {} });
  }

  /** A dense layer `name` ([B, in] → [B, out]) with params `name.weight` [in, out] and `name.bias` [out]. */
  dense(input: string, out: number, name: string, init: LayerInit = 'torch', bias = true): string {
    const fanIn = this.shape(input)[1]!;
    const p = layerInit(init, fanIn);
    const weight = this.param(`${name}.weight`, [fanIn, out], p);
    const params = bias ? { weight, bias: this.param(`${name}.bias`, [out], p) } : { weight };
    return this.node({ id: name, op: 'dense', inputs: { x: input }, params });
  }

  /** A convolution `name` with a k×k HWIO filter `name.weight` and bias `name.bias`, 'same' padding. */
  conv2d(input: string, out: number, k: number, name: string, init: LayerInit = 'torch', stride = 1): string {
    const cin = this.shape(input)[3]!;
    const p = layerInit(init, k * k * cin);
    const weight = this.param(`${name}.weight`, [k, k, cin, out], p);
    const bias = this.param(`${name}.bias`, [out], p);
    const padding: GraphPadding = 'same';
    return this.node({
      id: name,
      op: 'conv2d',
      inputs: { x: input },
      params: { weight, bias },
      stride,
      padding,
    });
  }

  /** GroupNorm `name` with `name.weight` = 1 and `name.bias` = 0 (PyTorch's names and init). */
  groupNorm(input: string, groups: number, name: string, eps = 1e-5): string {
    const c = this.shape(input).at(-1)!;
    const scale = this.param(`${name}.weight`, [c], { kind: 'ones' });
    const bias = this.param(`${name}.bias`, [c], { kind: 'zeros' });
    return this.node({
      id: name,
      op: 'groupNorm',
      inputs: { x: input },
      params: { scale, bias },
      groups,
      eps,
    });
  }

  /** An activation node `id`. */
  activation(input: string, fn: GraphActivation, id: string): string {
    return this.node({ id, op: 'activation', inputs: { x: input }, fn });
  }

  /** Finishes the graph with `output` as its result and validates it. */
  build(output: string): Graph {
    const graph: Graph = {
      format: 'bridgekit-graph',
      version: 1,
      builder: this.#builder,
      builderConfig: this.#config,
      inputDim: this.#inputDim,
      outputDim: this.shape(output)[1]!,
      params: this.#params,
      nodes: this.#nodes,
      output,
    };
    validateGraph(graph);
    return graph;
  }
}

function layerInit(init: LayerInit, fanIn: number): ParamInit {
  return init === 'zeros' ? { kind: 'zeros' } : { kind: 'torch-linear', fanIn };
}
