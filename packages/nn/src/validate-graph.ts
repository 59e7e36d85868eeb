import { GRAPH_ACTIVATIONS } from './activations.js';
import { GRAPH_OPS, type Graph, type GraphNode, nodeInputs, nodeParams, type ParamInit } from './graph.js';

/**
 * A graph that fails validation: the message names the node (or parameter) and the problem, and
 * `nodeId` / `paramName` say where, so tools can point at it.
 */
export class GraphValidationError extends RangeError {
  readonly nodeId: string | undefined;
  readonly paramName: string | undefined;

  constructor(message: string, where: { nodeId?: string; paramName?: string } = {}) {
    super(message);
    this.name = 'GraphValidationError';
    this.nodeId = where.nodeId;
    this.paramName = where.paramName;
  }
}

/** What {@link validateGraph} learns about a valid graph. */
export interface GraphAnalysis {
  /** The nodes in an order where every node comes after its inputs. */
  order: GraphNode[];
  /** The shape of every node's value; −1 stands for the batch size. */
  shapes: Record<string, number[]>;
  /** The declared shape of every parameter. */
  paramShapes: Record<string, number[]>;
}

/** Marks the batch axis (size unknown until run time) in inferred shapes. */
const BATCH = -1;

const INIT_KINDS = [
  'zeros',
  'ones',
  'normal',
  'uniform',
  'glorot-uniform',
  'he-uniform',
  'torch-linear',
  'linspace',
  'identity',
] as const;

/**
 * Checks that a graph is well formed and infers the shape of every node, throwing a
 * {@link GraphValidationError} that names the node id and the problem: an unknown op or input, a
 * missing or mis-shaped parameter, a shape mismatch, a cycle, an unused parameter, or an output that
 * is not [B, outputDim]. Structural problems of JSON read from disk (a missing field, a wrong type)
 * are reported the same way.
 */
export function validateGraph(graph: Graph): GraphAnalysis {
  checkHeader(graph);
  const paramShapes = checkParams(graph);
  const byId = checkNodes(graph, paramShapes);
  const order = topologicalOrder(graph, byId);
  const shapes: Record<string, number[]> = {};
  for (const node of order) {
    shapes[node.id] = inferNodeShape(
      node,
      graph,
      (id) => shapes[id]!,
      (name) => paramShapes[name]!,
    );
  }
  if (!byId.has(graph.output)) {
    throw new GraphValidationError(`graph.output refers to unknown node '${graph.output}'`);
  }
  const out = shapes[graph.output]!;
  if (!sameShape(out, [BATCH, graph.outputDim])) {
    throw new GraphValidationError(
      `output node '${graph.output}' has shape ${fmt(out)}, but graph.outputDim = ${graph.outputDim} needs [B, ${graph.outputDim}]`,
      { nodeId: graph.output },
    );
  }
  const used = new Set(graph.nodes.flatMap((n) => nodeParams(n).map(([, name]) => name)));
  for (const p of graph.params) {
    if (!used.has(p.name)) {
      throw new GraphValidationError(`parameter '${p.name}' is declared but no node uses it`, {
        paramName: p.name,
      });
    }
  }
  return { order, shapes, paramShapes };
}

function checkHeader(graph: Graph): void {
  const g = graph as unknown as Record<string, unknown>;
  if (typeof g !== 'object' || g === null || Array.isArray(g)) {
    throw new GraphValidationError(`graph must be an object, got ${describe(g)}`);
  }
  if (g.format !== 'bridgekit-graph') {
    throw new GraphValidationError(`graph.format must be 'bridgekit-graph', got ${describe(g.format)}`);
  }
  if (g.version !== 1) {
    throw new GraphValidationError(`graph.version must be 1, got ${describe(g.version)}`);
  }
  for (const key of ['inputDim', 'outputDim'] as const) {
    if (!isPositiveInt(g[key])) {
      throw new GraphValidationError(`graph.${key} must be a positive integer, got ${describe(g[key])}`);
    }
  }
  for (const key of ['params', 'nodes'] as const) {
    if (!Array.isArray(g[key])) {
      throw new GraphValidationError(`graph.${key} must be an array, got ${describe(g[key])}`);
    }
  }
  if (typeof g.output !== 'string') {
    throw new GraphValidationError(`graph.output must be a node id (string), got ${describe(g.output)}`);
  }
}

function checkParams(graph: Graph): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const [i, p] of graph.params.entries()) {
    const name = typeof p?.name === 'string' ? p.name : undefined;
    const where = `parameter ${name === undefined ? `#${i}` : `'${name}'`}`;
    const fail = (problem: string): never => {
      throw new GraphValidationError(`${where}: ${problem}`, name === undefined ? {} : { paramName: name });
    };
    if (name === undefined || name === '') fail(`name must be a non-empty string, got ${describe(p?.name)}`);
    if (Object.hasOwn(shapes, name!)) fail('is declared twice');
    if (!Array.isArray(p.shape) || p.shape.length === 0 || !p.shape.every(isPositiveInt)) {
      fail(`shape must be a non-empty array of positive integers, got ${describe(p.shape)}`);
    }
    const problem = initProblem(p.init, p.shape);
    if (problem !== undefined) fail(problem);
    shapes[name!] = p.shape;
  }
  return shapes;
}

function initProblem(init: ParamInit, shape: number[]): string | undefined {
  const rec = init as unknown as Record<string, unknown>;
  if (typeof rec !== 'object' || rec === null || !(INIT_KINDS as readonly unknown[]).includes(rec.kind)) {
    return `init.kind must be one of ${INIT_KINDS.join(', ')}; got ${describe(rec?.kind)}`;
  }
  const finite = (key: string, positive: boolean): string | undefined => {
    const v = rec[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || (positive && v <= 0)) {
      return `init.${key} must be a ${positive ? 'positive' : 'finite'} number for '${String(rec.kind)}', got ${describe(v)}`;
    }
    return undefined;
  };
  switch (init.kind) {
    case 'normal':
      return finite('std', false);
    case 'uniform':
      return finite('bound', false);
    case 'torch-linear':
      return finite('fanIn', true);
    case 'linspace':
      return finite('from', false) ?? finite('to', false);
    case 'identity':
      return shape.length === 2 ? undefined : `init 'identity' needs a rank-2 shape, got ${fmt(shape)}`;
    case 'glorot-uniform':
    case 'he-uniform':
      return shape.length === 3 ? `init '${init.kind}' needs rank 1, 2 or 4 to define fans` : undefined;
    default:
      return undefined;
  }
}

function checkNodes(graph: Graph, paramShapes: Record<string, number[]>): Map<string, GraphNode> {
  const byId = new Map<string, GraphNode>();
  for (const [i, node] of graph.nodes.entries()) {
    const raw = node as unknown as Record<string, unknown>;
    const id = typeof raw?.id === 'string' && raw.id !== '' ? raw.id : undefined;
    if (id === undefined) {
      throw new GraphValidationError(
        `graph.nodes[${i}].id must be a non-empty string, got ${describe(raw?.id)}`,
      );
    }
    const fail = (problem: string): never => {
      throw new GraphValidationError(`node '${id}' (${String(raw.op)}): ${problem}`, { nodeId: id });
    };
    if (byId.has(id)) fail(`id '${id}' is used by more than one node`);
    if (!(GRAPH_OPS as readonly unknown[]).includes(raw.op)) {
      fail(`op must be one of ${GRAPH_OPS.join(', ')}; got ${describe(raw.op)}`);
    }
    if (typeof raw.inputs !== 'object' || raw.inputs === null || Array.isArray(raw.inputs)) {
      fail(`inputs must be an object of named node ids, got ${describe(raw.inputs)}`);
    }
    if (node.op === 'x' || node.op === 't') {
      const other = [...byId.values()].find((n) => n.op === node.op);
      if (other !== undefined)
        fail(`a graph has at most one '${node.op}' node; '${other.id}' is one already`);
    }
    byId.set(id, node);
  }
  for (const node of graph.nodes) {
    const fail = (problem: string): never => {
      throw new GraphValidationError(`node '${node.id}' (${node.op}): ${problem}`, { nodeId: node.id });
    };
    for (const [role, ref] of Object.entries(node.inputs as Record<string, unknown>)) {
      const refs = Array.isArray(ref) ? ref : [ref];
      for (const r of refs) {
        if (typeof r !== 'string') fail(`input '${role}' must name a node id, got ${describe(r)}`);
        if (!byId.has(r as string)) fail(`input '${role}' refers to unknown node '${String(r)}'`);
      }
    }
    const raw = node as unknown as { params?: unknown };
    if ('params' in node && (typeof raw.params !== 'object' || raw.params === null)) {
      fail(`params must be an object of parameter names, got ${describe(raw.params)}`);
    }
    for (const [role, name] of nodeParams(node)) {
      if (typeof name !== 'string') fail(`param '${role}' must name a parameter, got ${describe(name)}`);
      if (!Object.hasOwn(paramShapes, name)) fail(`param '${role}' refers to undeclared parameter '${name}'`);
    }
  }
  return byId;
}

/** Depth-first topological sort; a back edge is a cycle, reported with its path. */
function topologicalOrder(graph: Graph, byId: Map<string, GraphNode>): GraphNode[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const order: GraphNode[] = [];
  const stack: string[] = [];
  const visit = (id: string): void => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id].join(' → ');
      throw new GraphValidationError(`node '${id}' is on a cycle: ${cycle}`, { nodeId: id });
    }
    state.set(id, 'visiting');
    stack.push(id);
    const node = byId.get(id)!;
    for (const input of nodeInputs(node)) visit(input);
    stack.pop();
    state.set(id, 'done');
    order.push(node);
  };
  for (const node of graph.nodes) visit(node.id);
  return order;
}

/**
 * The shape of one node's value given its inputs' shapes and its parameters' shapes, checking
 * every attribute on the way. Shapes use −1 for the batch axis.
 */
export function inferNodeShape(
  node: GraphNode,
  graph: Pick<Graph, 'inputDim'>,
  inputShape: (id: string) => number[],
  paramShape: (name: string) => number[],
): number[] {
  const fail = (problem: string): never => {
    throw new GraphValidationError(`node '${node.id}' (${node.op}): ${problem}`, { nodeId: node.id });
  };
  const input = (role: string, id: string, rank?: number | number[]): number[] => {
    const s = inputShape(id);
    const ranks = rank === undefined ? undefined : Array.isArray(rank) ? rank : [rank];
    if (ranks !== undefined && !ranks.includes(s.length)) {
      fail(`input '${role}' ('${id}') must have rank ${ranks.join(' or ')}, got shape ${fmt(s)}`);
    }
    return s;
  };
  const param = (role: string, name: string, expected: number[]): void => {
    const s = paramShape(name);
    if (!sameShape(s, expected)) {
      fail(`param '${role}' ('${name}') has shape ${fmt(s)}, expected ${fmt(expected)}`);
    }
  };
  const positiveInt = (key: string, v: unknown): number => {
    if (!isPositiveInt(v)) fail(`${key} must be a positive integer, got ${describe(v)}`);
    return v as number;
  };
  const finite = (key: string, v: unknown): number => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      fail(`${key} must be a finite number, got ${describe(v)}`);
    return v as number;
  };
  const list = (xs: unknown, min: number): string[] => {
    if (!Array.isArray(xs) || xs.length < min) {
      fail(`inputs.xs must be an array of at least ${min} node ids, got ${describe(xs)}`);
    }
    return xs as string[];
  };

  switch (node.op) {
    case 'x':
      return [BATCH, graph.inputDim];
    case 't':
      return [BATCH];
    case 'dense': {
      const [, features] = input('x', node.inputs.x, 2) as [number, number];
      const w = paramShape(node.params.weight);
      if (w.length !== 2 || w[0] !== features) {
        fail(
          `param 'weight' ('${node.params.weight}') has shape ${fmt(w)}, expected [${features}, out] for an input of shape ${fmt(inputShape(node.inputs.x))}`,
        );
      }
      if (node.params.bias !== undefined) param('bias', node.params.bias, [w[1]!]);
      return [BATCH, w[1]!];
    }
    case 'activation':
      if (!(GRAPH_ACTIVATIONS as readonly unknown[]).includes(node.fn)) {
        fail(`fn must be one of ${GRAPH_ACTIVATIONS.join(', ')}; got ${describe(node.fn)}`);
      }
      return input('x', node.inputs.x);
    case 'scale':
      finite('factor', node.factor);
      return input('x', node.inputs.x);
    case 'add': {
      const ids = list(node.inputs.xs, 2);
      const first = input('xs[0]', ids[0]!);
      for (const [i, id] of ids.entries()) {
        const s = input(`xs[${i}]`, id);
        if (!sameShape(s, first)) {
          fail(`inputs must have identical shapes: '${ids[0]}' is ${fmt(first)} but '${id}' is ${fmt(s)}`);
        }
      }
      return first;
    }
    case 'mul': {
      const a = input('a', node.inputs.a);
      const b = input('b', node.inputs.b);
      if (a.length !== b.length) fail(`inputs must have equal ranks, got ${fmt(a)} and ${fmt(b)}`);
      return a.map((d, i) => {
        const e = b[i]!;
        if (d === e || e === 1) return d;
        if (d === 1) return e;
        return fail(`cannot broadcast ${fmt(a)} with ${fmt(b)} (axis ${i})`);
      });
    }
    case 'concat': {
      const ids = list(node.inputs.xs, 1);
      const shapes = ids.map((id, i) => input(`xs[${i}]`, id));
      const first = shapes[0]!;
      if (first.length < 2) fail(`inputs must have rank ≥ 2, got ${fmt(first)}`);
      let last = 0;
      for (const [i, s] of shapes.entries()) {
        if (s.length !== first.length || !sameShape(s.slice(0, -1), first.slice(0, -1))) {
          fail(
            `inputs may differ only in the last axis: '${ids[0]}' is ${fmt(first)} but '${ids[i]}' is ${fmt(s)}`,
          );
        }
        last += s[s.length - 1]!;
      }
      return [...first.slice(0, -1), last];
    }
    case 'sinusoidal': {
      input('t', node.inputs.t, 1);
      const dim = positiveInt('dim', node.dim);
      if (dim < 2) fail(`dim must be at least 2 (one cosine and one sine), got ${dim}`);
      if (finite('maxPeriod', node.maxPeriod) <= 0) fail(`maxPeriod must be positive, got ${node.maxPeriod}`);
      finite('timeScale', node.timeScale);
      return [BATCH, dim];
    }
    case 'fourier': {
      input('t', node.inputs.t, 1);
      const c = positiveInt('channels', node.channels);
      finite('omegaMin', node.omegaMin);
      finite('omegaMax', node.omegaMax);
      param('phase', node.params.phase, [c]);
      return [BATCH, 2 * c];
    }
    case 'reshape': {
      const s = input('x', node.inputs.x);
      const shape = node.shape as unknown;
      if (
        !Array.isArray(shape) ||
        shape.length < 2 ||
        shape[0] !== BATCH ||
        !shape.slice(1).every(isPositiveInt)
      ) {
        fail(`shape must be [-1, positive integers…] (the batch first), got ${describe(shape)}`);
      }
      const target = shape as number[];
      if (size(target) !== size(s)) {
        fail(
          `cannot reshape ${fmt(s)} (${size(s)} per sample) to ${fmt(target)} (${size(target)} per sample)`,
        );
      }
      return [...target];
    }
    case 'conv2d': {
      const [, h, w, cin] = input('x', node.inputs.x, 4) as [number, number, number, number];
      const f = paramShape(node.params.weight);
      if (f.length !== 4 || f[2] !== cin) {
        fail(
          `param 'weight' ('${node.params.weight}') has shape ${fmt(f)}, expected HWIO [kh, kw, ${cin}, out] for ${cin} input channels`,
        );
      }
      const [kh, kw, , cout] = f as [number, number, number, number];
      if (node.params.bias !== undefined) param('bias', node.params.bias, [cout]);
      const stride = positiveInt('stride', node.stride);
      if (node.padding !== 'same' && node.padding !== 'valid') {
        fail(`padding must be 'same' or 'valid', got ${describe(node.padding)}`);
      }
      if (node.padding === 'same') return [BATCH, Math.ceil(h / stride), Math.ceil(w / stride), cout];
      if (h < kh || w < kw)
        fail(`a ${kh}×${kw} 'valid' convolution needs at least that input, got ${h}×${w}`);
      return [BATCH, Math.floor((h - kh) / stride) + 1, Math.floor((w - kw) / stride) + 1, cout];
    }
    case 'groupNorm': {
      const s = input('x', node.inputs.x, [2, 4]);
      const c = s[s.length - 1]!;
      const groups = positiveInt('groups', node.groups);
      if (c % groups !== 0) fail(`groups = ${groups} must divide the ${c} channels`);
      if (finite('eps', node.eps) <= 0) fail(`eps must be positive, got ${node.eps}`);
      param('scale', node.params.scale, [c]);
      param('bias', node.params.bias, [c]);
      return s;
    }
    case 'avgPool2': {
      const [, h, w, c] = input('x', node.inputs.x, 4) as [number, number, number, number];
      if (h % 2 !== 0 || w % 2 !== 0) fail(`height and width must be even, got ${h}×${w}`);
      return [BATCH, h / 2, w / 2, c];
    }
    case 'upsample2': {
      const [, h, w, c] = input('x', node.inputs.x, 4) as [number, number, number, number];
      return [BATCH, 2 * h, 2 * w, c];
    }
    case 'addChannelBias': {
      const s = input('x', node.inputs.x, 4);
      const b = input('bias', node.inputs.bias, 2);
      if (b[1] !== s[3]) fail(`bias has ${b[1]} channels but x has ${s[3]}`);
      return s;
    }
  }
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

function size(shape: number[]): number {
  return shape.reduce((a, d) => (d === BATCH ? a : a * d), 1);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function fmt(shape: readonly number[]): string {
  return `[${shape.map((d) => (d === BATCH ? 'B' : String(d))).join(', ')}]`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return `'${v}'`;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
