import type { Graph } from './graph.js';

/** The number of scalar weights of a graph: Σ over its parameters of Π shape. */
export function countParams(graph: Graph): number {
  return graph.params.reduce((sum, p) => sum + p.shape.reduce((a, d) => a * d, 1), 0);
}
