/**
 * Why a checkpoint or safetensors file was refused:
 * - `truncated`: the file ends before the data it announces (a copy or a write that was cut short);
 * - `corrupt`: the bytes contradict themselves (hash mismatch, bad offsets, invalid JSON);
 * - `foreign`: the file is not one of ours (not safetensors, not a bridgekit checkpoint, a dtype we do not read);
 * - `missing`: a file or directory that should be there is not;
 * - `version`: a bridgekit checkpoint written in a format version this library does not read.
 */
export type CheckpointErrorCode = 'truncated' | 'corrupt' | 'foreign' | 'missing' | 'version';

/**
 * The one error this package throws for bad files on disk (bad arguments are `TypeError`/`RangeError`).
 * The message is a single line that starts with the offending path, so it can be logged as is.
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  /** Machine-readable reason; see {@link CheckpointErrorCode}. */
  readonly code: CheckpointErrorCode;
  /** The file or directory the error is about, when there is one. */
  readonly path: string | undefined;

  /** `message` should already name `path`; `cause` keeps the underlying error (e.g. a `SyntaxError`). */
  constructor(code: CheckpointErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }
}

/** True for Node's "no such file or directory" errors (ENOENT), which several callers turn into `missing`. */
export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
