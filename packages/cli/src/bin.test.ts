import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineMethods } from '@bridgekit/baselines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCli } from './cli.js';
import {
  BIN,
  captureOutput,
  isPlainText,
  oneErrorLine,
  spawnCli,
  tempDir,
  testEnv,
} from './run-cli.test-helper.js';

// The real `bridgekit` binary (bin.ts with the baseline methods), spawned as a user runs it from a
// clone, with stdout and stderr as pipes.
const tmp = tempDir('bin');
const run = join(tmp.dir, 'run');
afterAll(() => tmp.remove());

beforeAll(async () => {
  // A small real model, trained in-process to save a process start.
  const io = captureOutput();
  const cli = createCli({ methods: baselineMethods, ...io, env: testEnv({ BRIDGEKIT_QUIET: '1' }) });
  const code = await cli.run([
    'train',
    '--method',
    'cfm',
    '--data',
    'moons',
    '--n-data',
    '256',
    '--out',
    run,
    '--steps',
    '4',
    '--batch',
    '32',
    '--width',
    '8',
    '--depth',
    '1',
  ]);
  if (code !== 0) throw new Error(`training the test model failed: ${io.err()}`);
});

function file(name: string, content: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, content);
  return path;
}

describe.concurrent('bridgekit (the real binary)', () => {
  it('a missing data file: one line naming the file, exit 1', async () => {
    const missing = join(tmp.dir, 'no-such.csv');
    const result = await spawnCli(BIN, [
      'train',
      '--method',
      'vp',
      '--data',
      missing,
      '--out',
      join(tmp.dir, 'x'),
    ]);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result.stderr)).toBe(`bridgekit: --data file '${missing}' does not exist`);
  });

  it('a malformed CSV: one line naming the file and the line, exit 1', async () => {
    const bad = file('ragged.csv', 'x,y\n1,2\n3\n');
    const result = await spawnCli(BIN, ['eval', '--samples', bad, '--reference', 'moons']);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result.stderr)).toBe(
      `bridgekit: --samples: ${bad}:3: 1 column, expected 2 (as on line 1)`,
    );
  });

  it('NaN in the data: one line naming the file, the line and the value, exit 1', async () => {
    const nan = file('nan.csv', '1,2\nNaN,3\n');
    const result = await spawnCli(BIN, [
      'train',
      '--method',
      'cfm',
      '--data',
      nan,
      '--out',
      join(tmp.dir, 'y'),
    ]);
    expect(result.code).toBe(1);
    const line = oneErrorLine(result.stderr);
    expect(line).toContain(`--data: ${nan}:2: column 1 is 'NaN'`);
  });

  it('a negative --n: one line naming the flag and the value, exit 2', async () => {
    const result = await spawnCli(BIN, [
      'sample',
      '--model',
      run,
      '--n',
      '-5',
      '--out',
      join(tmp.dir, 's.csv'),
    ]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: "bridgekit: --n must be a positive integer, got '-5'\n",
    });
  });

  it('a truncated model weights file: one line naming the file, exit 1', async () => {
    const broken = join(tmp.dir, 'broken');
    cpSync(run, broken, { recursive: true });
    const weights = join(broken, 'model', 'weights.safetensors');
    truncateSync(weights, Math.floor(statSync(weights).size / 2));
    const result = await spawnCli(BIN, [
      'sample',
      '--model',
      broken,
      '--n',
      '10',
      '--out',
      join(tmp.dir, 'b.csv'),
    ]);
    expect(result.code).toBe(1);
    const line = oneErrorLine(result.stderr);
    expect(line).toContain(`cannot load the model in --model '${broken}'`);
    expect(line).toContain(weights);
    expect(readdirSync(tmp.dir)).not.toContain('b.csv');
  });

  it('same seed, same backend: byte-identical samples.csv across processes; plain output off a terminal', async () => {
    const [a, b] = [join(tmp.dir, 'a.csv'), join(tmp.dir, 'b2.csv')];
    const args = (out: string) => [
      'sample',
      '--model',
      run,
      '--n',
      '300',
      '--nfe',
      '8',
      '--seed',
      '11',
      '--out',
      out,
    ];
    const [first, second] = await Promise.all([
      spawnCli(BIN, args(a)),
      spawnCli(BIN, [...args(b), '--quiet']),
    ]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    // Not a terminal: no bar, a few plain lines. --quiet: nothing.
    expect(isPlainText(first.stdout)).toBe(true);
    expect(first.stdout.trim().split('\n').length).toBeLessThanOrEqual(4);
    expect(first.stdout).toContain('backend: cpu (BRIDGEKIT_BACKEND)');
    expect(second.stdout).toBe('');
  });
});
