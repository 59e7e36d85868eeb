import { readFileSync } from 'node:fs';
import type { FinetuneMethod } from '@bridgekit/adjoint';
import type { Method } from '@bridgekit/train';
import { Command } from 'commander';
import { evalCommand } from './commands/eval.js';
import { finetuneCommand } from './commands/finetune.js';
import { plotCommand } from './commands/plot.js';
import { sampleCommand } from './commands/sample.js';
import { trainCommand } from './commands/train.js';
import {
  backendOption,
  type CommandInstance,
  declaredOptions,
  mergeGlobals,
  quietOption,
} from './common-options.js';
import type { CommandContext } from './context.js';
import { DEBUG_ENV, EXIT_USAGE, reportError, usageError } from './errors.js';
import type { Output } from './progress.js';

/** What `createCli` needs; everything but the method table defaults to the process's own. */
export interface CliOptions {
  /** The methods `train` and `sample` offer; a method plugs in by being listed here. */
  readonly methods: readonly Method[];
  /**
   * The reward fine-tuning methods `finetune` offers (`finetuneMethods` of `@bridgekit/adjoint`);
   * default none, and then `finetune` says that none is installed.
   */
  readonly finetuneMethods?: readonly FinetuneMethod[];
  readonly stdout?: Output;
  readonly stderr?: { write(chunk: string): unknown };
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Printed by --version; default: this package's version. */
  readonly version?: string;
}

export interface Cli {
  /**
   * Runs one command line (the arguments after `bridgekit`) and resolves to its exit code: 0 on
   * success, 2 for a usage error, 1 for a failure. Never rejects: errors are printed to stderr as
   * one line, `bridgekit: <message>` (with stack traces when BRIDGEKIT_DEBUG=1).
   */
  run(argv: readonly string[]): Promise<number>;
}

interface CommanderErrorLike {
  readonly code: string;
  readonly exitCode: number;
  readonly message: string;
}

function isCommanderError(error: unknown): error is CommanderErrorLike {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('commander.');
}

/**
 * The bridgekit command line over a method table: `train`, `finetune`, `sample`, `eval` and `plot`. The
 * tables are checked here (unique names, method flags that do not clash), so a bad table fails at start-up.
 */
export function createCli(options: CliOptions): Cli {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const version = options.version ?? packageVersion();
  const methods = [...options.methods];
  const finetuneMethods = [...(options.finetuneMethods ?? [])];
  buildProgram(methods, finetuneMethods, stdout, stderr, env, version);
  return {
    async run(argv) {
      // commander keeps parsed values on its Command objects, so every run gets a fresh program.
      const program = buildProgram(methods, finetuneMethods, stdout, stderr, env, version);
      try {
        await program.parseAsync([...argv], { from: 'user' });
        return 0;
      } catch (error) {
        if (isCommanderError(error)) {
          // Help and --version end in an "error" with exit code 0; help for a bare `bridgekit` in one with 1.
          if (error.exitCode === 0) return 0;
          if (error.code === 'commander.help' || error.code === 'commander.helpDisplayed') return EXIT_USAGE;
        }
        const report = reportError(error, env[DEBUG_ENV] === '1');
        stderr.write(report.text);
        return report.exitCode;
      }
    },
  };
}

function buildProgram(
  methods: readonly Method[],
  finetuneMethods: readonly FinetuneMethod[],
  stdout: Output,
  stderr: { write(chunk: string): unknown },
  env: Readonly<Record<string, string | undefined>>,
  version: string,
): CommandInstance {
  const program = new Command('bridgekit')
    .description(
      'Schrödinger-bridge generative models from the command line: train, finetune, sample, eval, plot.',
    )
    .usage('[--backend <name>] [--quiet] <command> [options]')
    .version(version, '-V, --version', 'print the version')
    .addOption(backendOption(env))
    .addOption(quietOption())
    // Options before the command name belong to bridgekit, after it to the command; both define
    // --quiet and --backend, so either place works.
    .enablePositionalOptions();
  const ctx: CommandContext = {
    methods,
    finetuneMethods,
    stdout,
    env,
    globals: (commandOptions) => mergeGlobals(program.opts(), commandOptions, env),
  };
  for (const command of [
    trainCommand(ctx),
    finetuneCommand(ctx),
    sampleCommand(ctx),
    evalCommand(ctx),
    plotCommand(ctx),
  ]) {
    program.addCommand(command);
  }
  program.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  bridgekit train --method cfm --data moons --out runs/moons --steps 2000',
      '  bridgekit sample --model runs/moons --n 2000 --out runs/moons/samples.csv',
      '  bridgekit eval --samples runs/moons/samples.csv --reference moons',
      '  bridgekit plot --samples runs/moons/samples.csv --reference moons --out runs/moons/samples.png',
      '  bridgekit train --method cfm --data 8gaussians --out runs/8g',
      '  bridgekit finetune --method eam --model runs/8g --reward 8gaussians-modes --out runs/8g-eam',
      '  bridgekit sample --model runs/8g-eam --n 2000 --out runs/8g-eam/samples.csv',
      '',
      `Run 'bridgekit <command> --help' for a command's options. Exit codes: 0 ok, 1 failure, 2 bad usage.`,
    ].join('\n'),
  );
  for (const command of [program, ...program.commands]) configure(command, stdout, stderr);
  return program;
}

/**
 * Routes commander's output (help to stdout) and turns its parse errors into usage errors thrown to
 * `run`, which prints them as one line. Unknown options get the list of valid ones.
 */
function configure(
  command: CommandInstance,
  stdout: Output,
  stderr: { write(chunk: string): unknown },
): void {
  command.configureOutput({
    writeOut: (text) => void stdout.write(text),
    writeErr: (text) => void stderr.write(text),
    outputError: () => {},
  });
  command.allowExcessArguments(false);
  command.exitOverride((error) => {
    if (error.exitCode === 0 || error.code === 'commander.help' || error.code === 'commander.helpDisplayed') {
      throw error;
    }
    const message = error.message.replace(/^error:\s*/, '');
    const where = command.parent === null ? 'bridgekit' : `bridgekit ${command.name()}`;
    if (error.code === 'commander.unknownOption') {
      const valid = declaredOptions(command)
        .map((o) => o.long ?? o.short)
        .filter((f) => f !== undefined);
      throw usageError(`${message} for ${where}; valid options: ${[...valid, '--help'].join(', ')}`);
    }
    if (error.code === 'commander.unknownCommand') {
      const commands = command.commands.map((c) => c.name()).join(', ');
      throw usageError(`${message.replace(/\.\s*See .*$/, '')}; the commands are ${commands}`);
    }
    throw usageError(`${where}: ${message}`);
  });
}

/** The version in this package's package.json (one level above both src/ and dist/). */
function packageVersion(): string {
  const json = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return json.version;
}
