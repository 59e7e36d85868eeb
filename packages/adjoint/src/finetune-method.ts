import { resolve } from 'node:path';
import { loadBaseline } from '@bridgekit/baselines';
import type { JsonValue } from '@bridgekit/checkpoint';
import {
  type MethodOption,
  type OptionValue,
  type Progress,
  resolveMethodOptions,
  runTrainingLoop,
  type TrainSummary,
} from '@bridgekit/train';
import {
  type FinetuneCost,
  type FinetuneMethodName,
  type FinetuneSession,
  finetuneSession,
} from './finetune-session.js';
import { rewardInModelCoordinates } from './normalized-reward.js';
import type { Reward } from './reward.js';

/** The base models fine-tuning accepts: flow-matching velocity models (t = 0 noise, t = 1 data). */
export const FINETUNABLE_METHODS: readonly string[] = ['cfm', 'ot-cfm'];

/** A fine-tuning run: the pretrained model, the reward, where to write, and the method's options. */
export interface FinetuneRequest {
  /** The pretrained flow model: a run directory (its `model/`) or a model/checkpoint directory. */
  readonly model: string;
  /** The reward, on data coordinates (the model's normalisation is applied for you). */
  readonly reward: Reward;
  /** λ ≥ 0: the target law is p_base·e^{λr}. */
  readonly lambda: number;
  /** Output directory: checkpoints under `<out>/checkpoints/`, the fine-tuned model under `<out>/model/`. */
  readonly out: string;
  readonly steps: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  /** Continue from the latest checkpoint in `out` (refused if the settings differ). */
  readonly resume: boolean;
  /** Method options by name (see `options`); missing ones take their defaults. */
  readonly options?: Readonly<Record<string, OptionValue | undefined>>;
  readonly onProgress?: (p: Progress) => void;
}

/** What a fine-tuning run reports. */
export interface FinetuneSummary extends TrainSummary {
  /** The method of the pretrained model (the fine-tuned model keeps it, so `sample` loads it the same way). */
  readonly baseMethod: string;
  /** Network evaluations spent (whole run, including resumed parts). */
  readonly cost: FinetuneCost;
  /** The resolved method options. */
  readonly options: Readonly<Record<string, OptionValue>>;
}

/** A reward fine-tuning method, as `bridgekit finetune --method` lists it. */
export interface FinetuneMethod {
  readonly name: FinetuneMethodName;
  readonly description: string;
  readonly options: readonly MethodOption[];
  finetune(request: FinetuneRequest): Promise<FinetuneSummary>;
}

/** The default settings, the single source of the options' defaults. */
const DEFAULTS = {
  paths: 256,
  timesPerPath: 4,
  passes: 1,
  lr: 1e-3,
  weightDecay: 0,
  sdeSteps: 20,
  clip: false,
  odeSteps: 4,
  odeSolver: 'heun',
  delta: 0.1,
  terminalScore: 'fitted',
} as const;

const SHARED_OPTIONS: readonly MethodOption[] = [
  {
    name: 'paths',
    flag: 'paths',
    description: 'trajectories (am) or endpoints (eam) simulated per collection',
    type: 'integer',
    default: DEFAULTS.paths,
    min: 1,
  },
  {
    name: 'timesPerPath',
    flag: 'times-per-path',
    description: 'regression rows per path: subsampled timesteps (am) or re-noising times (eam)',
    type: 'integer',
    default: DEFAULTS.timesPerPath,
    min: 1,
  },
  {
    name: 'passes',
    flag: 'passes',
    description: 'gradient steps per collection (a replay buffer when > 1)',
    type: 'integer',
    default: DEFAULTS.passes,
    min: 1,
  },
  {
    name: 'lr',
    flag: 'lr',
    description: 'AdamW learning rate',
    type: 'number',
    default: DEFAULTS.lr,
    min: 0,
  },
  {
    name: 'weightDecay',
    flag: 'weight-decay',
    description: 'AdamW decoupled weight decay',
    type: 'number',
    default: DEFAULTS.weightDecay,
    min: 0,
  },
];

const CLIP_OPTION: MethodOption = {
  name: 'clip',
  flag: 'clip',
  description:
    'scale rows whose √loss exceeds an EMA of its 0.9-quantile down to it (the AM code’s clipping)',
  type: 'boolean',
  default: DEFAULTS.clip,
};

const AM_OPTIONS: readonly MethodOption[] = [
  ...SHARED_OPTIONS,
  {
    name: 'sdeSteps',
    flag: 'sde-steps',
    description: 'steps of the memoryless SDE per trajectory (and of its adjoint)',
    type: 'integer',
    default: DEFAULTS.sdeSteps,
    min: 2,
  },
  CLIP_OPTION,
];

const EAM_OPTIONS: readonly MethodOption[] = [
  ...SHARED_OPTIONS,
  {
    name: 'odeSteps',
    flag: 'ode-steps',
    description: 'steps of the deterministic sampler that draws the endpoints',
    type: 'integer',
    default: DEFAULTS.odeSteps,
    min: 1,
  },
  {
    name: 'odeSolver',
    flag: 'ode-solver',
    description: 'sampler of the endpoints: heun (2 evaluations per step) or euler',
    type: 'string',
    default: DEFAULTS.odeSolver,
    choices: ['heun', 'euler'],
  },
  {
    name: 'delta',
    flag: 'delta',
    description: 'Tweedie’s score of the base model is taken at t = 1 − delta',
    type: 'number',
    default: DEFAULTS.delta,
    min: 1e-6,
    max: 0.5,
  },
  {
    name: 'terminalScore',
    flag: 'terminal-score',
    description:
      "the base model's data score: 'fitted' once by denoising score matching on its samples, or 'tweedie' from its velocity at t = 1 − delta",
    type: 'string',
    default: DEFAULTS.terminalScore,
    choices: ['fitted', 'tweedie'],
  },
  CLIP_OPTION,
];

function defineMethod(
  name: FinetuneMethodName,
  description: string,
  options: readonly MethodOption[],
): FinetuneMethod {
  const method: FinetuneMethod = {
    name,
    description,
    options,
    finetune: (request) => runFinetune(method, request),
  };
  return method;
}

/** Adjoint Matching (Domingo-Enrich et al., ICLR 2025; algorithms.md §4). */
export const adjointMatchingMethod: FinetuneMethod = defineMethod(
  'am',
  'Adjoint Matching: memoryless SDE trajectories, lean adjoint along the base model, control regression',
  AM_OPTIONS,
);

/** Efficient Adjoint Matching (algorithms.md §8: a derived reference design, not the paper's code). */
export const efficientAdjointMatchingMethod: FinetuneMethod = defineMethod(
  'eam',
  'Efficient Adjoint Matching (derived design): few-step ODE endpoints, closed-form adjoint of a linear base, velocity regression; its base terminal score fitted once by denoising score matching',
  EAM_OPTIONS,
);

/** Both methods, as the CLI lists them. */
export const finetuneMethods: readonly FinetuneMethod[] = [
  adjointMatchingMethod,
  efficientAdjointMatchingMethod,
];

async function runFinetune(method: FinetuneMethod, request: FinetuneRequest): Promise<FinetuneSummary> {
  if (!(typeof request.lambda === 'number' && Number.isFinite(request.lambda) && request.lambda >= 0)) {
    throw new RangeError(`--lambda must be a finite number ≥ 0, got ${String(request.lambda)}`);
  }
  const options = resolveMethodOptions(method, request.options ?? {});
  const base = await loadBaseline(request.model, FINETUNABLE_METHODS);
  try {
    const { config } = base;
    if (config.graph.outputDim !== config.dim) {
      throw new RangeError(
        `${request.model}: the model's network outputs ${config.graph.outputDim} values for dim ${config.dim}`,
      );
    }
    const settings = {
      method: method.name,
      lambda: request.lambda,
      paths: Number(options.paths),
      timesPerPath: Number(options.timesPerPath),
      passes: Number(options.passes),
      lr: Number(options.lr),
      weightDecay: Number(options.weightDecay),
      // Each method resolves only its own options; the other method's keep the shared defaults.
      sdeSteps: Number(options.sdeSteps ?? DEFAULTS.sdeSteps),
      clip: options.clip === true,
      odeSteps: Number(options.odeSteps ?? DEFAULTS.odeSteps),
      odeSolver: (options.odeSolver ?? DEFAULTS.odeSolver) as 'euler' | 'heun',
      delta: Number(options.delta ?? DEFAULTS.delta),
      terminalScore: (options.terminalScore ?? DEFAULTS.terminalScore) as 'fitted' | 'tweedie',
    };
    const sessionOptions = {
      graph: config.graph,
      baseParams: base.params,
      reward: rewardInModelCoordinates(request.reward, config.normalization),
      settings,
      seed: request.seed,
    };
    let session: FinetuneSession | undefined;
    const result = await runTrainingLoop({
      out: request.out,
      method: `finetune-${method.name}`,
      steps: request.steps,
      checkpointEvery: request.checkpointEvery,
      resume: request.resume,
      fingerprint: {
        options: { ...options },
        lambda: request.lambda,
        reward: request.reward.name,
        seed: request.seed,
        model: resolve(request.model),
      },
      create: () => {
        session = finetuneSession(sessionOptions);
        return wrap(session);
      },
      restore: (state, tensors) => {
        session = finetuneSession(sessionOptions, { state, tensors });
        return wrap(session);
      },
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    });
    return {
      method: method.name,
      baseMethod: config.method,
      options,
      cost: session?.cost() ?? { sampling: 0, training: 0 },
      ...result,
    };

    /** The saved model is the pretrained model's config with new weights and a record of the fine-tuning. */
    function wrap(s: FinetuneSession): FinetuneSession {
      return {
        ...s,
        model() {
          const m = s.model();
          const record: { [key: string]: JsonValue } = {
            method: method.name,
            reward: request.reward.name,
            lambda: request.lambda,
            steps: request.steps,
            seed: request.seed,
            base: resolve(request.model),
            options: { ...options },
          };
          if (config.finetune !== undefined) record.previous = config.finetune as JsonValue;
          return { config: { ...config, finetune: record } as unknown as JsonValue, tensors: m.tensors };
        },
      };
    }
  } finally {
    for (const t of Object.values(base.params)) t.dispose();
  }
}
