/**
 * What every example program shares: its command-line flags (one-line errors for anything wrong)
 * and a progress printer that `--quiet` silences.
 */
import type { Progress } from '@bridgekit/train';

/** A flag of an example: `--<name> <value>` stored under `key`, a string or an integer ≥ `min`. */
export type FlagSpec<T> =
  | { readonly key: keyof T; readonly kind: 'string' }
  | { readonly key: keyof T; readonly kind: 'integer'; readonly min: number };

/**
 * Parses `argv` into a copy of `defaults`: `--quiet` sets `quiet`, every flag in `flags` takes a
 * value. Throws a RangeError naming the flag for a missing or bad value or an unknown flag.
 */
export function parseFlags<T extends { quiet: boolean }>(
  argv: readonly string[],
  defaults: T,
  flags: Readonly<Record<string, FlagSpec<T>>>,
): T {
  const args = { ...defaults };
  const valid = [...Object.keys(flags), '--quiet'].join(', ');
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--quiet') {
      args.quiet = true;
      continue;
    }
    const spec = flags[flag];
    if (spec === undefined) throw new RangeError(`unknown option ${flag}; valid: ${valid}`);
    const value = argv[++i];
    if (value === undefined) throw new RangeError(`${flag} needs a value`);
    if (spec.kind === 'string') {
      (args as Record<keyof T, unknown>)[spec.key] = value;
      continue;
    }
    const num = Number(value);
    if (!Number.isSafeInteger(num) || num < spec.min) {
      throw new RangeError(`${flag} must be an integer ≥ ${spec.min}, got '${value}'`);
    }
    (args as Record<keyof T, unknown>)[spec.key] = num;
  }
  return args;
}

/**
 * Progress on stderr: a line redrawn at most twice a second on a terminal, only the finished line
 * otherwise; nothing with `quiet`. `label` prefixes the line when several jobs share the output.
 */
export function progressPrinter(quiet: boolean, label?: string): (p: Progress) => void {
  if (quiet) return () => {};
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (p.done !== p.total && now - last < 500) return;
    last = now;
    const loss = p.loss === undefined ? '' : ` loss ${p.loss.toFixed(4)}`;
    // Padded so that a shorter line overwrites a longer one ('stage 10/10 forward' → 'stage 1/10 backward').
    const line = `${label === undefined ? '' : `${label}: `}${p.phase} ${p.done}/${p.total}${loss}`.padEnd(
      60,
    );
    if (process.stderr.isTTY) process.stderr.write(`\r${line}${p.done === p.total ? '\n' : ''}`);
    else if (p.done === p.total) process.stderr.write(`${line.trimEnd()}\n`);
  };
}
