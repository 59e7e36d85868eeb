import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adjointMethods } from '@bridgekit/adjoint';
import { baselineMethods } from '@bridgekit/baselines';
import {
  CHECKPOINTS_DIR,
  LATEST_FILE,
  loadModel,
  MODEL_DIR,
  type NamedArray,
  stepDirectoryName,
} from '@bridgekit/checkpoint';
import { tf } from '@bridgekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCli } from './cli.js';
import {
  captureOutput,
  oneErrorLine,
  type RunResult,
  runInProcess,
  tempDir,
  testEnv,
} from './run-cli.test-helper.js';
import { TEST_METHOD_NAME } from './test-method.test-helper.js';

// ASBM (`--method asbm`, @bridgekit/adjoint) through the command line with the real method table, at
// toy size: one 60-step run is trained once and sampled, evaluated and plotted; resume is checked on
// runs of its own. wasm is several times faster than cpu here and gives the same numbers.
const tmp = tempDir('asbm');
const run = join(tmp.dir, 'run');
afterAll(() => tmp.remove());

async function cli(args: readonly string[]): Promise<RunResult> {
  const io = captureOutput();
  const bridgekit = createCli({
    methods: [...baselineMethods, ...adjointMethods],
    stdout: io.stdout,
    stderr: io.stderr,
    env: testEnv({ BRIDGEKIT_BACKEND: 'wasm', BRIDGEKIT_QUIET: '1' }),
  });
  const code = await bridgekit.run(args);
  return { code, stdout: io.out(), stderr: io.err() };
}

const small = ['--rounds', '1', '--paths', '64', '--batch', '64', '--width', '16', '--n-data', '500'];
const trainArgs = (out: string, extra: readonly string[] = []) => [
  'train',
  '--method',
  'asbm',
  '--data',
  '8gaussians',
  '--out',
  out,
  '--seed',
  '3',
  ...small,
  ...extra,
];

/** The rows of a CSV written by the CLI: the header fields, then every row's numbers. */
function readRows(file: string): { header: string[]; rows: number[][] } {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  return { header: header!.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

/** The model tensors of a run directory, as raw bytes per name. */
async function modelBytes(dir: string): Promise<Map<string, Buffer>> {
  const model = await loadModel(dir);
  const bytes = (a: NamedArray) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  return new Map(Object.entries(model.tensors).map(([name, a]) => [name, bytes(a)]));
}

beforeAll(async () => {
  const trained = await cli(trainArgs(run, ['--steps', '60']));
  expect(trained.stderr).toBe('');
  expect(trained.code).toBe(0);
}, 60_000);

describe('bridgekit train --method asbm', () => {
  it('writes model/, train-summary.json and loss.png, with the phases of asbmStepPlan in order', async () => {
    expect(existsSync(join(run, MODEL_DIR, 'checkpoint.json'))).toBe(true);
    expect(existsSync(join(run, 'loss.png'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(run, 'train-summary.json'), 'utf8'));
    expect(summary).toMatchObject({ method: 'asbm', steps: 60, batch: 64, seed: 3, resumed: false });
    expect(summary.options).toMatchObject({ rounds: 1, paths: 64, width: 16 });
    expect(Number.isFinite(summary.finalLoss)).toBe(true);
    // 60 steps, 1 round: 36 bridge steps; 24 in stage 1, of which ⌊24/3⌋ = 8 corrector, 16 adjoint.
    // The curve has one point per step (60 < 200), each labelled with its phase.
    const phases = summary.lossCurve.map((p: { phase: string }) => p.phase);
    expect(phases).toEqual([
      ...Array(8).fill('corrector'),
      ...Array(16).fill('adjoint'),
      ...Array(36).fill('bridge'),
    ]);
    const model = await loadModel(run);
    expect(model.config).toMatchObject({
      method: 'asbm',
      dim: 2,
      prior: { kind: 'gaussian', std: 1 },
      plan: { rounds: 1, correctorSteps: 8, adjointSteps: 16, bridgeSteps: 36 },
    });
    const nets = new Set(Object.keys(model.tensors).map((name) => name.split('/')[0]));
    expect(nets).toEqual(new Set(['control', 'corrector', 'velocity', 'score']));
  });

  it('trains toward a prior from an energy module (--prior) and samples it; a module without sample is refused', async () => {
    // The module builds tensors with the test's TensorFlow.js (a file outside the workspace cannot
    // import it): E(x) = ‖x − 1‖²/2, sampled exactly as 1 + N(0, I).
    const key = '__bridgekitAsbmPriorTestTf';
    (globalThis as Record<string, unknown>)[key] = tf;
    const prior = join(tmp.dir, 'shifted-prior.mjs');
    writeFileSync(
      prior,
      [
        `const tf = () => globalThis.${key};`,
        'export const energy = {',
        "  name: 'shifted',",
        '  value: (x) => tf().tidy(() => x.sub(1).square().sum(1).mul(0.5)),',
        '  gradient: (x) => x.sub(1),',
        '  sample: (n, dim, rng) => tf().tensor2d(rng.normalFloat32(n * dim), [n, dim]).add(1),',
        '};',
        '',
      ].join('\n'),
    );
    const noSample = join(tmp.dir, 'no-sample.mjs');
    writeFileSync(noSample, 'export default { value: (x) => x.sum(1) };\n');
    try {
      const out = join(tmp.dir, 'module-prior');
      const trained = await cli(trainArgs(out, ['--steps', '40', '--prior', prior]));
      expect(trained.stderr).toBe('');
      expect(trained.code).toBe(0);
      const model = await loadModel(out);
      expect(model.config).toMatchObject({ prior: { kind: 'module', path: prior, name: 'shifted' } });
      const pairs = join(tmp.dir, 'module-pairs.csv');
      const sampled = await cli([
        'sample',
        '--model',
        out,
        '--n',
        '400',
        '--out',
        join(tmp.dir, 'module-samples.csv'),
        '--pairs',
        pairs,
      ]);
      expect(sampled.code).toBe(0);
      // The starts are the module's draws: mean ≈ (1, 1) (SE 0.05).
      const { rows } = readRows(pairs);
      for (const column of [2, 3]) {
        const mean = rows.reduce((acc, r) => acc + r[column]!, 0) / rows.length;
        expect(Math.abs(mean - 1)).toBeLessThan(0.2);
      }
      const refused = await cli(
        trainArgs(join(tmp.dir, 'no-sample'), ['--steps', '40', '--prior', noSample]),
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(
        `--prior ${noSample}: the energy must also export sample(n, dim, rng)`,
      );
    } finally {
      delete (globalThis as Record<string, unknown>)[key];
    }
  }, 60_000);

  it('refuses --steps 3 with --rounds 4 in one line naming --steps', async () => {
    const result = await cli([
      'train',
      '--method',
      'asbm',
      '--data',
      '8gaussians',
      '--out',
      join(tmp.dir, 'too-few'),
      '--steps',
      '3',
      '--rounds',
      '4',
    ]);
    expect(result.code).not.toBe(0);
    expect(oneErrorLine(result.stderr)).toMatch(
      /--steps 3 is too few for 4 round\(s\) .*raise --steps or lower --rounds/,
    );
    expect(existsSync(join(tmp.dir, 'too-few', MODEL_DIR))).toBe(false);
  });

  it('--resume from a run interrupted at step 40 of 80 ends with the tensors of an uninterrupted run', async () => {
    const whole = join(tmp.dir, 'whole');
    const done = await cli(trainArgs(whole, ['--steps', '80', '--checkpoint-every', '20']));
    expect(done.code).toBe(0);

    // A run of 80 steps killed between steps 40 and 60: its checkpoints at 20 and 40, no model, no
    // summary. Made from a run checkpointed every 40 steps (the checkpoint interval is no setting of
    // the run), cut back to its step-40 checkpoint.
    const cut = join(tmp.dir, 'cut');
    expect((await cli(trainArgs(cut, ['--steps', '80', '--checkpoint-every', '40']))).code).toBe(0);
    const checkpoints = join(cut, CHECKPOINTS_DIR);
    for (const file of [
      MODEL_DIR,
      'train-summary.json',
      'loss.png',
      join(CHECKPOINTS_DIR, stepDirectoryName(80)),
    ]) {
      rmSync(join(cut, file), { recursive: true });
    }
    writeFileSync(join(checkpoints, LATEST_FILE), stepDirectoryName(40));

    const resumed = await cli(trainArgs(cut, ['--steps', '80', '--checkpoint-every', '20', '--resume']));
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(cut, 'train-summary.json'), 'utf8'));
    expect(summary).toMatchObject({ steps: 80, resumed: true });
    const wholeSummary = JSON.parse(readFileSync(join(whole, 'train-summary.json'), 'utf8'));
    expect(summary.lossCurve).toEqual(wholeSummary.lossCurve);
    expect(summary.finalLoss).toBe(wholeSummary.finalLoss);

    const [a, b] = [await modelBytes(cut), await modelBytes(whole)];
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, bytes] of a) expect(bytes.equals(b.get(name)!), name).toBe(true);
  }, 60_000);

  it('refuses a --resume to another --steps, which would change the phase plan', async () => {
    const out = join(tmp.dir, 'short');
    expect((await cli(trainArgs(out, ['--steps', '40']))).code).toBe(0);
    const longer = await cli(trainArgs(out, ['--steps', '80', '--resume']));
    expect(longer.code).not.toBe(0);
    expect(oneErrorLine(longer.stderr)).toMatch(/^bridgekit: --resume: .* steps = 40, now 80/);
  }, 30_000);
});

describe('bridgekit sample, eval and plot on an asbm model', () => {
  it('writes samples and --pairs with either solver; the pairs start from the same prior draws', async () => {
    const starts: number[][][] = [];
    for (const solver of ['ode', 'sde']) {
      const samples = join(tmp.dir, `samples-${solver}.csv`);
      const pairs = join(tmp.dir, `pairs-${solver}.csv`);
      const sampled = await cli([
        'sample',
        '--model',
        run,
        '--n',
        '400',
        '--nfe',
        '10',
        '--solver',
        solver,
        '--seed',
        '5',
        '--out',
        samples,
        '--pairs',
        pairs,
      ]);
      expect(sampled.stderr).toBe('');
      expect(sampled.code).toBe(0);
      const s = readRows(samples);
      expect(s.header).toEqual(['x1', 'x2']);
      expect(s.rows).toHaveLength(400);
      const p = readRows(pairs);
      // 2·dim columns: the sample (x0, data coordinates), then the prior draw it started from (x1).
      expect(p.header).toEqual(['x0_1', 'x0_2', 'x1_1', 'x1_2']);
      expect(p.rows).toHaveLength(400);
      for (const [i, row] of p.rows.entries()) {
        expect(row).toHaveLength(4);
        expect(row.slice(0, 2)).toEqual(s.rows[i]);
      }
      starts.push(p.rows.map((row) => row.slice(2)));
    }
    // The prior draw comes from the seed's own stream, so both solvers start from the same points…
    expect(starts[1]).toEqual(starts[0]);
    // …drawn from the prior N(0, I) (--prior-std 1), not from the data.
    const column = (j: number) => starts[0]!.map((row) => row[j]!);
    for (const j of [0, 1]) {
      const x = column(j);
      const mean = x.reduce((s, v) => s + v, 0) / x.length;
      const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
      expect(Math.abs(mean)).toBeLessThan(0.2);
      expect(std).toBeGreaterThan(0.85);
      expect(std).toBeLessThan(1.15);
    }
  }, 30_000);

  it('records --trajectories, and eval and plot read the results', async () => {
    const samples = join(tmp.dir, 'traj-samples.csv');
    const paths = join(tmp.dir, 'traj.json');
    const sampled = await cli([
      'sample',
      '--model',
      run,
      '--n',
      '200',
      '--nfe',
      '10',
      '--solver',
      'ode',
      '--out',
      samples,
      '--trajectories',
      paths,
      '--paths',
      '5',
    ]);
    expect(sampled.stderr).toBe('');
    expect(sampled.code).toBe(0);
    const json = JSON.parse(readFileSync(paths, 'utf8'));
    // 10 Euler steps from t = 1 down to t₀: 11 recorded times, decreasing.
    expect(json.t).toHaveLength(11);
    expect(json.t[0]).toBe(1);
    expect(json.t[10]).toBeCloseTo(1e-3, 12);
    expect(json.paths).toHaveLength(5);
    expect(json.paths[0]).toHaveLength(11);
    expect(json.paths[0][0]).toHaveLength(2);
    // The last point of each path is its sample (the same float32 values).
    const rows = readRows(samples).rows;
    for (let p = 0; p < 5; p++) expect(json.paths[p][10].map(Math.fround)).toEqual(rows[p]!.map(Math.fround));

    const metrics = join(tmp.dir, 'eval.json');
    const evaluated = await cli([
      'eval',
      '--samples',
      samples,
      '--reference',
      '8gaussians',
      '--json',
      metrics,
    ]);
    expect(evaluated.stderr).toBe('');
    expect(evaluated.code).toBe(0);
    const record = JSON.parse(readFileSync(metrics, 'utf8'));
    expect(Number.isFinite(record.sliced_w2)).toBe(true);

    const png = join(tmp.dir, 'samples.png');
    const plotted = await cli([
      'plot',
      '--samples',
      samples,
      '--reference',
      '8gaussians',
      '--trajectories',
      paths,
      '--out',
      png,
    ]);
    expect(plotted.stderr).toBe('');
    expect(plotted.code).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  }, 30_000);
});

describe('bridgekit sample --pairs with other methods', () => {
  it('cfm writes its N(0, I) starting draws beside the samples', async () => {
    const out = join(tmp.dir, 'cfm');
    const trained = await cli([
      'train',
      '--method',
      'cfm',
      '--data',
      'moons',
      '--steps',
      '5',
      '--width',
      '8',
      '--out',
      out,
    ]);
    expect(trained.code).toBe(0);
    const samples = join(tmp.dir, 'cfm.csv');
    const pairs = join(tmp.dir, 'cfm-pairs.csv');
    const sampled = await cli([
      'sample',
      '--model',
      out,
      '--n',
      '30',
      '--nfe',
      '4',
      '--out',
      samples,
      '--pairs',
      pairs,
    ]);
    expect(sampled.stderr).toBe('');
    expect(sampled.code).toBe(0);
    const p = readRows(pairs);
    expect(p.header).toEqual(['x0_1', 'x0_2', 'x1_1', 'x1_2']);
    expect(p.rows.map((row) => row.slice(0, 2))).toEqual(readRows(samples).rows);
    // Each sample moved away from its start: the columns are not copies of each other.
    expect(p.rows.some((row) => row[0] !== row[2])).toBe(true);
  }, 30_000);

  it('fails in one line naming a method that returns no starting points, and writes nothing', async () => {
    const out = join(tmp.dir, 'gauss');
    const trained = await runInProcess([
      'train',
      '--method',
      TEST_METHOD_NAME,
      '--data',
      'moons',
      '--out',
      out,
    ]);
    expect(trained.code).toBe(0);
    const samples = join(tmp.dir, 'gauss.csv');
    const pairs = join(tmp.dir, 'gauss-pairs.csv');
    const sampled = await runInProcess(
      ['sample', '--model', out, '--n', '10', '--out', samples, '--pairs', pairs],
      { env: { BRIDGEKIT_QUIET: '1' } },
    );
    expect(sampled.code).toBe(1);
    expect(oneErrorLine(sampled.stderr)).toMatch(
      new RegExp(`method '${TEST_METHOD_NAME}' returned no starting points, so --pairs cannot be written`),
    );
    expect(existsSync(samples)).toBe(false);
    expect(existsSync(pairs)).toBe(false);
  }, 30_000);
});
