import { type Graph, mlp } from '@bridgekit/nn';
import type { MethodOption } from '@bridgekit/train';

/**
 * Network options every baseline shares (TorchCFM's 2-D protocol: MLP 3×64, AdamW lr 1e-3), with
 * the method's default activation: SELU for flow matching (TorchCFM's choice); the VP score model
 * defaults to SiLU, because with SELU its samples of N((1.5, −2), 0.25 I) kept a mean bias of
 * 0.1–0.2 after 3000 steps where SiLU's were within 0.02.
 */
export function networkOptions(activation: 'selu' | 'silu'): readonly MethodOption[] {
  return [
    {
      name: 'width',
      flag: 'width',
      description: 'hidden width of the MLP',
      type: 'integer',
      default: 64,
      min: 1,
    },
    {
      name: 'depth',
      flag: 'depth',
      description: 'number of hidden layers',
      type: 'integer',
      default: 3,
      min: 1,
      max: 16,
    },
    {
      name: 'activation',
      flag: 'activation',
      description: 'hidden activation',
      type: 'string',
      default: activation,
      choices: ['selu', 'silu', 'gelu', 'tanh', 'softplus'],
    },
    { name: 'lr', flag: 'lr', description: 'AdamW learning rate', type: 'number', default: 1e-3, min: 0 },
    {
      name: 'weightDecay',
      flag: 'weight-decay',
      description: 'AdamW decoupled weight decay',
      type: 'number',
      default: 0,
      min: 0,
    },
    {
      name: 'normalize',
      flag: 'normalize',
      description: "'standard' rescales each data column to mean 0, std 1 (undone when sampling)",
      type: 'string',
      default: 'none',
      choices: ['none', 'standard'],
    },
  ];
}

/** The MLP of the 2-D protocols: [x, t] concatenated at the input, `depth` hidden layers. */
export function baselineNetwork(
  dim: number,
  options: Readonly<Record<string, number | string | boolean>>,
): Graph {
  return mlp({
    inputDim: dim,
    outputDim: dim,
    hidden: Array.from({ length: Number(options.depth) }, () => Number(options.width)),
    activation: String(options.activation) as 'selu',
    timeEmbedding: { kind: 'raw' },
  });
}
