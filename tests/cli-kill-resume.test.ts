import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The promise: `kill -9` in the middle of `bridgekit train` (or `bridgekit finetune`), then
// `--resume`, finishes the run — and (because batches are drawn per step from the seed) ends with the
// same weights as a run that was never interrupted.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join('packages', 'cli', 'src', 'bin.ts');
const work = mkdtempSync(join(tmpdir(), 'bridgekit-kill-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = { ...process.env, BRIDGEKIT_BACKEND: 'wasm', BRIDGEKIT_QUIET: '1' };
const nodeArgs = ['--conditions=@bridgekit/source', '--import', 'tsx', bin];
// VSDM's run has stages of 40 DSM + 10 forward steps, so checkpoints every 50 steps land at the
// start of a stage and the kill can fall in either phase; resuming re-simulates the stage's paths.
// ASBM's 600 steps are 2 rounds of 60 corrector + 120 adjoint steps, then 240 bridge steps; with a
// replay-buffer refresh every 7 steps, every checkpoint (every 50) but step 500's falls between two
// refreshes, so the resumed run must continue from the checkpointed buffer, in whichever phase.
const METHODS: Record<string, string[]> = {
  cfm: ['--method', 'cfm', '--data', 'moons'],
  vsdm: [
    '--method',
    'vsdm',
    '--data',
    'spiral-y8',
    '--dsm-steps',
    '40',
    '--sa-steps',
    '10',
    '--sample-paths',
    '128',
    '--sa-batch',
    '64',
    '--grid',
    '20',
  ],
  asbm: [
    '--method',
    'asbm',
    '--data',
    '8gaussians',
    '--rounds',
    '2',
    '--paths',
    '128',
    '--resample-every',
    '7',
  ],
};
const trainArgs = (method: string, out: string, extra: string[] = []) => [
  'train',
  ...METHODS[method]!,
  '--n-data',
  '2000',
  '--steps',
  '600',
  '--batch',
  '64',
  '--width',
  '32',
  '--checkpoint-every',
  '50',
  '--seed',
  '7',
  '--out',
  out,
  '--quiet',
  ...extra,
];

function run(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeArgs, ...args],
      { cwd: root, env, timeout: 240_000 },
      (error, _out, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stderr }),
    );
  });
}

function checkpoints(out: string): string[] {
  const dir = join(out, 'checkpoints');
  return existsSync(dir) ? readdirSync(dir).filter((d) => d.startsWith('step-')) : [];
}

async function waitFor(predicate: () => boolean, child: ChildProcess, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (child.exitCode !== null)
      throw new Error(`training exited (code ${child.exitCode}) before it could be killed`);
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a checkpoint');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(Object.keys(METHODS))('bridgekit train --method %s survives kill -9', (method) => {
  it('resumes after SIGKILL, finishes, and matches an uninterrupted run', async () => {
    const killed = join(work, `${method}-killed`);
    const child = spawn(process.execPath, [...nodeArgs, ...trainArgs(method, killed)], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    // Kill it mid-run: after the second checkpoint, while it is still training.
    await waitFor(() => checkpoints(killed).length >= 2, child, 180_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(killed, 'model'))).toBe(false);

    const resumed = await run(trainArgs(method, killed, ['--resume']));
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(killed, 'train-summary.json'), 'utf8')) as { steps: number };
    expect(summary.steps).toBe(600);

    const whole = join(work, `${method}-whole`);
    expect((await run(trainArgs(method, whole))).code).toBe(0);
    const weights = (dir: string) => readFileSync(join(dir, 'model', 'weights.safetensors'));
    expect(weights(killed).equals(weights(whole))).toBe(true);
  }, 600_000);
});

describe('bridgekit finetune --method eam survives kill -9', () => {
  // Fine-tuning draws its endpoints and minibatches from streams named by the step and checkpoints its
  // buffer, so a resumed run ends where an uninterrupted one does, as training does. Checkpoints every
  // 25 of 300 steps: the kill after the second leaves most of the run to do.
  const base = join(work, 'finetune-base');
  const finetuneArgs = (out: string, extra: string[] = []) => [
    'finetune',
    '--method',
    'eam',
    '--model',
    base,
    '--reward',
    '8gaussians-modes',
    '--steps',
    '300',
    '--paths',
    '64',
    '--checkpoint-every',
    '25',
    '--seed',
    '7',
    '--out',
    out,
    '--quiet',
    ...extra,
  ];

  it('resumes after SIGKILL, finishes, and matches an uninterrupted run', async () => {
    const trained = await run([
      'train',
      '--method',
      'cfm',
      '--data',
      '8gaussians',
      '--steps',
      '20',
      '--batch',
      '64',
      '--width',
      '32',
      '--out',
      base,
      '--quiet',
    ]);
    expect(trained.code).toBe(0);
    // The uninterrupted run goes alongside (one core each): the weights do not depend on timing.
    const whole = join(work, 'eam-whole');
    const uninterrupted = run(finetuneArgs(whole));
    const killed = join(work, 'eam-killed');
    const child = spawn(process.execPath, [...nodeArgs, ...finetuneArgs(killed)], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    await waitFor(() => checkpoints(killed).length >= 2, child, 180_000);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(killed, 'model'))).toBe(false);

    const resumed = await run(finetuneArgs(killed, ['--resume']));
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(killed, 'finetune-summary.json'), 'utf8')) as {
      steps: number;
      modeMasses: { samples: number[] };
    };
    expect(summary.steps).toBe(300);
    expect(summary.modeMasses.samples).toHaveLength(8);

    expect((await uninterrupted).code).toBe(0);
    const weights = (dir: string) => readFileSync(join(dir, 'model', 'weights.safetensors'));
    expect(weights(killed).equals(weights(whole))).toBe(true);
  }, 600_000);
});
