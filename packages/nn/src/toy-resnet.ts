import type { Graph } from './graph.js';
import { GraphBuilder } from './graph-builder.js';

/** Options of {@link toyResNet}; the defaults are VSDM's. */
export interface ToyResNetOptions {
  /** Data dimension d (input and output). */
  dataDim: number;
  /** Width of every hidden layer (default 256). */
  hidden?: number;
  /** Sinusoidal embedding size (default 128). */
  timeEmbedDim?: number;
  /** K, the number of discretisation steps: the embedding sees the step index t·K/T (default 100). */
  steps?: number;
  /** T, the time horizon (default 1). */
  horizon?: number;
  /** Residual blocks (default 3). */
  resBlocks?: number;
  /** Linear+SiLU layers per residual block (default 3). */
  blockDepth?: number;
  /** Embedding max period (default 10 000). */
  maxPeriod?: number;
  /** Zero-initialise the last layer, VSDM's `zero_out_last_layer` (default false). */
  zeroOutput?: boolean;
}

/**
 * VSDM's backward score network for 2-D toys (algorithms.md §1.7, the SB-FBSDE `ToyPolicy`):
 * t → 128-d sinusoidal embedding of the step index t·K/T → Linear(128, 256) → SiLU → Linear(256, 256);
 * x → Linear(d, 256) → 3 residual blocks, each 3×[Linear(256, 256), SiLU], h ← (h + block(h))/√2;
 * out = Linear(256, d)(SiLU(Linear(256, 256)(x-features + t-features))).
 * Parameter names follow the PyTorch module (`t_module.0`, `x_module.res_blocks.1.4`, `out_module.2`).
 */
export function toyResNet(options: ToyResNetOptions): Graph {
  const config = {
    dataDim: options.dataDim,
    hidden: options.hidden ?? 256,
    timeEmbedDim: options.timeEmbedDim ?? 128,
    steps: options.steps ?? 100,
    horizon: options.horizon ?? 1,
    resBlocks: options.resBlocks ?? 3,
    blockDepth: options.blockDepth ?? 3,
    maxPeriod: options.maxPeriod ?? 10_000,
    zeroOutput: options.zeroOutput ?? false,
  } satisfies Required<ToyResNetOptions>;
  for (const key of ['dataDim', 'hidden', 'timeEmbedDim', 'steps', 'resBlocks', 'blockDepth'] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      throw new RangeError(`toyResNet: ${key} must be a positive integer, got ${config[key]}`);
    }
  }
  if (!(config.horizon > 0))
    throw new RangeError(`toyResNet: horizon must be positive, got ${config.horizon}`);
  const { hidden } = config;

  const b = new GraphBuilder('toyResNet', config, config.dataDim);
  const tEmb = b.node({
    id: 't_embed',
    op: 'sinusoidal',
    inputs: { t: b.t() },
    dim: config.timeEmbedDim,
    maxPeriod: config.maxPeriod,
    timeScale: config.steps / config.horizon,
  });
  const tOut = b.dense(
    b.activation(b.dense(tEmb, hidden, 't_module.0'), 'silu', 't_module.1'),
    hidden,
    't_module.2',
  );

  let h = b.dense(b.x(), hidden, 'x_module.map');
  for (let i = 0; i < config.resBlocks; i++) {
    let r = h;
    for (let j = 0; j < config.blockDepth; j++) {
      const name = `x_module.res_blocks.${i}.${2 * j}`;
      r = b.activation(b.dense(r, hidden, name), 'silu', `x_module.res_blocks.${i}.${2 * j + 1}`);
    }
    const sum = b.node({ id: `x_module.res_sum.${i}`, op: 'add', inputs: { xs: [h, r] } });
    h = b.node({ id: `x_module.res_out.${i}`, op: 'scale', inputs: { x: sum }, factor: Math.SQRT1_2 });
  }

  const joined = b.node({ id: 'x_plus_t', op: 'add', inputs: { xs: [h, tOut] } });
  const mid = b.activation(b.dense(joined, hidden, 'out_module.0'), 'silu', 'out_module.1');
  return b.build(b.dense(mid, config.dataDim, 'out_module.2', config.zeroOutput ? 'zeros' : 'torch'));
}
