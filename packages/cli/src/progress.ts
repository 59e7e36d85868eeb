import type { Progress } from '@bridgekit/train';

/** Where the CLI writes progress and log lines (stdout); `isTTY` decides between a bar and plain lines. */
export interface Output {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** What a progress bar shows besides the counts. */
export interface BarPayload {
  readonly phase: string;
  /** ' | loss 0.1234' or '' when the phase reports no loss. */
  readonly loss: string;
}

/** The part of a cli-progress `SingleBar` the reporter drives; injectable so tests need no terminal. */
export interface Bar {
  start(total: number, value: number, payload: BarPayload): void;
  update(value: number, payload: BarPayload): void;
  stop(): void;
}

export type BarFactory = (stream: Output) => Bar;

/** `bar` on a terminal, a few `lines` when stdout is a pipe or file, nothing when `silent` (--quiet). */
export type ProgressMode = 'bar' | 'lines' | 'silent';

export function progressMode(quiet: boolean, stream: Output): ProgressMode {
  if (quiet) return 'silent';
  return stream.isTTY === true ? 'bar' : 'lines';
}

/** Turns a method's `Progress` callbacks and the CLI's log lines into terminal output. */
export interface Reporter {
  readonly mode: ProgressMode;
  /** Pass as a method's `onProgress`. */
  readonly onProgress: (p: Progress) => void;
  /** Prints an informational line (backend, summary) unless silent; ends an active bar first. */
  info(line: string): void;
  /** Ends the active bar, leaving the cursor on a fresh line. Safe to call more than once. */
  stop(): void;
}

export interface ReporterOptions {
  readonly quiet: boolean;
  readonly stream: Output;
  /** Bar factory for `bar` mode; default: cli-progress. */
  readonly createBar?: BarFactory;
  /** Clock in milliseconds; injectable for tests. */
  readonly now?: () => number;
  /** In `lines` mode, the least time between two intermediate lines of one phase (default 30 s). */
  readonly lineIntervalMs?: number;
}

/**
 * A reporter for the given output. In `lines` mode a phase prints one line when it completes and at
 * most one intermediate line per `lineIntervalMs`, so a log file of a long run shows it is alive
 * without a line per step.
 */
export async function createReporter(options: ReporterOptions): Promise<Reporter> {
  const mode = progressMode(options.quiet, options.stream);
  if (mode === 'silent') {
    return { mode, onProgress: () => {}, info: () => {}, stop: () => {} };
  }
  if (mode === 'bar') {
    const factory = options.createBar ?? (await cliProgressFactory());
    return barReporter(options.stream, factory);
  }
  return lineReporter(options.stream, options.now ?? Date.now, options.lineIntervalMs ?? 30_000);
}

function lossText(p: Progress): string {
  return p.loss === undefined ? '' : ` | loss ${formatLoss(p.loss)}`;
}

function formatLoss(loss: number): string {
  return Number.isFinite(loss) ? loss.toPrecision(4) : String(loss);
}

function barReporter(stream: Output, createBar: BarFactory): Reporter {
  let bar: Bar | undefined;
  let phase: string | undefined;
  let total = -1;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
    phase = undefined;
  };
  return {
    mode: 'bar',
    onProgress(p) {
      const payload = { phase: p.phase, loss: lossText(p) };
      if (bar === undefined || p.phase !== phase || p.total !== total) {
        stop();
        bar = createBar(stream);
        phase = p.phase;
        total = p.total;
        bar.start(p.total, p.done, payload);
      } else {
        bar.update(p.done, payload);
      }
    },
    info(line) {
      stop();
      stream.write(`${line}\n`);
    },
    stop,
  };
}

function lineReporter(stream: Output, now: () => number, intervalMs: number): Reporter {
  let phase: string | undefined;
  let total = -1;
  let started = 0;
  let lastLine = 0;
  let finished = false;
  return {
    mode: 'lines',
    onProgress(p) {
      const t = now();
      if (p.phase !== phase || p.total !== total) {
        phase = p.phase;
        total = p.total;
        started = t;
        lastLine = t;
        finished = false;
      }
      if (finished) return;
      const percent = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
      const counts = `${p.phase}: ${p.done}/${p.total} (${percent}%)${p.loss === undefined ? '' : `, loss ${formatLoss(p.loss)}`}`;
      if (p.done >= p.total) {
        finished = true;
        stream.write(`${counts}, ${((t - started) / 1000).toFixed(1)} s\n`);
      } else if (t - lastLine >= intervalMs) {
        lastLine = t;
        stream.write(`${counts}\n`);
      }
    },
    info(line) {
      stream.write(`${line}\n`);
    },
    stop() {},
  };
}

/**
 * Loads cli-progress only when a bar is drawn: piped runs, --quiet and the library never load it.
 */
async function cliProgressFactory(): Promise<BarFactory> {
  const { default: cliProgress } = await import('cli-progress');
  return (stream) =>
    new cliProgress.SingleBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: '{phase} {bar} {percentage}% | {value}/{total}{loss} | ETA {eta_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
}
