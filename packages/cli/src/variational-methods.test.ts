import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineMethods } from '@bridgekit/baselines';
import { variationalMethods } from '@bridgekit/variational';
import { afterAll, describe, expect, it } from 'vitest';
import { createCli } from './cli.js';
import { captureOutput, oneErrorLine, tempDir, testEnv } from './run-cli.test-helper.js';

// VSDM and VSMD through the command line with the real method table, at toy size.
const tmp = tempDir('variational');
afterAll(() => tmp.remove());

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureOutput();
  const run = createCli({
    methods: [...baselineMethods, ...variationalMethods],
    stdout: io.stdout,
    stderr: io.stderr,
    env: testEnv({ BRIDGEKIT_QUIET: '1' }),
  });
  const code = await run.run(args);
  return { code, stdout: io.out(), stderr: io.err() };
}

const small = ['--n-data', '512', '--batch', '64', '--width', '16', '--depth', '2', '--grid', '20'];
const stages = ['--sample-paths', '64', '--sa-batch', '32'];

describe('bridgekit with the variational methods', () => {
  for (const [method, data] of [
    ['vsdm', 'spiral-y8'],
    ['vsmd', 'checkerboard-x6'],
  ] as const) {
    it(`${method}: train on ${data} in stages, sample with trajectories, evaluate and plot`, async () => {
      const run = join(tmp.dir, method);
      const trained = await cli([
        'train',
        '--method',
        method,
        '--data',
        data,
        '--out',
        run,
        '--steps',
        '24',
        '--stages',
        '2',
        '--sa-steps',
        '4',
        ...small,
        ...stages,
      ]);
      expect(trained.stderr).toBe('');
      expect(trained.code).toBe(0);
      const summary = JSON.parse(readFileSync(join(run, 'train-summary.json'), 'utf8'));
      // Two stages of 8 DSM + 4 forward steps: both phases have their own loss series.
      const phases = new Set(summary.lossCurve.map((p: { phase: string }) => p.phase));
      expect(phases).toEqual(new Set(['backward', 'forward']));
      expect(existsSync(join(run, 'loss.png'))).toBe(true);

      const samples = join(tmp.dir, `${method}.csv`);
      const paths = join(tmp.dir, `${method}-paths.json`);
      const pairs = join(tmp.dir, `${method}-pairs.csv`);
      for (const solver of ['sde', 'ode']) {
        const sampled = await cli([
          'sample',
          '--model',
          run,
          '--n',
          '200',
          '--out',
          samples,
          '--nfe',
          '10',
          '--solver',
          solver,
          '--trajectories',
          paths,
          '--paths',
          '5',
          '--pairs',
          pairs,
        ]);
        expect(sampled.stderr).toBe('');
        expect(sampled.code).toBe(0);
      }
      // The coupling: each sample, then the data block of the N(0, Σ₁) draw it started from (2 + 2
      // columns for VSMD too, whose state (x, v) is 4-dimensional).
      const pairRows = readFileSync(pairs, 'utf8').trim().split('\n');
      expect(pairRows[0]).toBe('x0_1,x0_2,x1_1,x1_2');
      expect(pairRows).toHaveLength(201);
      const sampleRows = readFileSync(samples, 'utf8').trim().split('\n');
      for (const [i, row] of pairRows.entries()) {
        if (i > 0) expect(row.split(',').slice(0, 2).join(',')).toBe(sampleRows[i]);
      }
      const json = JSON.parse(readFileSync(paths, 'utf8'));
      // The last run was the ODE: Euler for VSDM (10 steps), Heun for VSMD (5 steps of 2 evaluations).
      expect(json.t).toHaveLength(method === 'vsmd' ? 6 : 11);
      expect(json.paths).toHaveLength(5);
      expect(json.paths[0][0]).toHaveLength(2);
      expect(readFileSync(samples, 'utf8').trim().split('\n')).toHaveLength(201);

      const evaluated = await cli([
        'eval',
        '--samples',
        samples,
        '--reference',
        data,
        '--json',
        join(tmp.dir, `${method}-eval.json`),
      ]);
      expect(evaluated.code).toBe(0);
      const plotted = await cli([
        'plot',
        '--samples',
        samples,
        '--reference',
        data,
        '--trajectories',
        paths,
        '--out',
        join(tmp.dir, `${method}.png`),
      ]);
      expect(plotted.code).toBe(0);
      expect(existsSync(join(tmp.dir, `${method}.png`))).toBe(true);
    }, 120_000);
  }

  it('refuses a stage layout that does not divide the steps, naming the flags', async () => {
    const result = await cli([
      'train',
      '--method',
      'vsdm',
      '--data',
      'spiral',
      '--out',
      join(tmp.dir, 'bad'),
      '--steps',
      '25',
      '--stages',
      '2',
      ...small,
    ]);
    expect(result.code).not.toBe(0);
    expect(oneErrorLine(result.stderr)).toMatch(/--stages 2 needs --steps to be a multiple/);
  });

  it('refuses --sa-lr 0, which would freeze the forward policy', async () => {
    const result = await cli([
      'train',
      '--method',
      'vsdm',
      '--data',
      'spiral',
      '--out',
      join(tmp.dir, 'frozen'),
      '--steps',
      '12',
      '--dsm-steps',
      '8',
      '--sa-steps',
      '4',
      '--sa-lr',
      '0',
      ...small,
    ]);
    expect(result.code).not.toBe(0);
    expect(oneErrorLine(result.stderr)).toMatch(/--sa-lr must be a number > 0/);
  });
});
