import type { Graph, GraphActivation } from './graph.js';
import { GraphBuilder } from './graph-builder.js';

/**
 * How an {@link mlp} sees time; the features are concatenated after x at the input.
 * - `none`: t is ignored.
 * - `raw`: t·timeScale itself, one column (TorchCFM's MLP, which takes cat([x, t])).
 * - `sinusoidal`: `dim` ADM features of t·timeScale (maxPeriod default 10 000).
 * - `fourier`: `dim` = 2C ASBS features sin/cos(ω·t·timeScale + φ), ω = linspace(omegaMin, omegaMax, C)
 *   (defaults 0.1, 100), learned phase φ ~ N(0, 1).
 */
export type MlpTimeEmbedding =
  | { kind: 'none' }
  | { kind: 'raw' }
  | { kind: 'sinusoidal'; dim: number; maxPeriod?: number }
  | { kind: 'fourier'; dim: number; omegaMin?: number; omegaMax?: number };

/** Options of {@link mlp}. */
export interface MlpOptions {
  inputDim: number;
  outputDim: number;
  /** Hidden widths, one per hidden layer (default [256, 256, 256]). */
  hidden?: number[];
  /** Activation after every hidden layer (default 'silu'). */
  activation?: GraphActivation;
  /** Time features (default { kind: 'raw' }). */
  timeEmbedding?: MlpTimeEmbedding;
  /** Factor applied to t before the embedding (default 1). */
  timeScale?: number;
}

/**
 * A multilayer perceptron net(x, t) = L_out ∘ (act ∘ L_k) ∘ … ∘ (act ∘ L_1)([x, emb(t)]) with
 * PyTorch-default (U(±1/√fanIn)) linear layers named `fc0 … fc{k−1}`, `out`.
 *
 * The TorchCFM 2-D protocol's "MLP 3×64" is `mlp({ inputDim: d, outputDim: d, hidden: [64, 64, 64],
 * activation: 'selu', timeEmbedding: { kind: 'raw' } })`: input d + 1, three SELU layers of width 64.
 */
export function mlp(options: MlpOptions): Graph {
  if (options.hidden !== undefined && !Array.isArray(options.hidden)) {
    throw new TypeError(`mlp: hidden must be an array of widths, got ${JSON.stringify(options.hidden)}`);
  }
  const config = {
    inputDim: options.inputDim,
    outputDim: options.outputDim,
    hidden: [...(options.hidden ?? [256, 256, 256])],
    activation: options.activation ?? 'silu',
    timeEmbedding: { ...(options.timeEmbedding ?? { kind: 'raw' }) } as MlpTimeEmbedding,
    timeScale: options.timeScale ?? 1,
  } satisfies Required<MlpOptions>;
  positiveInt('inputDim', config.inputDim);
  positiveInt('outputDim', config.outputDim);
  for (const [i, h] of config.hidden.entries()) positiveInt(`hidden[${i}]`, h);
  if (!Number.isFinite(config.timeScale)) {
    throw new RangeError(`mlp: timeScale must be a finite number, got ${config.timeScale}`);
  }

  const b = new GraphBuilder('mlp', config, config.inputDim);
  const features = [b.x()];
  const emb = config.timeEmbedding;
  switch (emb.kind) {
    case 'none':
      break;
    case 'raw': {
      const column = b.node({ id: 't_column', op: 'reshape', inputs: { x: b.t() }, shape: [-1, 1] });
      features.push(
        config.timeScale === 1
          ? column
          : b.node({ id: 't_scaled', op: 'scale', inputs: { x: column }, factor: config.timeScale }),
      );
      break;
    }
    case 'sinusoidal':
      positiveInt('timeEmbedding.dim', emb.dim);
      features.push(
        b.node({
          id: 't_embed',
          op: 'sinusoidal',
          inputs: { t: b.t() },
          dim: emb.dim,
          maxPeriod: emb.maxPeriod ?? 10_000,
          timeScale: config.timeScale,
        }),
      );
      break;
    case 'fourier': {
      positiveInt('timeEmbedding.dim', emb.dim);
      if (emb.dim % 2 !== 0) {
        throw new RangeError(
          `mlp: timeEmbedding.dim must be even for 'fourier' (2C features), got ${emb.dim}`,
        );
      }
      const channels = emb.dim / 2;
      const scaled =
        config.timeScale === 1
          ? b.t()
          : b.node({ id: 't_scaled', op: 'scale', inputs: { x: b.t() }, factor: config.timeScale });
      const phase = b.param('t_embed.phase', [channels], { kind: 'normal', std: 1 });
      features.push(
        b.node({
          id: 't_embed',
          op: 'fourier',
          inputs: { t: scaled },
          params: { phase },
          channels,
          omegaMin: emb.omegaMin ?? 0.1,
          omegaMax: emb.omegaMax ?? 100,
        }),
      );
      break;
    }
    default:
      throw new RangeError(
        `mlp: timeEmbedding.kind must be one of none, raw, sinusoidal, fourier; got '${(emb as { kind: unknown }).kind}'`,
      );
  }
  let h =
    features.length === 1 ? features[0]! : b.node({ id: 'input', op: 'concat', inputs: { xs: features } });
  for (const [i, width] of config.hidden.entries()) {
    h = b.activation(b.dense(h, width, `fc${i}`), config.activation, `fc${i}.act`);
  }
  return b.build(b.dense(h, config.outputDim, 'out'));
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1)
    throw new RangeError(`mlp: ${name} must be a positive integer, got ${v}`);
}
