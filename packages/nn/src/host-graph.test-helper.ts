import { type Rng, tf } from '@bridgekit/core';
import type { Graph, GraphNode } from './graph.js';
import { validateGraph } from './validate-graph.js';

/** A float64 host tensor: row-major data and its shape. */
export interface HostTensor {
  shape: number[];
  data: Float64Array;
}

export type HostParams = Record<string, HostTensor>;

const SELU_ALPHA = 1.6732632423543772;
const SELU_LAMBDA = 1.0507009873554805;

/** erf to ~1e-15: Taylor series for |x| < 2.5, Lentz's continued fraction for erfc beyond. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let sum = x;
    let term = x;
    for (let n = 1; n < 120; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(a) = e^{−a²}/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))).
  let f = a;
  let c = a;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = a + an * d;
    d = 1 / d;
    c = a + an / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return Math.sign(x) * (1 - erfc);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const HOST_ACTIVATIONS: Record<string, (x: number) => number> = {
  silu: (x) => x * sigmoid(x),
  sigmoid,
  tanh: Math.tanh,
  softplus: (x) => (x > 30 ? x : Math.log1p(Math.exp(x))),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  selu: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
};

const size = (shape: number[]) => shape.reduce((a, d) => a * d, 1);

function map(a: HostTensor, f: (v: number, i: number) => number): HostTensor {
  return { shape: [...a.shape], data: a.data.map(f) };
}

/** x·W + b on the host. */
export function hostDense(x: HostTensor, w: HostTensor, b?: HostTensor): HostTensor {
  const [n, k] = x.shape as [number, number];
  const m = w.shape[1]!;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = b === undefined ? 0 : b.data[j]!;
      for (let l = 0; l < k; l++) s += x.data[i * k + l]! * w.data[l * m + j]!;
      out[i * m + j] = s;
    }
  return { shape: [n, m], data: out };
}

/** ADM timestep_embedding of t·timeScale, written from its definition. */
export function hostSinusoidal(
  t: Float64Array,
  dim: number,
  maxPeriod: number,
  timeScale: number,
): HostTensor {
  const half = Math.floor(dim / 2);
  const out = new Float64Array(t.length * dim);
  for (let b = 0; b < t.length; b++)
    for (let k = 0; k < half; k++) {
      const arg = t[b]! * timeScale * Math.exp((-Math.log(maxPeriod) * k) / half);
      out[b * dim + k] = Math.cos(arg);
      out[b * dim + half + k] = Math.sin(arg);
    }
  return { shape: [t.length, dim], data: out };
}

/** ASBS Fourier features [sin(ω t + φ), cos(ω t + φ)], ω = linspace(lo, hi, C). */
export function hostFourier(t: Float64Array, phase: Float64Array, lo: number, hi: number): HostTensor {
  const c = phase.length;
  const out = new Float64Array(t.length * 2 * c);
  for (let b = 0; b < t.length; b++)
    for (let k = 0; k < c; k++) {
      const omega = c === 1 ? lo : lo + ((hi - lo) * k) / (c - 1);
      const arg = omega * t[b]! + phase[k]!;
      out[b * 2 * c + k] = Math.sin(arg);
      out[b * 2 * c + c + k] = Math.cos(arg);
    }
  return { shape: [t.length, 2 * c], data: out };
}

/** GroupNorm from its definition (biased variance over each group's channels and positions). */
export function hostGroupNorm(
  x: HostTensor,
  scale: Float64Array,
  bias: Float64Array,
  groups: number,
  eps: number,
) {
  const b = x.shape[0]!;
  const c = x.shape[x.shape.length - 1]!;
  const positions = size(x.shape) / (b * c);
  const per = c / groups;
  const out = new Float64Array(x.data.length);
  for (let n = 0; n < b; n++)
    for (let g = 0; g < groups; g++) {
      let mean = 0;
      let sq = 0;
      const idx: number[] = [];
      for (let p = 0; p < positions; p++)
        for (let j = 0; j < per; j++) idx.push((n * positions + p) * c + g * per + j);
      for (const i of idx) mean += x.data[i]!;
      mean /= idx.length;
      for (const i of idx) sq += (x.data[i]! - mean) ** 2;
      const inv = 1 / Math.sqrt(sq / idx.length + eps);
      for (const i of idx) out[i] = (x.data[i]! - mean) * inv * scale[i % c]! + bias[i % c]!;
    }
  return { shape: [...x.shape], data: out };
}

/** 2×2 mean pooling with stride 2, from its definition. */
export function hostAvgPool2(x: HostTensor): HostTensor {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const out = new Float64Array((b * h * w * c) / 4);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h / 2; i++)
      for (let j = 0; j < w / 2; j++)
        for (let k = 0; k < c; k++) {
          let s = 0;
          for (const [p, q] of [
            [0, 0],
            [0, 1],
            [1, 0],
            [1, 1],
          ] as const)
            s += x.data[((n * h + 2 * i + p) * w + 2 * j + q) * c + k]!;
          out[((n * (h / 2) + i) * (w / 2) + j) * c + k] = s / 4;
        }
  return { shape: [b, h / 2, w / 2, c], data: out };
}

/** Nearest-neighbour 2× upsampling, from its definition. */
export function hostUpsample2(x: HostTensor): HostTensor {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const out = new Float64Array(b * h * w * c * 4);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < 2 * h; i++)
      for (let j = 0; j < 2 * w; j++)
        for (let k = 0; k < c; k++)
          out[((n * 2 * h + i) * 2 * w + j) * c + k] = x.data[((n * h + (i >> 1)) * w + (j >> 1)) * c + k]!;
  return { shape: [b, 2 * h, 2 * w, c], data: out };
}

/** NHWC/HWIO convolution with TensorFlow's padding rule. */
export function hostConv2d(
  x: HostTensor,
  w: HostTensor,
  stride: number,
  padding: 'same' | 'valid',
  bias?: HostTensor,
): HostTensor {
  const [n, h, wd, cin] = x.shape as [number, number, number, number];
  const [kh, kw, , cout] = w.shape as [number, number, number, number];
  const outSize = (s: number, k: number) =>
    padding === 'same' ? Math.ceil(s / stride) : Math.floor((s - k) / stride) + 1;
  const ho = outSize(h, kh);
  const wo = outSize(wd, kw);
  const pad = (s: number, o: number, k: number) =>
    padding === 'same' ? Math.floor(Math.max((o - 1) * stride + k - s, 0) / 2) : 0;
  const ph = pad(h, ho, kh);
  const pw = pad(wd, wo, kw);
  const out = new Float64Array(n * ho * wo * cout);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let o = 0; o < cout; o++) {
          let s = bias === undefined ? 0 : bias.data[o]!;
          for (let di = 0; di < kh; di++)
            for (let dj = 0; dj < kw; dj++) {
              const r = i * stride + di - ph;
              const q = j * stride + dj - pw;
              if (r < 0 || r >= h || q < 0 || q >= wd) continue;
              for (let ci = 0; ci < cin; ci++)
                s +=
                  x.data[((b * h + r) * wd + q) * cin + ci]! *
                  w.data[((di * kw + dj) * cin + ci) * cout + o]!;
            }
          out[((b * ho + i) * wo + j) * cout + o] = s;
        }
  return { shape: [n, ho, wo, cout], data: out };
}

function hostMul(a: HostTensor, b: HostTensor): HostTensor {
  const shape = a.shape.map((d, i) => Math.max(d, b.shape[i]!));
  const out = new Float64Array(size(shape));
  const strides = (s: number[]) => s.map((_, i) => size(s.slice(i + 1)));
  const so = strides(shape);
  const sa = strides(a.shape);
  const sb = strides(b.shape);
  for (let f = 0; f < out.length; f++) {
    let ia = 0;
    let ib = 0;
    let rest = f;
    for (let ax = 0; ax < shape.length; ax++) {
      const k = Math.floor(rest / so[ax]!);
      rest -= k * so[ax]!;
      ia += (a.shape[ax] === 1 ? 0 : k) * sa[ax]!;
      ib += (b.shape[ax] === 1 ? 0 : k) * sb[ax]!;
    }
    out[f] = a.data[ia]! * b.data[ib]!;
  }
  return { shape, data: out };
}

function hostConcat(xs: HostTensor[]): HostTensor {
  const lead = size(xs[0]!.shape.slice(0, -1));
  const widths = xs.map((x) => x.shape.at(-1)!);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = new Float64Array(lead * total);
  for (let r = 0; r < lead; r++) {
    let off = 0;
    for (const [i, x] of xs.entries()) {
      out.set(x.data.subarray(r * widths[i]!, (r + 1) * widths[i]!), r * total + off);
      off += widths[i]!;
    }
  }
  return { shape: [...xs[0]!.shape.slice(0, -1), total], data: out };
}

/** Evaluates one node on the host. */
function hostNode(
  node: GraphNode,
  v: (id: string) => HostTensor,
  p: (name: string) => HostTensor,
  x: HostTensor,
  t: HostTensor,
) {
  switch (node.op) {
    case 'x':
      return x;
    case 't':
      return t;
    case 'dense':
      return hostDense(
        v(node.inputs.x),
        p(node.params.weight),
        node.params.bias ? p(node.params.bias) : undefined,
      );
    case 'activation':
      return map(v(node.inputs.x), HOST_ACTIVATIONS[node.fn]!);
    case 'add':
      return node.inputs.xs
        .slice(1)
        .reduce((acc, id) => map(acc, (a, i) => a + v(id).data[i]!), v(node.inputs.xs[0]!));
    case 'mul':
      return hostMul(v(node.inputs.a), v(node.inputs.b));
    case 'scale':
      return map(v(node.inputs.x), (a) => a * node.factor);
    case 'concat':
      return hostConcat(node.inputs.xs.map(v));
    case 'sinusoidal':
      return hostSinusoidal(v(node.inputs.t).data, node.dim, node.maxPeriod, node.timeScale);
    case 'fourier':
      return hostFourier(v(node.inputs.t).data, p(node.params.phase).data, node.omegaMin, node.omegaMax);
    case 'reshape': {
      const a = v(node.inputs.x);
      return { shape: [a.shape[0]!, ...node.shape.slice(1)], data: a.data };
    }
    case 'conv2d':
      return hostConv2d(
        v(node.inputs.x),
        p(node.params.weight),
        node.stride,
        node.padding,
        node.params.bias ? p(node.params.bias) : undefined,
      );
    case 'groupNorm':
      return hostGroupNorm(
        v(node.inputs.x),
        p(node.params.scale).data,
        p(node.params.bias).data,
        node.groups,
        node.eps,
      );
    case 'avgPool2':
      return hostAvgPool2(v(node.inputs.x));
    case 'upsample2':
      return hostUpsample2(v(node.inputs.x));
    case 'addChannelBias': {
      const a = v(node.inputs.x);
      const bias = v(node.inputs.bias);
      const [, h, w, c] = a.shape as [number, number, number, number];
      return map(a, (val, i) => val + bias.data[Math.floor(i / (h * w * c)) * c + (i % c)]!);
    }
  }
}

/** A float64 host interpreter of a graph: the reference every tfjs result is checked against. */
export function hostApply(graph: Graph, params: HostParams, x: HostTensor, t: HostTensor): HostTensor {
  const { order } = validateGraph(graph);
  const values = new Map<string, HostTensor>();
  for (const node of order) {
    values.set(
      node.id,
      hostNode(
        node,
        (id) => values.get(id)!,
        (name) => params[name]!,
        x,
        t,
      ),
    );
  }
  return values.get(graph.output)!;
}

/** Downloads tensors as float64 host tensors (the float32 values, exactly). */
export function toHost(params: Record<string, tf.Tensor>): HostParams {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      { shape: [...v.shape], data: Float64Array.from(v.dataSync()) },
    ]),
  );
}

/** A host tensor of smooth, sign-changing test values (exactly representable in float32). */
export function testValues(shape: number[], a: number, b: number, scale = 1): HostTensor {
  return {
    shape,
    data: Float64Array.from({ length: size(shape) }, (_, i) => Math.fround(scale * Math.sin(a * i + b))),
  };
}

/** Uploads a host tensor as float32. */
export function toTensor<R extends tf.Rank>(h: HostTensor): tf.Tensor<R> {
  return tf.tensor<tf.Rank>(Float32Array.from(h.data), h.shape) as unknown as tf.Tensor<R>;
}

/** Random float32-exact host values from a seeded Rng. */
export function randomHost(rng: Rng, shape: number[], scale = 1): HostTensor {
  return { shape, data: Float64Array.from(rng.normalFloat32(size(shape)), (v) => v * scale) };
}
