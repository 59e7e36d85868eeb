import { describe, expect, it } from 'vitest';
import { graphActivation } from './activations.js';
import { GraphBuilder } from './graph-builder.js';
import { validateGraph } from './validate-graph.js';

describe('GraphBuilder', () => {
  it('builds a custom graph, tracking shapes as nodes are added', () => {
    const b = new GraphBuilder('custom', { note: 'test' }, 3);
    const img = b.node({ id: 'img', op: 'reshape', inputs: { x: b.x() }, shape: [-1, 1, 3, 1] });
    const conv = b.conv2d(img, 4, 3, 'conv');
    expect(b.shape(conv)).toEqual([-1, 1, 3, 4]);
    const flat = b.node({ id: 'flat', op: 'reshape', inputs: { x: conv }, shape: [-1, 12] });
    const out = b.dense(b.activation(flat, 'gelu', 'act'), 2, 'head', 'zeros', false);
    const graph = b.build(out);
    expect(graph.outputDim).toBe(2);
    expect(graph.params.map((p) => [p.name, p.shape, p.init.kind])).toEqual([
      ['conv.weight', [3, 3, 1, 4], 'torch-linear'],
      ['conv.bias', [4], 'torch-linear'],
      ['head.weight', [12, 2], 'zeros'],
    ]);
    expect(graph.params[0]!.init).toEqual({ kind: 'torch-linear', fanIn: 9 });
    expect(() => validateGraph(graph)).not.toThrow();
  });

  it('reports mistakes at the line that makes them', () => {
    const b = new GraphBuilder('custom', {}, 2);
    b.dense(b.x(), 3, 'fc');
    expect(() => b.dense(b.x(), 3, 'fc')).toThrow(/parameter 'fc.weight' declared twice/);
    expect(() => b.activation('fc', 'silu', 'fc')).toThrow(/node id 'fc' used twice/);
    expect(() => b.activation('nope', 'silu', 'a')).toThrow(/no node 'nope' yet/);
    expect(() => b.node({ id: 'p', op: 'avgPool2', inputs: { x: 'fc' } })).toThrow(
      /node 'p' \(avgPool2\): input 'x' \('fc'\) must have rank 4/,
    );
  });

  it('graphActivation names the valid activations', () => {
    expect(() => graphActivation('relu')).toThrow(
      /activation must be one of silu, sigmoid, tanh, softplus, gelu, selu; got 'relu'/,
    );
  });
});
