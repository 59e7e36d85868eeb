/** Exit code of a command line that is wrong by itself: unknown flag, bad value, missing option. */
export const EXIT_USAGE = 2;
/** Exit code of a well-formed command that failed: missing or malformed file, corrupt checkpoint. */
export const EXIT_FAILURE = 1;

/** The environment variable that makes the top-level handler print stack traces. */
export const DEBUG_ENV = 'BRIDGEKIT_DEBUG';

/**
 * An error the CLI reports as one line, `bridgekit: <message>`, with its own exit code. Commands throw
 * it for every failure they can explain; anything else reaching the top level is unexpected.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_FAILURE, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
  }
}

/** A {@link CliError} for a bad command line (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

/** A {@link CliError} for a failure while running (exit code 1), keeping `cause` for BRIDGEKIT_DEBUG. */
export function runtimeError(message: string, cause?: unknown): CliError {
  return new CliError(message, EXIT_FAILURE, cause === undefined ? undefined : { cause });
}

/**
 * An error a method or library threw on purpose while doing its job (a diverged loss, a checkpoint
 * that does not match, a file it refuses) as a runtime CliError with the same message. TypeError and
 * ReferenceError pass through unchanged: they almost always mean a bug, and the top-level handler then
 * adds the BRIDGEKIT_DEBUG hint.
 */
export function asFailure(error: unknown): unknown {
  if (error instanceof CliError || error instanceof TypeError || error instanceof ReferenceError)
    return error;
  return runtimeError(oneLine(error), error);
}

/**
 * The message of any thrown value on one line. Lines that look like stack frames are dropped, because
 * some libraries embed them in messages and the CLI promises no stack traces without BRIDGEKIT_DEBUG.
 */
export function oneLine(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const lines = raw
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^at\s/.test(line));
  return lines.length > 0 ? lines.join(' ') : error instanceof Error ? error.name : 'unknown error';
}

/** What the top-level handler prints to stderr and the exit code it returns. */
export interface ErrorReport {
  readonly text: string;
  readonly exitCode: number;
}

/**
 * Turns anything thrown by a command into the report the top-level handler prints: one line for a
 * {@link CliError} and for unexpected errors alike, and the stack traces (with causes) when `debug`.
 */
export function reportError(error: unknown, debug: boolean): ErrorReport {
  const exitCode = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  // An unexpected error is a bug or an unforeseen failure: say how to get the details.
  const hint = error instanceof CliError || debug ? '' : ` (${DEBUG_ENV}=1 prints the stack trace)`;
  let text = `bridgekit: ${oneLine(error)}${hint}\n`;
  if (debug) {
    for (let e: unknown = error; e !== undefined; e = e instanceof Error ? e.cause : undefined) {
      text += `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
    }
  }
  return { text, exitCode };
}

/** A file-system error as a short reason ('permission denied'), falling back to its message. */
export function fsReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a parent of it is not a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return oneLine(error);
  }
}
