import { describe, expect, it } from 'vitest';
import type { Graph, GraphNode } from './graph.js';
import { nodeInputs, nodeParams } from './graph.js';
import { GraphValidationError, validateGraph } from './validate-graph.js';

function base(): Graph {
  return {
    format: 'bridgekit-graph',
    version: 1,
    builder: 'test',
    builderConfig: {},
    inputDim: 3,
    outputDim: 2,
    params: [
      { name: 'fc.weight', shape: [3, 4], init: { kind: 'glorot-uniform' } },
      { name: 'fc.bias', shape: [4], init: { kind: 'zeros' } },
      { name: 'out.weight', shape: [4, 2], init: { kind: 'torch-linear', fanIn: 4 } },
    ],
    nodes: [
      { id: 'x', op: 'x', inputs: {} },
      { id: 'fc', op: 'dense', inputs: { x: 'x' }, params: { weight: 'fc.weight', bias: 'fc.bias' } },
      { id: 'act', op: 'activation', inputs: { x: 'fc' }, fn: 'silu' },
      { id: 'out', op: 'dense', inputs: { x: 'act' }, params: { weight: 'out.weight' } },
    ],
    output: 'out',
  };
}

function expectError(graph: Graph, message: RegExp, nodeId?: string): void {
  let error: unknown;
  try {
    validateGraph(graph);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GraphValidationError);
  expect(error).toBeInstanceOf(RangeError);
  expect((error as Error).message).toMatch(message);
  if (nodeId !== undefined) expect((error as GraphValidationError).nodeId).toBe(nodeId);
}

const withNode = (g: Graph, id: string, change: (n: GraphNode) => GraphNode): Graph => ({
  ...g,
  nodes: g.nodes.map((n) => (n.id === id ? change(n) : n)),
});

describe('validateGraph', () => {
  it('accepts a valid graph (nodes in any order) and infers every shape', () => {
    const g = base();
    const { shapes, order } = validateGraph({ ...g, nodes: [...g.nodes].reverse() });
    expect(shapes).toEqual({ x: [-1, 3], fc: [-1, 4], act: [-1, 4], out: [-1, 2] });
    expect(order.map((n) => n.id)).toEqual(['x', 'fc', 'act', 'out']);
  });

  it('names an unknown input', () => {
    expectError(
      withNode(base(), 'act', (n) => ({ ...n, inputs: { x: 'fc9' } }) as GraphNode),
      /node 'act' \(activation\): input 'x' refers to unknown node 'fc9'/,
      'act',
    );
  });

  it('names a shape mismatch', () => {
    const g = base();
    g.params[2] = { name: 'out.weight', shape: [5, 2], init: { kind: 'zeros' } };
    expectError(
      g,
      /node 'out' \(dense\): param 'weight' \('out.weight'\) has shape \[5, 2\], expected \[4, out\]/,
      'out',
    );
    const h = base();
    h.params[1] = { name: 'fc.bias', shape: [3], init: { kind: 'zeros' } };
    expectError(h, /node 'fc' \(dense\): param 'bias' \('fc.bias'\) has shape \[3\], expected \[4\]/, 'fc');
  });

  it('names a missing parameter', () => {
    const g = base();
    g.params = g.params.filter((p) => p.name !== 'fc.bias');
    expectError(g, /node 'fc' \(dense\): param 'bias' refers to undeclared parameter 'fc.bias'/, 'fc');
  });

  it('names a cycle with its path', () => {
    const g = withNode(base(), 'fc', (n) => ({ ...n, inputs: { x: 'act' } }) as GraphNode);
    expectError(g, /is on a cycle: (fc → act → fc|act → fc → act)/);
  });

  it('names an unknown op, a duplicate id, an unused parameter and a bad output', () => {
    expectError(
      withNode(base(), 'act', (n) => ({ ...n, op: 'relu6' }) as unknown as GraphNode),
      /node 'act' \(relu6\): op must be one of x, t, dense/,
    );
    const dup = base();
    dup.nodes.push({ id: 'fc', op: 'activation', inputs: { x: 'x' }, fn: 'tanh' });
    expectError(dup, /node 'fc' \(activation\): id 'fc' is used by more than one node/);
    const unused = base();
    unused.params.push({ name: 'spare', shape: [2], init: { kind: 'zeros' } });
    expectError(unused, /parameter 'spare' is declared but no node uses it/);
    expectError(
      { ...base(), output: 'act' },
      /output node 'act' has shape \[B, 4\], but graph.outputDim = 2/,
      'act',
    );
    expectError({ ...base(), output: 'nowhere' }, /graph.output refers to unknown node 'nowhere'/);
  });

  it('names bad attributes', () => {
    expectError(
      withNode(base(), 'act', (n) => ({ ...n, fn: 'relu' }) as unknown as GraphNode),
      /node 'act' \(activation\): fn must be one of silu, sigmoid, tanh, softplus, gelu, selu; got 'relu'/,
    );
    const g = base();
    g.nodes.push({ id: 'r', op: 'reshape', inputs: { x: 'out' }, shape: [-1, 3] });
    expectError(
      { ...g, output: 'r' },
      /node 'r' \(reshape\): cannot reshape \[B, 2\] \(2 per sample\) to \[B, 3\]/,
    );
    const p = base();
    p.nodes.push({ id: 'pool', op: 'avgPool2', inputs: { x: 'out' } });
    expectError(p, /node 'pool' \(avgPool2\): input 'x' \('out'\) must have rank 4, got shape \[B, 2\]/);
  });

  it('names structural problems of JSON read from disk', () => {
    expectError(
      { ...base(), format: 'onnx' } as unknown as Graph,
      /graph.format must be 'bridgekit-graph', got 'onnx'/,
    );
    expectError({ ...base(), version: 2 } as unknown as Graph, /graph.version must be 1, got 2/);
    expectError({ ...base(), inputDim: 0 }, /graph.inputDim must be a positive integer, got 0/);
    const g = base();
    g.params[0] = {
      name: 'fc.weight',
      shape: [3, 4],
      init: { kind: 'xavier' },
    } as unknown as Graph['params'][0];
    expectError(g, /parameter 'fc.weight': init.kind must be one of zeros, ones, normal/);
    const h = base();
    h.params[0] = {
      name: 'fc.weight',
      shape: [3, 4],
      init: { kind: 'normal' },
    } as unknown as Graph['params'][0];
    expectError(h, /parameter 'fc.weight': init.std must be a finite number for 'normal', got undefined/);
  });

  it('nodeInputs and nodeParams list what a node reads', () => {
    const [, fc] = base().nodes;
    expect(nodeInputs(fc!)).toEqual(['x']);
    expect(nodeParams(fc!)).toEqual([
      ['weight', 'fc.weight'],
      ['bias', 'fc.bias'],
    ]);
    expect(nodeInputs({ id: 'a', op: 'add', inputs: { xs: ['p', 'q', 'r'] } })).toEqual(['p', 'q', 'r']);
  });
});
