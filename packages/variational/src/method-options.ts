import { networkOptions } from '@bridgekit/baselines';
import type { MethodOption } from '@bridgekit/train';
import type { PolicyOptimizerConfig } from './policy-optimizer.js';

type Options = Readonly<Record<string, number | string | boolean>>;

/** Options VSDM and VSMD share: network, schedule, stage loop, forward optimiser (CLI flags in kebab-case). */
export function variationalOptions(defaults: {
  readonly betaMax: number;
  readonly r: number;
  readonly zeta: number;
}): readonly MethodOption[] {
  return [
    ...networkOptions('silu'),
    {
      name: 'betaMin',
      flag: 'beta-min',
      description: 'β_min of the schedule',
      type: 'number',
      default: 0.1,
      min: 0,
    },
    {
      name: 'betaMax',
      flag: 'beta-max',
      description: 'β_max of the schedule β(t) = β_min + t^r (β_max − β_min)',
      type: 'number',
      default: defaults.betaMax,
      min: 0,
    },
    {
      name: 'r',
      flag: 'beta-power',
      description: 'r of the power schedule (VSDM 1.7; 0 gives a constant β = β_max)',
      type: 'number',
      default: defaults.r,
      min: 0,
    },
    {
      name: 'zeta',
      flag: 'zeta',
      description: 'ζ, the divergence weight of the forward objective (VSDM 0.75; 1 for Gaussian data)',
      type: 'number',
      default: defaults.zeta,
      min: 0,
    },
    {
      name: 'stages',
      flag: 'stages',
      description:
        'number of stages; 0 = ⌈steps / (dsm-steps + sa-steps)⌉, otherwise dsm-steps becomes steps/stages − sa-steps',
      type: 'integer',
      default: 0,
      min: 0,
    },
    {
      name: 'dsmSteps',
      flag: 'dsm-steps',
      description: 'backward DSM steps per stage (VSDM 500)',
      type: 'integer',
      default: 500,
      min: 1,
    },
    {
      name: 'saSteps',
      flag: 'sa-steps',
      description: 'forward stochastic-approximation steps per stage (VSDM 100)',
      type: 'integer',
      default: 100,
      min: 1,
    },
    {
      name: 'samplePaths',
      flag: 'sample-paths',
      description: 'backward trajectories simulated per stage for the forward update',
      type: 'integer',
      default: 1000,
      min: 1,
    },
    {
      name: 'saBatch',
      flag: 'sa-batch',
      description: 'trajectories per forward step',
      type: 'integer',
      default: 500,
      min: 1,
    },
    {
      name: 'prior',
      flag: 'prior',
      description:
        "start of sampling: 'adaptive' N(0, Σ₁) (official), 'moment-matched' N(M₁μ, M₁CM₁ᵀ + Σ₁) from the data's mean and covariance, or 'reference' (the bridge's prior N(0, I))",
      type: 'string',
      default: 'adaptive',
      choices: ['adaptive', 'moment-matched', 'reference'],
    },
    {
      name: 'trajectoryPrior',
      flag: 'trajectory-prior',
      description:
        "start of the backward trajectories that drive the forward update: 'reference' N(0, I) (official; the bridge's prior), 'adaptive' or 'moment-matched'",
      type: 'string',
      default: 'reference',
      choices: ['reference', 'adaptive', 'moment-matched'],
    },
    {
      name: 'parameterization',
      flag: 'parameterization',
      description:
        "what the network regresses: 'noise' ε (ẑ follows in closed form; better conditioned) or 'score' ẑ (official code)",
      type: 'string',
      default: 'noise',
      choices: ['noise', 'score'],
    },
    {
      name: 'grid',
      flag: 'grid',
      description: 'K, training time points linspace(t0, 1, K)',
      type: 'integer',
      default: 100,
      min: 2,
    },
    {
      name: 'saOptimizer',
      flag: 'sa-optimizer',
      description:
        "forward step sizes: 'adamw' (official code, StepLR 0.99/1000) or 'robbins-monro' η_k = sa-lr/(k + 10)^α",
      type: 'string',
      default: 'adamw',
      choices: ['adamw', 'robbins-monro'],
    },
    {
      name: 'saLr',
      flag: 'sa-lr',
      description: 'forward learning rate',
      type: 'number',
      default: 1e-3,
      min: 0,
    },
    {
      name: 'saAlpha',
      flag: 'sa-alpha',
      description: 'Robbins–Monro exponent α ∈ (0.5, 1]',
      type: 'number',
      default: 0.75,
      min: 0.5,
      max: 1,
    },
    {
      name: 'emaDecay',
      flag: 'ema-decay',
      description: 'EMA decay of the backward network and the forward policy',
      type: 'number',
      default: 0.99,
      min: 0,
      max: 1,
    },
  ];
}

/** The stage layout implied by the total steps and the stage options; errors name the options. */
export function stageLayout(
  steps: number,
  options: Options,
): { dsmSteps: number; saSteps: number; stages: number } {
  const saSteps = Number(options.saSteps);
  const stages = Number(options.stages);
  if (stages > 0) {
    const dsmSteps = steps / stages - saSteps;
    if (!Number.isInteger(dsmSteps) || dsmSteps < 1) {
      throw new RangeError(
        `--stages ${stages} needs --steps to be a multiple of the stage count with more than --sa-steps (${saSteps}) steps per stage, got --steps ${steps}; e.g. --steps ${stages * (saSteps + 500)}`,
      );
    }
    return { dsmSteps, saSteps, stages };
  }
  const dsmSteps = Number(options.dsmSteps);
  return { dsmSteps, saSteps, stages: Math.ceil(steps / (dsmSteps + saSteps)) };
}

/** The forward optimiser from the options; refuses a zero --sa-lr and α = 0.5, naming the flag. */
export function policyOptimizerOf(options: Options): PolicyOptimizerConfig {
  if (!(Number(options.saLr) > 0)) {
    throw new RangeError(
      `--sa-lr must be a number > 0 (0 would freeze the forward policy), got ${options.saLr}`,
    );
  }
  if (options.saOptimizer === 'robbins-monro' && !(Number(options.saAlpha) > 0.5)) {
    throw new RangeError(
      `--sa-alpha must be in (0.5, 1] (Robbins–Monro needs Σ η² < ∞), got ${options.saAlpha}`,
    );
  }
  return options.saOptimizer === 'robbins-monro'
    ? { kind: 'robbins-monro', lr: Number(options.saLr), k0: 10, alpha: Number(options.saAlpha) }
    : {
        kind: 'adamw',
        lr: Number(options.saLr),
        lrOrthogonal: Number(options.saLr) / 5,
        weightDecay: 0,
        stepEvery: 1000,
        gamma: 0.99,
      };
}
