import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  BUILT_IN_REWARDS,
  FINETUNABLE_METHODS,
  type FinetuneMethod,
  type FinetuneSummary,
  type ModeReweightReward,
  type Reward,
  resolveReward,
  tiltedMixture,
} from '@bridgekit/adjoint';
import { baselineMethods } from '@bridgekit/baselines';
import { nearestCentreMasses } from '@bridgekit/metrics';
import type { SampleResult, TrainedModel } from '@bridgekit/train';
import { Command, Option } from 'commander';
import { choice, nonNegativeNumber, positiveInteger, requiredText } from '../arguments.js';
import { writeFileAtomic } from '../atomic-write.js';
import { startBackend } from '../backend.js';
import {
  backendOption,
  backendRequest,
  type CommandInstance,
  declaredOptions,
  parseSeed,
  quietOption,
  seedOption,
} from '../common-options.js';
import type { CommandContext } from '../context.js';
import { asFailure, fsReason, oneLine, runtimeError, usageError } from '../errors.js';
import { formatLoss, LOSS_PLOT_FILE, writeLossPlot } from '../loss-plot.js';
import { commanderOption, type MethodFlag, methodFlags, methodOptionValues } from '../method-options.js';
import { createReporter, type Reporter } from '../progress.js';
import { locateModel } from './sample.js';

const FINETUNE_SUMMARY_FILE = 'finetune-summary.json';

const DEFAULTS = { lambda: 1, steps: 500, checkpointEvery: 100 } as const;

/** Samples drawn from the fine-tuned model to measure its mode masses (mode re-weighting rewards). */
const MODE_MASS_SAMPLES = 2000;
const MODE_MASS_NFE = 100;

/** How the fine-tuned model's mass is spread over the modes of a mode re-weighting reward's mixture. */
export interface ModeMasses {
  /** Fraction of samples nearest each component mean. */
  readonly samples: number[];
  /** The exact target weights of p_base·e^{λr}. */
  readonly target: number[];
  /** ½·Σ|samples − target|. */
  readonly totalVariation: number;
}

/** `bridgekit finetune`: the core options, then every fine-tuning method's own options. */
export function finetuneCommand(ctx: CommandContext): CommandInstance {
  const names = ctx.finetuneMethods.map((m) => m.name);
  const rewards = BUILT_IN_REWARDS.map((r) => r.name);
  const cmd = new Command('finetune')
    .description(
      'fine-tune a flow-matching model towards p_base·e^{λr} for a reward r; writes checkpoints, the fine-tuned model, finetune-summary.json and loss.png',
    )
    .addOption(
      new Option(
        '--method <name>',
        `fine-tuning method (required): ${names.length > 0 ? names.join(', ') : 'none installed'}`,
      ),
    )
    .addOption(
      new Option(
        '--model <dir>',
        `the pretrained model: the --out directory of bridgekit train (or its model/ directory) of a ${FINETUNABLE_METHODS.join(' or ')} model (required)`,
      ),
    )
    .addOption(
      new Option(
        '--reward <spec>',
        `the reward r (required): a built-in reward (${rewards.join(', ')}) or a path to a module exporting a Reward (./my-reward.mjs)`,
      ),
    )
    .addOption(
      new Option(
        '--reward-params <json>',
        'parameters of a built-in reward as a JSON object, e.g. \'{"a": 2}\'',
      ),
    )
    .addOption(
      new Option('--lambda <l>', 'reward multiplier λ ≥ 0: the target is p_base·e^{λr}').default(
        DEFAULTS.lambda,
      ),
    )
    .addOption(
      new Option('--out <dir>', 'output directory for checkpoints/, model/ and the summary (required)'),
    )
    .addOption(new Option('--steps <n>', 'fine-tuning steps').default(DEFAULTS.steps))
    .addOption(seedOption('the initialisation, the simulated paths and the minibatches'))
    .addOption(
      new Option(
        '--checkpoint-every <n>',
        'write a checkpoint every n steps (and always at the end)',
      ).default(DEFAULTS.checkpointEvery),
    )
    .addOption(new Option('--resume', 'continue from the latest checkpoint in --out'))
    .addOption(backendOption(ctx.env))
    .addOption(quietOption());
  const reserved = new Set(declaredOptions(cmd).map((o) => o.attributeName()));
  reserved.add('help');
  const flags = methodFlags(ctx.finetuneMethods, reserved, 'finetune');
  for (const flag of flags) cmd.addOption(commanderOption(flag));
  const width = Math.max(0, ...names.map((n) => n.length));
  const methodList =
    ctx.finetuneMethods.length > 0
      ? ctx.finetuneMethods.map((m) => `  ${m.name.padEnd(width)}  ${m.description}`).join('\n')
      : '  (none installed)';
  const rewardWidth = Math.max(0, ...rewards.map((n) => n.length));
  const rewardList = BUILT_IN_REWARDS.map((r) => `  ${r.name.padEnd(rewardWidth)}  ${r.description}`).join(
    '\n',
  );
  cmd.addHelpText(
    'after',
    `\nMethods:\n${methodList}\n\nBuilt-in rewards (--reward-params sets their parameters):\n${rewardList}\n\nOptions in [brackets] belong to the methods named there; the others apply to every method.`,
  );
  return cmd.action(async (opts: Record<string, unknown>) => finetune(ctx, flags, opts));
}

async function finetune(
  ctx: CommandContext,
  flags: readonly MethodFlag[],
  opts: Readonly<Record<string, unknown>>,
): Promise<void> {
  // Everything the command line alone can get wrong is checked before any work starts.
  const names = ctx.finetuneMethods.map((m) => m.name);
  if (names.length === 0) {
    throw runtimeError(
      'no finetune methods are installed: this bridgekit was built without a fine-tuning method table (@bridgekit/adjoint)',
    );
  }
  const methodName = choice(
    '--method',
    requiredText('--method', opts.method as string | undefined, `one of ${names.join(', ')}`),
    names,
  );
  const method = ctx.finetuneMethods.find((m) => m.name === methodName) as FinetuneMethod;
  const modelArg = requiredText('--model', opts.model as string | undefined, 'a model directory');
  const rewardSpec = requiredText(
    '--reward',
    opts.reward as string | undefined,
    `a built-in reward (${BUILT_IN_REWARDS.map((r) => r.name).join(', ')}) or a module path`,
  );
  const params = parseRewardParams(opts.rewardParams);
  const lambda = nonNegativeNumber('--lambda', String(opts.lambda));
  const out = requiredText('--out', opts.out as string | undefined, 'an output directory');
  const steps = positiveInteger('--steps', String(opts.steps));
  const checkpointEvery = positiveInteger('--checkpoint-every', String(opts.checkpointEvery));
  const seed = parseSeed(opts.seed);
  const resume = opts.resume === true;
  const options = methodOptionValues(method, flags, opts);
  const globals = ctx.globals(opts);
  const backend = backendRequest(globals.backend, ctx.env);

  // The model directory is checked before the backend starts: a wrong --model fails at once.
  const { dir: modelDir, methodName: baseName } = locateModel(modelArg);
  if (!FINETUNABLE_METHODS.includes(baseName)) {
    throw runtimeError(
      `--model '${modelArg}' holds a '${baseName}' model; fine-tuning needs a flow-matching model (${FINETUNABLE_METHODS.join(', ')})`,
    );
  }
  if (resolve(out) === resolve(modelDir) || resolve(out, 'model') === resolve(modelDir)) {
    throw usageError(`--out '${out}' would overwrite the pretrained --model; choose a new directory`);
  }

  const reporter = await createReporter({ quiet: globals.quiet, stream: ctx.stdout });
  try {
    const info = await startBackend(backend, ctx.env, reporter);
    // Rewards hold tensors, so they are built once the backend runs.
    const reward = await loadRewardSpec(rewardSpec, params, lambda);
    reporter.info(`reward: ${reward.name}, λ = ${lambda}; base model: ${modelDir} (${baseName})`);
    try {
      await mkdir(out, { recursive: true });
    } catch (error) {
      throw runtimeError(`cannot create --out directory '${out}': ${fsReason(error)}`, error);
    }
    let summary: FinetuneSummary;
    try {
      summary = await method.finetune({
        model: modelDir,
        reward,
        lambda,
        out,
        steps,
        seed,
        checkpointEvery,
        resume,
        options,
        onProgress: reporter.onProgress,
      });
    } catch (error) {
      throw asFailure(error);
    }
    reporter.stop();
    const modeMasses = isModeReweight(reward)
      ? await measureModeMasses(summary, reward, lambda, seed, reporter)
      : undefined;
    const summaryFile = join(out, FINETUNE_SUMMARY_FILE);
    const record = {
      method: summary.method,
      model: resolve(modelDir),
      baseMethod: summary.baseMethod,
      reward: { spec: rewardSpec, name: reward.name, params: params ?? {} },
      lambda,
      steps,
      seed,
      checkpointEvery,
      resumed: resume,
      options: summary.options,
      backend: info.name,
      finalLoss: summary.finalLoss,
      seconds: summary.seconds,
      cost: { sampling: summary.cost.sampling, training: summary.cost.training },
      modelDir: summary.modelDir,
      ...(modeMasses === undefined ? {} : { modeMasses }),
      lossCurve: summary.lossCurve,
    };
    await writeFileAtomic('summary', summaryFile, `${JSON.stringify(record, null, 2)}\n`);
    const plotted = await writeLossPlot(join(out, LOSS_PLOT_FILE), summary, 'fine-tuning loss');
    reporter.info(
      `fine-tuned ${summary.baseMethod} with ${summary.method} for ${summary.steps} steps in ${summary.seconds.toFixed(1)} s, final loss ${formatLoss(summary.finalLoss)}, cost ${summary.cost.sampling} sampling + ${summary.cost.training} training evaluations`,
    );
    if (modeMasses !== undefined) {
      reporter.info(
        `mode masses (${MODE_MASS_SAMPLES} samples, nearest mean): ${formatWeights(modeMasses.samples)}; target ${formatWeights(modeMasses.target)}; total variation ${modeMasses.totalVariation.toFixed(3)}`,
      );
    }
    reporter.info(
      `model: ${summary.modelDir}; summary: ${summaryFile}${plotted ? `; loss curve: ${join(out, LOSS_PLOT_FILE)}` : ''}`,
    );
  } finally {
    reporter.stop();
  }
}

/** `--reward-params`: a JSON object, or undefined when absent. */
function parseRewardParams(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw usageError(
      `--reward-params must be a JSON object such as '{"a": 2}', got '${text}' (${oneLine(error)})`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(`--reward-params must be a JSON object such as '{"a": 2}', got '${text}'`);
  }
  return value as Record<string, unknown>;
}

/**
 * The reward of `--reward`: a bad name or parameters is a usage error, a module that does not load a
 * failure; both on one line.
 */
async function loadRewardSpec(
  spec: string,
  params: Record<string, unknown> | undefined,
  lambda: number,
): Promise<Reward> {
  try {
    return await resolveReward(spec, {
      ...(params === undefined ? {} : { params }),
      lambda,
      cwd: process.cwd(),
    });
  } catch (error) {
    if (error instanceof RangeError) throw usageError(oneLine(error));
    throw runtimeError(oneLine(error), error);
  }
}

function isModeReweight(reward: Reward): reward is ModeReweightReward {
  const r = reward as Partial<ModeReweightReward>;
  return Array.isArray(r.targetWeights) && typeof r.base === 'object' && r.base !== null;
}

/**
 * Draws samples from the fine-tuned model (ODE, by the base model's flow-matching method) and counts
 * the fraction nearest each mean of the reward's mixture, against the exact target weights.
 */
async function measureModeMasses(
  summary: FinetuneSummary,
  reward: ModeReweightReward,
  lambda: number,
  seed: number,
  reporter: Reporter,
): Promise<ModeMasses | undefined> {
  let target: number[];
  try {
    target = [...tiltedMixture(reward, lambda).weights];
  } catch (error) {
    // Only at λ = 0 or the reward's own λ is the target a mixture in closed form.
    reporter.info(`mode masses not measured: ${oneLine(error)}`);
    return undefined;
  }
  const loader = baselineMethods.find((m) => m.name === summary.baseMethod);
  if (loader === undefined) {
    throw runtimeError(`cannot sample the fine-tuned model: no method '${summary.baseMethod}' to load it`);
  }
  let model: TrainedModel;
  try {
    model = await loader.load(summary.modelDir);
  } catch (error) {
    throw runtimeError(`cannot load the fine-tuned model in ${summary.modelDir}: ${oneLine(error)}`, error);
  }
  let result: SampleResult;
  try {
    result = await model.sample({
      n: MODE_MASS_SAMPLES,
      seed,
      nfe: MODE_MASS_NFE,
      solver: 'ode',
      onProgress: reporter.onProgress,
    });
  } catch (error) {
    throw asFailure(error);
  } finally {
    model.dispose();
  }
  reporter.stop();
  const samples = nearestCentreMasses(result.samples, result.dim, reward.base.means);
  const totalVariation = 0.5 * samples.reduce((sum, p, k) => sum + Math.abs(p - target[k]!), 0);
  return { samples, target, totalVariation };
}

function formatWeights(weights: readonly number[]): string {
  return `[${weights.map((w) => w.toFixed(3)).join(', ')}]`;
}
