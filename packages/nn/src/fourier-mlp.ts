import type { Graph, GraphActivation } from './graph.js';
import { GraphBuilder } from './graph-builder.js';

/** Options of {@link fourierMlp}; the defaults are ASBS's (`configs/model/fouriermlp.yaml`). */
export interface FourierMlpOptions {
  /** Data dimension d (input and output). */
  dataDim: number;
  /** C, the width (default 64). */
  channels?: number;
  /** L, the layer count (default 4): L − 2 hidden layers after the embedding sum. */
  layers?: number;
  /** Activation (default 'gelu', exact erf form as torch.nn.GELU). */
  activation?: GraphActivation;
  /** Range of the constant frequencies ω = linspace(omegaMin, omegaMax, C) (default 0.1 … 100). */
  omegaMin?: number;
  omegaMax?: number;
  /** Zero-initialise the output layer, weight and bias (default true), so the net starts at 0. */
  zeroInit?: boolean;
}

/**
 * ASBS's FourierMLP (algorithms.md §1.7; adjoint_samplers `components/model.py`):
 * x-feat = Linear(d, C)(x); t-feat = Linear(C, C)(act(Linear(2C, C)([sin(ω·t + φ), cos(ω·t + φ)])))
 * with ω = linspace(0.1, 100, C) constant and φ ~ N(0, 1) learned; h = x-feat + t-feat; then
 * (L − 2) × h ← Linear(C, C)(act(h)); out = Linear(C, d)(act(h)), zero-initialised.
 */
export function fourierMlp(options: FourierMlpOptions): Graph {
  const config = {
    dataDim: options.dataDim,
    channels: options.channels ?? 64,
    layers: options.layers ?? 4,
    activation: options.activation ?? 'gelu',
    omegaMin: options.omegaMin ?? 0.1,
    omegaMax: options.omegaMax ?? 100,
    zeroInit: options.zeroInit ?? true,
  } satisfies Required<FourierMlpOptions>;
  for (const key of ['dataDim', 'channels'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      throw new RangeError(`fourierMlp: ${key} must be a positive integer, got ${config[key]}`);
    }
  }
  if (!Number.isInteger(config.layers) || config.layers < 2) {
    throw new RangeError(
      `fourierMlp: layers must be an integer ≥ 2 (input + output layers), got ${config.layers}`,
    );
  }
  const c = config.channels;
  const act = config.activation;

  const b = new GraphBuilder('fourierMlp', config, config.dataDim);
  const phase = b.param('timestep_embed.timestep_phase', [c], { kind: 'normal', std: 1 });
  const features = b.node({
    id: 'timestep_embed.features',
    op: 'fourier',
    inputs: { t: b.t() },
    params: { phase },
    channels: c,
    omegaMin: config.omegaMin,
    omegaMax: config.omegaMax,
  });
  const tHidden = b.activation(
    b.dense(features, c, 'timestep_embed.hidden_layer.0'),
    act,
    'timestep_embed.hidden_layer.0.act',
  );
  const tOut = b.dense(tHidden, c, 'timestep_embed.out_layer');
  const xOut = b.dense(b.x(), c, 'input_embed');
  let h = b.node({ id: 'embed', op: 'add', inputs: { xs: [xOut, tOut] } });
  for (let i = 0; i < config.layers - 2; i++) {
    h = b.dense(b.activation(h, act, `hidden_layer.${i}.act`), c, `hidden_layer.${i}`);
  }
  const last = b.activation(h, act, 'out_layer.act');
  return b.build(b.dense(last, config.dataDim, 'out_layer', config.zeroInit ? 'zeros' : 'torch'));
}
