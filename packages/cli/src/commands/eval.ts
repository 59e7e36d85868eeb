import { evaluateSamples } from '@bridgekit/metrics';
import { Command, Option } from 'commander';
import { positiveInteger, requiredText } from '../arguments.js';
import { writeFileAtomic } from '../atomic-write.js';
import {
  backendOption,
  backendRequest,
  type CommandInstance,
  parseSeed,
  quietOption,
  seedOption,
} from '../common-options.js';
import type { CommandContext } from '../context.js';
import { oneLine, runtimeError } from '../errors.js';
import { firstRows, isFileSpec, readPoints } from '../inputs.js';
import { createReporter } from '../progress.js';

/** `bridgekit eval`: sample-quality metrics of samples against a reference file or dataset. */
export function evalCommand(ctx: CommandContext): CommandInstance {
  return (
    new Command('eval')
      .description('compare samples with a reference (W2 and the other metrics of @bridgekit/metrics)')
      .addOption(
        new Option(
          '--samples <file>',
          'samples as .csv / .npy, e.g. the output of bridgekit sample (required)',
        ),
      )
      .addOption(
        new Option(
          '--reference <spec>',
          'a .csv / .npy file, or a dataset name to draw the reference from (required)',
        ),
      )
      .addOption(
        new Option(
          '--n <count>',
          'points compared: the first n rows of each file, n points drawn from a dataset (default: every row of --samples)',
        ),
      )
      .addOption(seedOption('the draw of a --reference dataset and the sliced-W2 projections'))
      .addOption(new Option('--json <file>', 'also write the metrics as JSON (snake_case keys)'))
      // Accepted for uniform scripts (every command takes it) and validated, though nothing here needs tensors.
      .addOption(backendOption(ctx.env))
      .addOption(quietOption())
      .action(async (opts: Record<string, unknown>) => evaluate(ctx, opts))
  );
}

async function evaluate(ctx: CommandContext, opts: Readonly<Record<string, unknown>>): Promise<void> {
  const samplesFile = requiredText('--samples', opts.samples as string | undefined, 'a .csv or .npy file');
  const referenceSpec = requiredText(
    '--reference',
    opts.reference as string | undefined,
    'a .csv / .npy file or a dataset name',
  );
  const n = opts.n === undefined ? undefined : positiveInteger('--n', String(opts.n));
  const seed = parseSeed(opts.seed);
  const jsonFile = opts.json as string | undefined;
  const globals = ctx.globals(opts);
  backendRequest(globals.backend, ctx.env);

  const samples = firstRows('--n', readPoints('--samples', samplesFile), n);
  const drawn = readPoints('--reference', referenceSpec, { n: samples.rows, seed, stream: 'reference' });
  const reference = isFileSpec(referenceSpec) ? firstRows('--n', drawn, n) : drawn;
  if (samples.dim !== reference.dim) {
    throw runtimeError(
      `--samples '${samples.source}' has ${samples.dim} columns but --reference '${reference.source}' has ${reference.dim}`,
    );
  }
  let metrics: Record<string, number>;
  try {
    metrics = { ...evaluateSamples(samples.points, reference.points, samples.dim, { seed }) };
  } catch (error) {
    throw runtimeError(`cannot compare --samples and --reference: ${oneLine(error)}`, error);
  }
  const reporter = await createReporter({ quiet: globals.quiet, stream: ctx.stdout });
  reporter.info(
    `${samples.rows} samples from ${samples.source} vs ${reference.rows} reference points from ${reference.source}`,
  );
  reporter.info(formatTable(metrics));
  if (jsonFile !== undefined) {
    await writeFileAtomic('--json', jsonFile, `${JSON.stringify(metrics, null, 2)}\n`);
    reporter.info(`metrics → ${jsonFile}`);
  }
}

/** Two aligned columns, metric and value, with 6 significant digits. */
export function formatTable(metrics: Readonly<Record<string, number>>): string {
  const rows = Object.entries(metrics).map(([name, value]) => [
    name,
    Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : String(value),
  ]);
  const width = Math.max('metric'.length, ...rows.map(([name]) => name!.length));
  return [['metric', 'value'], ...rows].map(([name, value]) => `${name!.padEnd(width)}  ${value}`).join('\n');
}
