import { GRAPH_ACTIVATIONS } from './activations.js';
import type { Graph, GraphNode, ParamSpec } from './graph.js';
import { type HostParams, type HostTensor, testValues } from './host-graph.test-helper.js';

/** One tiny single-purpose graph with its inputs and float32-exact parameter values. */
export interface OpCase {
  name: string;
  graph: Graph;
  params: HostParams;
  x: HostTensor;
  t: HostTensor;
  /** Whether the second-order check applies (false for ops that are piecewise linear in x). */
  secondOrder: boolean;
}

const B = 2;

function graphOf(
  inputDim: number,
  params: ParamSpec[],
  nodes: GraphNode[],
  output: string,
  outputDim: number,
): Graph {
  return {
    format: 'bridgekit-graph',
    version: 1,
    builder: 'test',
    builderConfig: {},
    inputDim,
    outputDim,
    params,
    nodes: [{ id: 'x', op: 'x', inputs: {} }, { id: 't', op: 't', inputs: {} }, ...nodes],
    output,
  };
}

function values(params: ParamSpec[], seed: number): HostParams {
  return Object.fromEntries(
    params.map((p, i) => [p.name, testValues(p.shape, 0.7 + 0.31 * i, seed + i, 0.8)]),
  );
}

function make(
  name: string,
  inputDim: number,
  params: ParamSpec[],
  nodes: GraphNode[],
  output: string,
  outputDim: number,
  secondOrder = true,
): OpCase {
  return {
    name,
    graph: graphOf(inputDim, params, nodes, output, outputDim),
    params: values(params, name.length),
    x: testValues([B, inputDim], 1.3, 0.2, 1.1),
    t: { shape: [B], data: Float64Array.of(0.3, 0.85) },
    secondOrder,
  };
}

const p = (name: string, shape: number[]): ParamSpec => ({ name, shape, init: { kind: 'zeros' } });
const image = (id: string, shape: number[]): GraphNode => ({ id, op: 'reshape', inputs: { x: 'x' }, shape });
const flat = (id: string, from: string, n: number): GraphNode => ({
  id,
  op: 'reshape',
  inputs: { x: from },
  shape: [-1, n],
});

/** Every op of the IR in at least one tiny graph. */
export function opCases(): OpCase[] {
  const cases: OpCase[] = [
    make(
      'dense with bias',
      5,
      [p('w', [5, 3]), p('b', [3])],
      [{ id: 'y', op: 'dense', inputs: { x: 'x' }, params: { weight: 'w', bias: 'b' } }],
      'y',
      3,
    ),
    make(
      'dense without bias',
      4,
      [p('w', [4, 2])],
      [{ id: 'y', op: 'dense', inputs: { x: 'x' }, params: { weight: 'w' } }],
      'y',
      2,
    ),
    make(
      'add, mul (broadcast), scale, concat',
      3,
      [],
      [
        { id: 'tc', op: 'reshape', inputs: { x: 't' }, shape: [-1, 1] },
        { id: 'xt', op: 'mul', inputs: { a: 'x', b: 'tc' } },
        { id: 'half', op: 'scale', inputs: { x: 'x' }, factor: -0.5 },
        { id: 'sum', op: 'add', inputs: { xs: ['x', 'xt', 'half'] } },
        { id: 'sq', op: 'mul', inputs: { a: 'sum', b: 'x' } },
        { id: 'cat', op: 'concat', inputs: { xs: ['sq', 'tc', 'x'] } },
      ],
      'cat',
      7,
    ),
    make(
      'sinusoidal (odd dim)',
      2,
      [p('w', [9, 2])],
      [
        { id: 'emb', op: 'sinusoidal', inputs: { t: 't' }, dim: 7, maxPeriod: 100, timeScale: 3 },
        { id: 'cat', op: 'concat', inputs: { xs: ['x', 'emb'] } },
        { id: 'y', op: 'dense', inputs: { x: 'cat' }, params: { weight: 'w' } },
      ],
      'y',
      2,
    ),
    make(
      'fourier',
      2,
      [p('phase', [3]), p('w', [6, 2])],
      [
        {
          id: 'f',
          op: 'fourier',
          inputs: { t: 't' },
          params: { phase: 'phase' },
          channels: 3,
          omegaMin: 0.1,
          omegaMax: 5,
        },
        { id: 'y', op: 'dense', inputs: { x: 'f' }, params: { weight: 'w' } },
        { id: 'out', op: 'add', inputs: { xs: ['y', 'x'] } },
      ],
      'out',
      2,
    ),
    make(
      'conv2d 3×3 same, stride 1, bias',
      32,
      [p('k', [3, 3, 2, 3]), p('kb', [3])],
      [
        image('img', [-1, 4, 4, 2]),
        {
          id: 'c',
          op: 'conv2d',
          inputs: { x: 'img' },
          params: { weight: 'k', bias: 'kb' },
          stride: 1,
          padding: 'same',
        },
        flat('y', 'c', 48),
      ],
      'y',
      48,
    ),
    make(
      'conv2d 2×2 same (asymmetric padding), stride 1',
      30,
      [p('k', [2, 2, 2, 2])],
      [
        image('img', [-1, 3, 5, 2]),
        { id: 'c', op: 'conv2d', inputs: { x: 'img' }, params: { weight: 'k' }, stride: 1, padding: 'same' },
        flat('y', 'c', 30),
      ],
      'y',
      30,
    ),
    make(
      'conv2d 3×3 valid, stride 1',
      32,
      [p('k', [3, 3, 2, 2])],
      [
        image('img', [-1, 4, 4, 2]),
        { id: 'c', op: 'conv2d', inputs: { x: 'img' }, params: { weight: 'k' }, stride: 1, padding: 'valid' },
        flat('y', 'c', 8),
      ],
      'y',
      8,
    ),
    make(
      'conv2d 3×3 same, stride 2 (core conv2d)',
      50,
      [p('k', [3, 3, 2, 2]), p('kb', [2])],
      [
        image('img', [-1, 5, 5, 2]),
        {
          id: 'c',
          op: 'conv2d',
          inputs: { x: 'img' },
          params: { weight: 'k', bias: 'kb' },
          stride: 2,
          padding: 'same',
        },
        flat('y', 'c', 18),
      ],
      'y',
      18,
      false,
    ),
    make(
      'groupNorm on [B, H, W, C]',
      24,
      [p('g', [4]), p('gb', [4])],
      [
        image('img', [-1, 2, 3, 4]),
        {
          id: 'n',
          op: 'groupNorm',
          inputs: { x: 'img' },
          params: { scale: 'g', bias: 'gb' },
          groups: 2,
          eps: 1e-5,
        },
        flat('y', 'n', 24),
      ],
      'y',
      24,
    ),
    make(
      'groupNorm on [B, C]',
      6,
      [p('g', [6]), p('gb', [6])],
      [
        {
          id: 'n',
          op: 'groupNorm',
          inputs: { x: 'x' },
          params: { scale: 'g', bias: 'gb' },
          groups: 3,
          eps: 1e-3,
        },
      ],
      'n',
      6,
    ),
    make(
      'avgPool2',
      32,
      [],
      [
        image('img', [-1, 4, 4, 2]),
        { id: 'pool', op: 'avgPool2', inputs: { x: 'img' } },
        flat('y', 'pool', 8),
      ],
      'y',
      8,
      false,
    ),
    make(
      'upsample2',
      12,
      [],
      [image('img', [-1, 2, 3, 2]), { id: 'up', op: 'upsample2', inputs: { x: 'img' } }, flat('y', 'up', 48)],
      'y',
      48,
      false,
    ),
    make(
      'addChannelBias',
      18,
      [p('w', [1, 2])],
      [
        image('img', [-1, 3, 3, 2]),
        { id: 'tc', op: 'reshape', inputs: { x: 't' }, shape: [-1, 1] },
        { id: 'bias', op: 'dense', inputs: { x: 'tc' }, params: { weight: 'w' } },
        { id: 'sum', op: 'addChannelBias', inputs: { x: 'img', bias: 'bias' } },
        flat('y', 'sum', 18),
      ],
      'y',
      18,
      false,
    ),
  ];
  for (const fn of GRAPH_ACTIVATIONS) {
    cases.push(
      make(`activation ${fn}`, 6, [], [{ id: 'y', op: 'activation', inputs: { x: 'x' }, fn }], 'y', 6),
    );
  }
  return cases;
}
