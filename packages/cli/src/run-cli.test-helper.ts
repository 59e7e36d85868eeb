import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCli } from './cli.js';
import { testMethod } from './test-method.test-helper.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The real binary, with the method packages' methods. */
export const BIN = join('packages', 'cli', 'src', 'bin.ts');

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment for the CLI under test: cpu backend (fast to start), no inherited quiet/debug switches. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, BRIDGEKIT_BACKEND: 'cpu' };
  delete env.BRIDGEKIT_QUIET;
  delete env.BRIDGEKIT_DEBUG;
  return { ...env, ...extra };
}

/**
 * Spawns `node --conditions=@bridgekit/source --import tsx <entry> …args` from the repository root, as
 * a user would run it from a clone, with stdout and stderr as pipes (so not a terminal).
 */
export function spawnCli(entry: string, args: readonly string[], env = testEnv()): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=@bridgekit/source', '--import', 'tsx', entry, ...args],
      { cwd: repoRoot, env, timeout: 60_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** An in-memory stdout/stderr pair; `tty` makes stdout claim to be a terminal. */
export function captureOutput(tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { isTTY: tty, write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

/** Runs the command line in-process over the test-only method, capturing its output. */
export async function runInProcess(
  args: readonly string[],
  options: { tty?: boolean; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const io = captureOutput(options.tty ?? false);
  const cli = createCli({
    methods: [testMethod()],
    stdout: io.stdout,
    stderr: io.stderr,
    env: testEnv(options.env),
  });
  const code = await cli.run(args);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** A fresh temporary directory and its removal. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `bridgekit-cli-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when `text` holds no terminal control sequences and no carriage returns (so: no progress bar). */
export function isPlainText(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching terminal escapes is the point.
  return !/\r|\u001b\[/.test(text);
}

/** Asserts the shape every CLI error must have: one line on stderr, `bridgekit: …`, no stack trace. */
export function oneErrorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  if (lines.length !== 1)
    throw new Error(`expected exactly one stderr line, got ${lines.length}:\n${stderr}`);
  const line = lines[0]!;
  if (!line.startsWith('bridgekit: ')) throw new Error(`stderr does not start with 'bridgekit: ': ${line}`);
  if (/\bat .*:\d+:\d+\)?$/.test(line) || /\n\s+at /.test(stderr))
    throw new Error(`stack trace on stderr: ${stderr}`);
  return line;
}
