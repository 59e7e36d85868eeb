import type { Graph } from './graph.js';
import { GraphBuilder } from './graph-builder.js';

/** Options of {@link unet28}. */
export interface Unet28Options {
  /**
   * Channels at 28×28 and at 14×14 (default [8, 16]: ~2.5 training steps/s at batch 32 on wasm,
   * against ~1.2 for [16, 32] and ~0.5 for [32, 64]; convolutions dominate and run near the
   * backend's matmul throughput, so the cost grows with the square of the width).
   */
  channels?: [number, number];
  /** GroupNorm groups (default 4); must divide every channel count, including the concatenations. */
  groups?: number;
  /** Sinusoidal features of the time embedding (default 32), projected to 4·channels[0]. */
  timeEmbedDim?: number;
  /** Factor applied to t before the embedding (default 1000, DDPM's step-index scale for t ∈ [0, 1]). */
  timeScale?: number;
  /** Include the 14×14 middle block (default true). */
  middleBlock?: boolean;
}

/**
 * A small U-Net for 28×28×1 images flattened to 784 (MNIST-sized), after DDPM/ADM at toy scale:
 * conv 3×3 → residual block at 28×28 (C₀) → avgPool2 → residual block at 14×14 (C₁) → middle block →
 * concat skip → residual block → upsample2 → concat skip → residual block → GroupNorm → SiLU →
 * conv 3×3 → 784. A residual block is h = conv(SiLU(GN(x))) + Dense(SiLU(emb)) per channel,
 * h = conv(SiLU(GN(h))), out = h + skip(x) (a 1×1 conv when the channel count changes); emb is
 * Linear(SiLU(Linear(sinusoidal(t·timeScale)))).
 */
export function unet28(options: Unet28Options = {}): Graph {
  const config = {
    channels: [...(options.channels ?? [8, 16])] as [number, number],
    groups: options.groups ?? 4,
    timeEmbedDim: options.timeEmbedDim ?? 32,
    timeScale: options.timeScale ?? 1000,
    middleBlock: options.middleBlock ?? true,
  } satisfies Required<Unet28Options>;
  const [c0, c1] = config.channels;
  const { groups } = config;
  for (const [name, c] of [
    ['channels[0]', c0],
    ['channels[1]', c1],
    ['channels[0] + channels[1]', c0 + c1],
  ] as const) {
    if (!Number.isInteger(c) || c < 1 || c % groups !== 0) {
      throw new RangeError(`unet28: ${name} = ${c} must be a positive multiple of groups = ${groups}`);
    }
  }
  const embDim = 4 * c0;

  const b = new GraphBuilder('unet28', config, 784);
  const image = b.node({ id: 'image', op: 'reshape', inputs: { x: b.x() }, shape: [-1, 28, 28, 1] });
  const sin = b.node({
    id: 'time.sinusoidal',
    op: 'sinusoidal',
    inputs: { t: b.t() },
    dim: config.timeEmbedDim,
    maxPeriod: 10_000,
    timeScale: config.timeScale,
  });
  const emb = b.dense(b.activation(b.dense(sin, embDim, 'time.0'), 'silu', 'time.1'), embDim, 'time.2');
  const embAct = b.activation(emb, 'silu', 'time.act');

  const resBlock = (input: string, cout: number, name: string): string => {
    const cin = b.shape(input)[3]!;
    let h = b.conv2d(
      b.activation(b.groupNorm(input, groups, `${name}.norm1`), 'silu', `${name}.act1`),
      cout,
      3,
      `${name}.conv1`,
    );
    h = b.node({
      id: `${name}.emb_add`,
      op: 'addChannelBias',
      inputs: { x: h, bias: b.dense(embAct, cout, `${name}.emb`) },
    });
    h = b.conv2d(
      b.activation(b.groupNorm(h, groups, `${name}.norm2`), 'silu', `${name}.act2`),
      cout,
      3,
      `${name}.conv2`,
    );
    const skip = cin === cout ? input : b.conv2d(input, cout, 1, `${name}.skip`);
    return b.node({ id: `${name}.out`, op: 'add', inputs: { xs: [skip, h] } });
  };

  const stem = b.conv2d(image, c0, 3, 'conv_in');
  const skip0 = resBlock(stem, c0, 'down0');
  const pooled = b.node({ id: 'down0.pool', op: 'avgPool2', inputs: { x: skip0 } });
  const skip1 = resBlock(pooled, c1, 'down1');
  let h = config.middleBlock ? resBlock(skip1, c1, 'mid') : skip1;
  h = resBlock(b.node({ id: 'up1.cat', op: 'concat', inputs: { xs: [h, skip1] } }), c1, 'up1');
  h = b.node({ id: 'up1.upsample', op: 'upsample2', inputs: { x: h } });
  h = resBlock(b.node({ id: 'up0.cat', op: 'concat', inputs: { xs: [h, skip0] } }), c0, 'up0');
  h = b.activation(b.groupNorm(h, groups, 'out.norm'), 'silu', 'out.act');
  const out = b.conv2d(h, 1, 3, 'out.conv');
  return b.build(b.node({ id: 'output', op: 'reshape', inputs: { x: out }, shape: [-1, 784] }));
}
