import type { FinetuneMethod } from '@bridgekit/adjoint';
import type { Method } from '@bridgekit/train';
import type { GlobalOptions } from './common-options.js';
import type { Output } from './progress.js';

/** What every command gets from `createCli`: the method tables, where to print, the environment. */
export interface CommandContext {
  readonly methods: readonly Method[];
  /** The reward fine-tuning methods `finetune` offers (may be empty). */
  readonly finetuneMethods: readonly FinetuneMethod[];
  /** Progress, logs and results; errors go to stderr through the top-level handler only. */
  readonly stdout: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The shared options (--quiet, --backend) merged from before and after the command name. */
  globals(commandOptions: Readonly<Record<string, unknown>>): GlobalOptions;
}
