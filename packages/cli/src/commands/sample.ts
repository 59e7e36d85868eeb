import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE, MODEL_DIR } from '@bridgekit/checkpoint';
import { writeCsv } from '@bridgekit/data';
import type { Method, SampleRequest, SampleResult, TrainedModel } from '@bridgekit/train';
import { Command, Option } from 'commander';
import { choice, positiveInteger, requiredText } from '../arguments.js';
import { writeFileAtomic } from '../atomic-write.js';
import { startBackend } from '../backend.js';
import {
  backendOption,
  backendRequest,
  type CommandInstance,
  parseSeed,
  quietOption,
  seedOption,
} from '../common-options.js';
import type { CommandContext } from '../context.js';
import { asFailure, oneLine, runtimeError } from '../errors.js';
import { createReporter } from '../progress.js';

const SOLVERS = ['sde', 'ode'] as const;
const DEFAULT_PATHS = 64;

/** The JSON written by `--trajectories`: `paths[p][k]` is path p at time `t[k]`, in data coordinates. */
export interface TrajectoriesFile {
  readonly t: number[];
  readonly paths: number[][][];
}

/** `bridgekit sample`: loads a trained model with its method's `load` and writes samples as CSV. */
export function sampleCommand(ctx: CommandContext): CommandInstance {
  return new Command('sample')
    .description('draw samples from a trained model and write them as CSV')
    .addOption(
      new Option(
        '--model <dir>',
        'the --out directory of bridgekit train (or its model/ directory) (required)',
      ),
    )
    .addOption(new Option('--n <count>', 'number of samples (required)'))
    .addOption(new Option('--out <file.csv>', 'where to write the samples, one per row (required)'))
    .addOption(new Option('--nfe <k>', "network evaluations per sample (default: the method's default)"))
    .addOption(
      new Option(
        '--solver <kind>',
        "sde (stochastic) or ode (deterministic flow) (default: the method's default)",
      ),
    )
    .addOption(seedOption('the noise of the sampler'))
    .addOption(
      new Option('--trajectories <file.json>', 'also write the first --paths paths as JSON { t, paths }'),
    )
    .addOption(new Option('--paths <p>', 'paths recorded with --trajectories').default(DEFAULT_PATHS))
    .addOption(
      new Option(
        '--pairs <file.csv>',
        'also write the coupling as CSV, one row per sample: x0_1..x0_d (the sample, data coordinates) then x1_1..x1_d (the prior draw it started from, prior coordinates)',
      ),
    )
    .addOption(backendOption(ctx.env))
    .addOption(quietOption())
    .action(async (opts: Record<string, unknown>) => sample(ctx, opts));
}

async function sample(ctx: CommandContext, opts: Readonly<Record<string, unknown>>): Promise<void> {
  const modelArg = requiredText('--model', opts.model as string | undefined, 'a model directory');
  const n = positiveInteger('--n', requiredText('--n', opts.n as string | undefined, 'a positive integer'));
  const out = requiredText('--out', opts.out as string | undefined, 'a .csv file');
  const nfe = opts.nfe === undefined ? undefined : positiveInteger('--nfe', String(opts.nfe));
  const solver = opts.solver === undefined ? undefined : choice('--solver', String(opts.solver), SOLVERS);
  const seed = parseSeed(opts.seed);
  const trajectoriesFile = opts.trajectories as string | undefined;
  const pairsFile = opts.pairs as string | undefined;
  // There are only n paths to record; the default of 64 must not fail a smaller --n.
  const paths = Math.min(positiveInteger('--paths', String(opts.paths)), n);
  const globals = ctx.globals(opts);
  const backend = backendRequest(globals.backend, ctx.env);

  const { method, dir } = findModel(ctx.methods, modelArg);
  const reporter = await createReporter({ quiet: globals.quiet, stream: ctx.stdout });
  try {
    await startBackend(backend, ctx.env, reporter);
    let model: TrainedModel;
    try {
      model = await method.load(dir);
    } catch (error) {
      throw runtimeError(`cannot load the model in --model '${modelArg}': ${oneLine(error)}`, error);
    }
    let result: SampleResult;
    try {
      const request: SampleRequest = {
        n,
        seed,
        ...(nfe === undefined ? {} : { nfe }),
        ...(solver === undefined ? {} : { solver }),
        ...(trajectoriesFile === undefined ? {} : { trajectories: paths }),
        ...(pairsFile === undefined ? {} : { pairs: true }),
        onProgress: reporter.onProgress,
      };
      result = await model.sample(request);
    } catch (error) {
      throw asFailure(error);
    } finally {
      model.dispose();
    }
    reporter.stop();
    checkFinite(result.samples, result.dim, method.name);
    // Checked before anything is written: a method without starting points writes no files at all.
    const pairs = pairsFile === undefined ? undefined : pairRows(result, n, method.name);
    try {
      writeCsv(out, result.samples, result.dim, columnNames(result.dim));
    } catch (error) {
      throw runtimeError(`cannot write --out '${out}': ${oneLine(error)}`, error);
    }
    reporter.info(
      `sampled ${n} points of dim ${result.dim} with ${result.nfe} network evaluations each → ${out}`,
    );
    if (trajectoriesFile !== undefined) {
      if (result.trajectories === undefined) {
        throw runtimeError(
          `method '${method.name}' recorded no trajectories, so --trajectories cannot be written`,
        );
      }
      const json = trajectoriesJson(result.trajectories, result.dim);
      await writeFileAtomic('--trajectories', trajectoriesFile, `${JSON.stringify(json)}\n`);
      reporter.info(`${json.paths.length} trajectories at ${json.t.length} times → ${trajectoriesFile}`);
    }
    if (pairsFile !== undefined && pairs !== undefined) {
      try {
        writeCsv(pairsFile, pairs, 2 * result.dim, pairColumnNames(result.dim));
      } catch (error) {
        throw runtimeError(`cannot write --pairs '${pairsFile}': ${oneLine(error)}`, error);
      }
      reporter.info(`${n} (sample, prior draw) pairs of dim ${result.dim} → ${pairsFile}`);
    }
  } finally {
    reporter.stop();
  }
}

/** Column names of the samples CSV: x1, x2, … (a header that `readCsv` recognises as one). */
function columnNames(dim: number): string[] {
  return Array.from({ length: dim }, (_, j) => `x${j + 1}`);
}

/** Column names of the pairs CSV: x0_1, …, x0_d (the sample), then x1_1, …, x1_d (its prior draw). */
function pairColumnNames(dim: number): string[] {
  const block = (end: number) => Array.from({ length: dim }, (_, j) => `x${end}_${j + 1}`);
  return [...block(0), ...block(1)];
}

/**
 * The rows of the pairs CSV, [n × 2·dim]: each sample (data coordinates) followed by the prior draw it
 * started from (`SampleResult.starts`, the prior's coordinates). A method that returned no starts, or
 * starts of the wrong size, is a one-line error naming it.
 */
function pairRows(result: SampleResult, n: number, method: string): Float32Array {
  const { samples, starts, dim } = result;
  if (starts === undefined) {
    throw runtimeError(
      `method '${method}' returned no starting points, so --pairs cannot be written; nothing written`,
    );
  }
  if (starts.length !== n * dim || samples.length !== n * dim) {
    throw runtimeError(
      `method '${method}' returned ${starts.length / dim} starting points for ${samples.length / dim} samples, so --pairs cannot be written; nothing written`,
    );
  }
  checkFinite(starts, dim, method);
  const rows = new Float32Array(n * 2 * dim);
  for (let i = 0; i < n; i++) {
    rows.set(samples.subarray(i * dim, (i + 1) * dim), i * 2 * dim);
    rows.set(starts.subarray(i * dim, (i + 1) * dim), i * 2 * dim + dim);
  }
  return rows;
}

/**
 * Finds the model directory and the method that wrote it from `model/checkpoint.json`, whose config
 * records the method name. `arg` may be the train --out directory or the model directory itself.
 */
export function findModel(methods: readonly Method[], arg: string): { method: Method; dir: string } {
  const { dir, methodName: name } = locateModel(arg);
  const method = methods.find((m) => m.name === name);
  if (method === undefined) {
    throw runtimeError(
      `--model '${arg}' was trained with method '${name}', which this bridgekit does not have (it has ${methods.map((m) => m.name).join(', ')})`,
    );
  }
  return { method, dir };
}

/**
 * The model directory under a `--model` argument (the --out directory of a run, or the model directory
 * itself) and the method name its manifest records; a missing or corrupt model is a one-line error.
 */
export function locateModel(arg: string): { dir: string; methodName: string } {
  let isDir = false;
  try {
    isDir = statSync(arg).isDirectory();
  } catch {
    throw runtimeError(`--model directory '${arg}' does not exist`);
  }
  if (!isDir) throw runtimeError(`--model '${arg}' is not a directory`);
  const candidates = [join(arg, MODEL_DIR), arg];
  const dir = candidates.find((d) => {
    try {
      return statSync(join(d, MANIFEST_FILE)).isFile();
    } catch {
      return false;
    }
  });
  if (dir === undefined) {
    throw runtimeError(
      `--model '${arg}' holds no model: ${join(arg, MODEL_DIR, MANIFEST_FILE)} not found (give the --out directory of bridgekit train)`,
    );
  }
  const manifestFile = join(dir, MANIFEST_FILE);
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (error) {
    throw runtimeError(`--model: ${manifestFile} is corrupt: ${oneLine(error)}`, error);
  }
  const name = (manifest as { config?: { method?: unknown } } | null)?.config?.method;
  if (typeof name !== 'string') {
    throw runtimeError(`--model: ${manifestFile} is corrupt: it names no method (config.method)`);
  }
  return { dir, methodName: name };
}

/** A NaN in the samples is a failure of the model, reported before anything is written. */
function checkFinite(samples: Float32Array, dim: number, method: string): void {
  const i = samples.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) {
    throw runtimeError(
      `method '${method}' produced ${samples[i]} at sample ${Math.floor(i / dim) + 1}, coordinate ${(i % dim) + 1}; nothing written`,
    );
  }
}

/** Regroups the recorded states (per time, flat [paths × dim]) into one array of points per path. */
function trajectoriesJson(
  trajectories: { readonly t: number[]; readonly states: Float32Array[] },
  dim: number,
): TrajectoriesFile {
  const nPaths = (trajectories.states[0]?.length ?? 0) / dim;
  const paths: number[][][] = Array.from({ length: nPaths }, () => []);
  for (const state of trajectories.states) {
    for (let p = 0; p < nPaths; p++) paths[p]!.push(Array.from(state.subarray(p * dim, (p + 1) * dim)));
  }
  return { t: [...trajectories.t], paths };
}
