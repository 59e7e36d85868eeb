import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetNames } from '@bridgekit/data';
import type { Method, TrainSummary } from '@bridgekit/train';
import { Command, Option } from 'commander';
import { choice, positiveInteger, requiredText } from '../arguments.js';
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
import { asFailure, fsReason, runtimeError } from '../errors.js';
import { readPoints } from '../inputs.js';
import { formatLoss, LOSS_PLOT_FILE, writeLossPlot } from '../loss-plot.js';
import { commanderOption, type MethodFlag, methodFlags, methodOptionValues } from '../method-options.js';
import { createReporter } from '../progress.js';

const TRAIN_SUMMARY_FILE = 'train-summary.json';

const DEFAULTS = { steps: 2000, batch: 256, nData: 10_000, checkpointEvery: 500 } as const;

/** `bridgekit train`: the core options, then every method's own options from the method table. */
export function trainCommand(ctx: CommandContext): CommandInstance {
  const names = ctx.methods.map((m) => m.name);
  const cmd = new Command('train')
    .description('train a model and write checkpoints, the final model, train-summary.json and loss.png')
    .addOption(new Option('--method <name>', `training method (required): ${names.join(', ')}`))
    .addOption(
      new Option(
        '--data <spec>',
        `training data (required): a dataset name (${datasetNames().join(', ')}; e.g. spiral-y8 stretches y by 8) or a .csv / .npy file with one point per row`,
      ),
    )
    .addOption(
      new Option('--out <dir>', 'output directory for checkpoints/, model/ and the summary (required)'),
    )
    .addOption(new Option('--steps <n>', 'training steps').default(DEFAULTS.steps))
    .addOption(new Option('--batch <n>', 'batch size').default(DEFAULTS.batch))
    .addOption(
      new Option('--n-data <n>', 'points drawn when --data is a dataset name').default(DEFAULTS.nData),
    )
    .addOption(seedOption('the data draw, initialisation and training noise'))
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
  const flags = methodFlags(ctx.methods, reserved);
  for (const flag of flags) cmd.addOption(commanderOption(flag));
  const width = Math.max(0, ...names.map((n) => n.length));
  const methodList = ctx.methods.map((m) => `  ${m.name.padEnd(width)}  ${m.description}`).join('\n');
  cmd.addHelpText(
    'after',
    `\nMethods:\n${methodList}\n\nOptions in [brackets] belong to the methods named there; the others apply to every method.`,
  );
  return cmd.action(async (opts: Record<string, unknown>) => train(ctx, flags, opts));
}

async function train(
  ctx: CommandContext,
  flags: readonly MethodFlag[],
  opts: Readonly<Record<string, unknown>>,
): Promise<void> {
  // Everything the command line alone can get wrong is checked before any work starts.
  const names = ctx.methods.map((m) => m.name);
  const methodName = choice(
    '--method',
    requiredText('--method', opts.method as string | undefined, `one of ${names.join(', ')}`),
    names,
  );
  const method = ctx.methods.find((m) => m.name === methodName) as Method;
  const dataSpec = requiredText(
    '--data',
    opts.data as string | undefined,
    'a dataset name or a .csv / .npy file',
  );
  const out = requiredText('--out', opts.out as string | undefined, 'an output directory');
  const steps = positiveInteger('--steps', String(opts.steps));
  const batch = positiveInteger('--batch', String(opts.batch));
  const nData = positiveInteger('--n-data', String(opts.nData));
  const checkpointEvery = positiveInteger('--checkpoint-every', String(opts.checkpointEvery));
  const seed = parseSeed(opts.seed);
  const resume = opts.resume === true;
  const options = methodOptionValues(method, flags, opts);
  const globals = ctx.globals(opts);
  const backend = backendRequest(globals.backend, ctx.env);

  const reporter = await createReporter({ quiet: globals.quiet, stream: ctx.stdout });
  try {
    const data = readPoints('--data', dataSpec, { n: nData, seed, stream: 'train-data' });
    const info = await startBackend(backend, ctx.env, reporter);
    reporter.info(`data: ${data.source}, ${data.rows} points of dim ${data.dim}`);
    try {
      await mkdir(out, { recursive: true });
    } catch (error) {
      throw runtimeError(`cannot create --out directory '${out}': ${fsReason(error)}`, error);
    }
    let summary: TrainSummary;
    try {
      summary = await method.train({
        data: { points: data.points, dim: data.dim, source: data.source },
        out,
        steps,
        batch,
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
    const summaryFile = join(out, TRAIN_SUMMARY_FILE);
    const record = {
      method: summary.method,
      data: { source: data.source, points: data.rows, dim: data.dim },
      steps,
      batch,
      seed,
      checkpointEvery,
      resumed: resume,
      options,
      backend: info.name,
      finalLoss: summary.finalLoss,
      seconds: summary.seconds,
      modelDir: summary.modelDir,
      lossCurve: summary.lossCurve,
    };
    await writeFileAtomic('summary', summaryFile, `${JSON.stringify(record, null, 2)}\n`);
    const plotted = await writeLossPlot(join(out, LOSS_PLOT_FILE), summary);
    reporter.info(
      `trained ${summary.method} for ${summary.steps} steps in ${summary.seconds.toFixed(1)} s, final loss ${formatLoss(summary.finalLoss)}`,
    );
    reporter.info(
      `model: ${summary.modelDir}; summary: ${summaryFile}${plotted ? `; loss curve: ${join(out, LOSS_PLOT_FILE)}` : ''}`,
    );
  } finally {
    reporter.stop();
  }
}
