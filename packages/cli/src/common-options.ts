import { BACKEND_ENV, BACKEND_NAMES, type BackendRequest, parseBackendRequest } from '@bridgekit/core';
import { type Command, Option } from 'commander';
import { nonNegativeInteger } from './arguments.js';
import { usageError } from './errors.js';

/** The environment variable that silences progress like --quiet (the doc-example runner sets it). */
export const QUIET_ENV = 'BRIDGEKIT_QUIET';

export type CommandInstance = Command;
export type OptionInstance = Option;

/** Options every command shares, given before the command name or after it. */
export interface GlobalOptions {
  readonly quiet: boolean;
  /** The --backend value as typed, if any; the environment and 'auto' come later, in initBackend. */
  readonly backend?: string;
}

export function quietOption(): OptionInstance {
  return new Option('--quiet', `no progress bar and no log lines, only errors (also ${QUIET_ENV}=1)`);
}

// The default is not a value but a rule, so the description states it: commander prints
// "(default: …)" only for options that have a default value.
export function backendOption(env: Readonly<Record<string, string | undefined>>): OptionInstance {
  const fromEnv = env[BACKEND_ENV];
  const fallback =
    fromEnv !== undefined && fromEnv !== '' ? `${fromEnv} from ${BACKEND_ENV}` : `$${BACKEND_ENV}, else auto`;
  return new Option(
    '--backend <name>',
    `TensorFlow.js backend: auto, ${BACKEND_NAMES.join(', ')}; auto takes the fastest installed one (default: ${fallback})`,
  );
}

export function seedOption(what: string): OptionInstance {
  return new Option('--seed <int>', `random seed (non-negative integer) for ${what}`).default(0);
}

/** The seed from a --seed value (commander's default is the number 0, a typed value a string). */
export function parseSeed(raw: unknown): number {
  return nonNegativeInteger('--seed', String(raw));
}

/**
 * Merges the options given before the command name (`bridgekit --quiet train`) with the command's own
 * (`bridgekit train --quiet`); the command's win. BRIDGEKIT_QUIET=1 counts as --quiet.
 */
export function mergeGlobals(
  program: Readonly<Record<string, unknown>>,
  command: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): GlobalOptions {
  const quiet = command.quiet === true || program.quiet === true || env[QUIET_ENV] === '1';
  const backend = (command.backend ?? program.backend) as string | undefined;
  return backend === undefined ? { quiet } : { quiet, backend };
}

/**
 * Validates --backend (or BRIDGEKIT_BACKEND when --backend is absent) before any work starts, so a
 * typo is a usage error rather than a failure after the data has been loaded.
 */
export function backendRequest(
  raw: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): BackendRequest | undefined {
  try {
    if (raw !== undefined) return parseBackendRequest(raw, '--backend');
    const fromEnv = env[BACKEND_ENV];
    if (fromEnv !== undefined && fromEnv !== '') parseBackendRequest(fromEnv, BACKEND_ENV);
    return undefined;
  } catch (error) {
    throw usageError((error as Error).message);
  }
}

/** The options declared on a command. */
export function declaredOptions(command: CommandInstance): readonly OptionInstance[] {
  return command.options;
}
