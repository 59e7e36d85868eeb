import type { ActivationName } from '@bridgekit/core';

/**
 * A network as plain, JSON-serialisable data: a small layer graph over two inputs, `x` [B, inputDim]
 * and `t` [B], plus the specification (name, shape, initialiser) of every named weight.
 *
 * The same value is run by the tfjs interpreter ({@link apply}), saved next to its weights, and is
 * what an exporter or compiler walks node by node. Nodes may be listed in any order; edges are the
 * node ids named in `inputs`, weights are the parameter names named in `params`.
 */
export interface Graph {
  format: 'bridgekit-graph';
  version: 1;
  /** The builder that produced the graph (e.g. 'mlp'), for humans and checkpoints. */
  builder: string;
  /** The options the builder was called with, so the graph can be rebuilt or described. */
  builderConfig: Record<string, unknown>;
  inputDim: number;
  outputDim: number;
  params: ParamSpec[];
  nodes: GraphNode[];
  /** Id of the node whose value, of shape [B, outputDim], is the network output. */
  output: string;
}

/** One named weight of a graph: its shape and how {@link initParams} draws its initial value. */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
}

/**
 * How a parameter is initialised. Fans come from the shape: a rank-2 weight [in, out] has
 * fanIn = in and fanOut = out; a rank-4 HWIO filter has fanIn = H·W·I and fanOut = H·W·O.
 *
 * - `zeros`, `ones`; `normal`: N(0, std²); `uniform`: U(−bound, bound).
 * - `glorot-uniform`: U(±√(6/(fanIn + fanOut))) (Glorot & Bengio 2010).
 * - `he-uniform`: U(±√(6/fanIn)) (He et al. 2015).
 * - `torch-linear`: U(±1/√fanIn), PyTorch's default for `nn.Linear` and `nn.Conv2d` weights *and*
 *   biases (kaiming_uniform with a = √5); `fanIn` is explicit because a bias cannot infer it.
 * - `linspace`: from … to over the flattened parameter, endpoints included.
 * - `identity`: the (rectangular) identity matrix; rank 2 only.
 */
export type ParamInit =
  | { kind: 'zeros' }
  | { kind: 'ones' }
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; bound: number }
  | { kind: 'glorot-uniform' }
  | { kind: 'he-uniform' }
  | { kind: 'torch-linear'; fanIn: number }
  | { kind: 'linspace'; from: number; to: number }
  | { kind: 'identity' };

/** Activations a graph may name: core's second-order-safe set plus SELU (see {@link selu}). */
export type GraphActivation = ActivationName | 'selu';

/** Padding of a `conv2d` node, with TensorFlow's 'same' rule (extra row/column at the end). */
export type GraphPadding = 'same' | 'valid';

/** The graph input x, [B, inputDim]. */
export interface XNode {
  id: string;
  op: 'x';
  inputs: Record<string, never>;
}

/** The graph input t, [B]. */
export interface TNode {
  id: string;
  op: 't';
  inputs: Record<string, never>;
}

/** x·W + b with W [in, out] and an optional bias [out]; x is [B, in]. */
export interface DenseNode {
  id: string;
  op: 'dense';
  inputs: { x: string };
  params: { weight: string; bias?: string };
}

/** An elementwise activation. */
export interface ActivationNode {
  id: string;
  op: 'activation';
  inputs: { x: string };
  fn: GraphActivation;
}

/** The elementwise sum of two or more tensors of identical shape. */
export interface AddNode {
  id: string;
  op: 'add';
  inputs: { xs: string[] };
}

/** The elementwise product a ⊙ b, with broadcasting of size-1 axes (equal ranks). */
export interface MulNode {
  id: string;
  op: 'mul';
  inputs: { a: string; b: string };
}

/** Multiplication by a constant factor. */
export interface ScaleNode {
  id: string;
  op: 'scale';
  inputs: { x: string };
  factor: number;
}

/** Concatenation along the last axis. */
export interface ConcatNode {
  id: string;
  op: 'concat';
  inputs: { xs: string[] };
}

/**
 * Sinusoidal time embedding of ADM's `timestep_embedding` (used by VSDM): with s = t·timeScale,
 * half = ⌊dim/2⌋ and f_k = exp(−ln(maxPeriod)·k/half), the features are [cos(s·f_k)]_k ++ [sin(s·f_k)]_k,
 * plus a zero column when dim is odd. t is [B]; the output is [B, dim].
 */
export interface SinusoidalNode {
  id: string;
  op: 'sinusoidal';
  inputs: { t: string };
  dim: number;
  maxPeriod: number;
  timeScale: number;
}

/**
 * Fourier time features of ASBS's FourierMLP: with the constant ω = linspace(omegaMin, omegaMax, C)
 * and a learned phase φ [C], the features are [sin(ω·t + φ)] ++ [cos(ω·t + φ)]. t is [B]; the output
 * is [B, 2C].
 */
export interface FourierNode {
  id: string;
  op: 'fourier';
  inputs: { t: string };
  params: { phase: string };
  channels: number;
  omegaMin: number;
  omegaMax: number;
}

/** Reshape to `shape`, whose first entry is −1 (the batch) and whose other entries are positive. */
export interface ReshapeNode {
  id: string;
  op: 'reshape';
  inputs: { x: string };
  shape: number[];
}

/** 2-D convolution of x [B, H, W, Cin] with an HWIO filter [kh, kw, Cin, Cout] and optional bias [Cout]. */
export interface Conv2dNode {
  id: string;
  op: 'conv2d';
  inputs: { x: string };
  params: { weight: string; bias?: string };
  stride: number;
  padding: GraphPadding;
}

/**
 * Group normalisation (Wu & He 2018) of x [B, H, W, C] or [B, C]: channels are split into `groups`
 * groups, each normalised over its channels and all positions with the biased variance, then
 * y = x̂·scale + bias with scale, bias [C].
 */
export interface GroupNormNode {
  id: string;
  op: 'groupNorm';
  inputs: { x: string };
  params: { scale: string; bias: string };
  groups: number;
  eps: number;
}

/** 2×2 average pooling with stride 2 of x [B, H, W, C] (H and W even). */
export interface AvgPool2Node {
  id: string;
  op: 'avgPool2';
  inputs: { x: string };
}

/** 2× nearest-neighbour upsampling of x [B, H, W, C] to [B, 2H, 2W, C]. */
export interface Upsample2Node {
  id: string;
  op: 'upsample2';
  inputs: { x: string };
}

/** Adds a per-sample channel vector: x [B, H, W, C] + bias [B, C] broadcast over H and W. */
export interface AddChannelBiasNode {
  id: string;
  op: 'addChannelBias';
  inputs: { x: string; bias: string };
}

/** Any node of a {@link Graph}, discriminated by `op`. */
export type GraphNode =
  | XNode
  | TNode
  | DenseNode
  | ActivationNode
  | AddNode
  | MulNode
  | ScaleNode
  | ConcatNode
  | SinusoidalNode
  | FourierNode
  | ReshapeNode
  | Conv2dNode
  | GroupNormNode
  | AvgPool2Node
  | Upsample2Node
  | AddChannelBiasNode;

/** The operation names a graph may use. */
export type GraphOp = GraphNode['op'];

/** Every {@link GraphOp}, in the order the documentation lists them. */
export const GRAPH_OPS: readonly GraphOp[] = [
  'x',
  't',
  'dense',
  'activation',
  'add',
  'mul',
  'scale',
  'concat',
  'sinusoidal',
  'fourier',
  'reshape',
  'conv2d',
  'groupNorm',
  'avgPool2',
  'upsample2',
  'addChannelBias',
];

/** The node ids a node reads, in the order of its `inputs` fields (arrays flattened). */
export function nodeInputs(node: GraphNode): string[] {
  return Object.values(node.inputs as Record<string, string | string[]>).flat();
}

/** The parameter names a node reads, as `[role, name]` pairs (e.g. `['weight', 'out.weight']`). */
export function nodeParams(node: GraphNode): [string, string][] {
  if (!('params' in node)) return [];
  return Object.entries(node.params as Record<string, string | undefined>).filter(
    (e): e is [string, string] => e[1] !== undefined,
  );
}
