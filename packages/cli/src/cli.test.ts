import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCsv, writeCsv } from '@bridgekit/data';
import { afterAll, describe, expect, it } from 'vitest';
import { createCli } from './cli.js';
import { captureOutput, isPlainText, oneErrorLine, runInProcess, tempDir } from './run-cli.test-helper.js';
import { TEST_METHOD_NAME, testMethod } from './test-method.test-helper.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const tmp = tempDir('cli');
// The bar needs cli-progress, which is loaded only when stdout is a terminal.
const hasCliProgress = await import('cli-progress').then(
  () => true,
  () => false,
);
afterAll(() => tmp.remove());

function isPng(file: string): boolean {
  const bytes = readFileSync(file);
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** No temp file of an atomic write may survive a successful command. */
function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.tmp-/.test(f));
}

function train(out: string, ...extra: string[]) {
  return runInProcess([
    'train',
    '--method',
    TEST_METHOD_NAME,
    '--data',
    'gaussian',
    '--n-data',
    '2000',
    '--out',
    out,
    '--batch',
    '64',
    '--checkpoint-every',
    '20',
    ...extra,
  ]);
}

describe('train, sample and resume (test-only method)', () => {
  const run = join(tmp.dir, 'run');
  const straight = join(tmp.dir, 'straight');

  it('trains, writing the model, checkpoints, train-summary.json and loss.png', async () => {
    const result = await train(run, '--steps', '60');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('backend: cpu (BRIDGEKIT_BACKEND)');
    expect(result.stdout).toContain('data: gaussian, 2000 points of dim 2');
    const summary = JSON.parse(readFileSync(join(run, 'train-summary.json'), 'utf8'));
    expect(summary).toMatchObject({
      method: TEST_METHOD_NAME,
      steps: 60,
      batch: 64,
      seed: 0,
      resumed: false,
      backend: 'cpu',
      options: { learningRate: 0.1, fixStd: false },
      data: { source: 'gaussian', points: 2000, dim: 2 },
    });
    expect(summary.lossCurve.at(-1).step).toBe(60);
    expect(isPng(join(run, 'loss.png'))).toBe(true);
    expect(existsSync(join(run, 'model', 'checkpoint.json'))).toBe(true);
    expect(leftovers(run)).toEqual([]);
  });

  it('refuses to train over an existing run without --resume', async () => {
    const result = await train(run, '--steps', '60');
    expect(result.code).toBe(1);
    expect(oneErrorLine(result.stderr)).toContain('already holds a training run');
  });

  it('--resume continues to the same model as one uninterrupted run', async () => {
    const resumed = await train(run, '--steps', '120', '--resume');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const whole = await train(straight, '--steps', '120');
    expect(whole.code).toBe(0);
    const weights = (dir: string) =>
      JSON.parse(readFileSync(join(dir, 'model', 'checkpoint.json'), 'utf8')).weights;
    expect(weights(run).sha256).toBe(weights(straight).sha256);
    const summary = JSON.parse(readFileSync(join(run, 'train-summary.json'), 'utf8'));
    expect(summary.resumed).toBe(true);
    expect(summary.lossCurve.at(-1).step).toBe(120);
  });

  it('samples the fitted distribution and records trajectories', async () => {
    const out = join(tmp.dir, 'samples.csv');
    const paths = join(tmp.dir, 'paths.json');
    const result = await runInProcess([
      'sample',
      '--model',
      run,
      '--n',
      '4000',
      '--out',
      out,
      '--trajectories',
      paths,
      '--paths',
      '8',
      '--nfe',
      '5',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { points, dim } = readCsv(out);
    expect(dim).toBe(2);
    expect(points.length).toBe(8000);
    // The 'gaussian' dataset is N((−8, 2), [[1, 1], [1, 5]]). The fitted μ is a running average of
    // minibatch means (sd ≈ √(0.1/1.9 · 5/64) ≈ 0.065 per axis) and the sample mean adds √5/√4000 ≈ 0.035:
    // 0.3 is over 4 standard deviations.
    const mean = [0, 0];
    for (let i = 0; i < points.length; i++) mean[i % 2]! += points[i]! / 4000;
    expect(Math.abs(mean[0]! + 8)).toBeLessThan(0.3);
    expect(Math.abs(mean[1]! - 2)).toBeLessThan(0.3);
    const json = JSON.parse(readFileSync(paths, 'utf8'));
    expect(json.t).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(json.paths).toHaveLength(8);
    for (const path of json.paths) expect(path.map((p: number[]) => p.length)).toEqual([2, 2, 2, 2, 2, 2]);
    // Each recorded path ends at its sample (the first rows of the CSV).
    expect(json.paths[3].at(-1)).toEqual([points[6], points[7]]);
  });

  it('the same seed gives byte-identical samples.csv, another seed does not', async () => {
    const files = ['a', 'b', 'c'].map((name) => join(tmp.dir, `${name}.csv`));
    for (const [file, seed] of [
      [files[0]!, '7'],
      [files[1]!, '7'],
      [files[2]!, '8'],
    ] as const) {
      const result = await runInProcess([
        'sample',
        '--model',
        run,
        '--n',
        '500',
        '--out',
        file,
        '--seed',
        seed,
      ]);
      expect(result.code).toBe(0);
    }
    const bytes = files.map((f) => readFileSync(f));
    expect(bytes[0]!.equals(bytes[1]!)).toBe(true);
    expect(bytes[0]!.equals(bytes[2]!)).toBe(false);
  });

  it('refuses an option of another method, naming the method and its options', async () => {
    const help = await runInProcess(['train', '--help']);
    expect(help.stdout).toContain('--learning-rate <value>');
    const result = await runInProcess([
      'train',
      '--method',
      TEST_METHOD_NAME,
      '--data',
      'moons',
      '--out',
      run,
      '--learning-rate',
      '2',
    ]);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toContain('--learning-rate must be ≤ 1, got 2');
  });
});

describe('sample: model directories it cannot use', () => {
  it('names the problem: no model, a corrupt manifest, a method this CLI does not have', async () => {
    const sample = (model: string) =>
      runInProcess(['sample', '--model', model, '--n', '5', '--out', join(tmp.dir, 'z.csv')]);
    const empty = join(tmp.dir, 'empty-run');
    mkdirSync(empty);
    const none = await sample(empty);
    expect(none.code).toBe(1);
    expect(oneErrorLine(none.stderr)).toContain(`--model '${empty}' holds no model`);
    const corrupt = join(tmp.dir, 'corrupt-run');
    mkdirSync(join(corrupt, 'model'), { recursive: true });
    writeFileSync(join(corrupt, 'model', 'checkpoint.json'), '{"format": "bridgekit-checkpoint", ');
    const bad = await sample(corrupt);
    expect(bad.code).toBe(1);
    expect(oneErrorLine(bad.stderr)).toContain(`${join(corrupt, 'model', 'checkpoint.json')} is corrupt`);
    const foreign = join(tmp.dir, 'foreign-run');
    mkdirSync(join(foreign, 'model'), { recursive: true });
    writeFileSync(join(foreign, 'model', 'checkpoint.json'), JSON.stringify({ config: { method: 'vsdm' } }));
    const unknown = await sample(foreign);
    expect(unknown.code).toBe(1);
    expect(oneErrorLine(unknown.stderr)).toBe(
      `bridgekit: --model '${foreign}' was trained with method 'vsdm', which this bridgekit does not have (it has ${TEST_METHOD_NAME})`,
    );
  });
});

describe('eval', () => {
  const a = join(tmp.dir, 'eval-a.csv');
  const b = join(tmp.dir, 'eval-b.csv');
  // Points of a translated copy are coupled to their originals, so W2 is the length of the shift.
  const points = Float32Array.from({ length: 200 }, (_, i) => Math.sin(1.7 * i) * 3);
  const shifted = points.map((v, i) => (i % 2 === 0 ? v + 3 : v - 4));

  it('gives w2 = 0 for identical files and writes the record as JSON', async () => {
    writeCsv(a, points, 2);
    const json = join(tmp.dir, 'metrics.json');
    const result = await runInProcess(['eval', '--samples', a, '--reference', a, '--json', json]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^w2\s+0$/m);
    const record = JSON.parse(readFileSync(json, 'utf8'));
    expect(record.w2).toBe(0);
    expect(leftovers(tmp.dir)).toEqual([]);
  });

  it('gives w2 = |shift| for a translated copy', async () => {
    writeCsv(b, shifted, 2);
    const json = join(tmp.dir, 'metrics-shift.json');
    const result = await runInProcess(['eval', '--samples', a, '--reference', b, '--json', json, '--quiet']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(JSON.parse(readFileSync(json, 'utf8')).w2).toBeCloseTo(5, 5);
  });

  it('draws a dataset reference with --seed and refuses mismatched dimensions', async () => {
    const result = await runInProcess(['eval', '--samples', a, '--reference', 'moons', '--n', '50']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('50 samples from');
    const three = join(tmp.dir, 'three.csv');
    writeCsv(three, new Float32Array(9), 3);
    const bad = await runInProcess(['eval', '--samples', a, '--reference', three]);
    expect(bad.code).toBe(1);
    expect(oneErrorLine(bad.stderr)).toContain(`--reference '${three}' has 3`);
  });
});

describe('plot', () => {
  it('writes a PNG of samples, a dataset reference and trajectories', async () => {
    const samples = join(tmp.dir, 'plot-samples.csv');
    const paths = join(tmp.dir, 'plot-paths.json');
    writeCsv(
      samples,
      Float32Array.from({ length: 400 }, (_, i) => Math.cos(i)),
      2,
    );
    writeFileSync(
      paths,
      JSON.stringify({
        t: [0, 0.5, 1],
        paths: [
          [
            [0, 0],
            [1, 1],
            [2, 1],
          ],
          [
            [0, 1],
            [1, 0],
            [2, 2],
          ],
        ],
      }),
    );
    const out = join(tmp.dir, 'plots', 'plot.png');
    const result = await runInProcess([
      'plot',
      '--samples',
      samples,
      '--reference',
      'moons',
      '--trajectories',
      paths,
      '--out',
      out,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(isPng(out)).toBe(true);
    expect(leftovers(join(tmp.dir, 'plots'))).toEqual([]);
  });

  it('names the bad entry of a malformed trajectories file', async () => {
    const samples = join(tmp.dir, 'plot-samples.csv');
    const paths = join(tmp.dir, 'bad-paths.json');
    writeFileSync(paths, JSON.stringify({ t: [0, 1], paths: [[[0, 0], [1]]] }));
    const result = await runInProcess([
      'plot',
      '--samples',
      samples,
      '--trajectories',
      paths,
      '--out',
      join(tmp.dir, 'x.png'),
    ]);
    expect(result.code).toBe(1);
    expect(oneErrorLine(result.stderr)).toContain('paths[0][1] must be [x, y]');
  });
});

describe('output', () => {
  const run = join(tmp.dir, 'quiet-run');

  it('--quiet (before or after the command) and BRIDGEKIT_QUIET=1 silence stdout', async () => {
    const trained = await train(run, '--steps', '20', '--quiet');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toBe('');
    const before = await runInProcess([
      '--quiet',
      'sample',
      '--model',
      run,
      '--n',
      '10',
      '--out',
      join(run, 's.csv'),
    ]);
    expect(before.code).toBe(0);
    expect(before.stdout).toBe('');
    const byEnv = await runInProcess(['sample', '--model', run, '--n', '10', '--out', join(run, 's.csv')], {
      env: { BRIDGEKIT_QUIET: '1' },
    });
    expect(byEnv.stdout).toBe('');
  });

  it('prints a few plain lines and no bar when stdout is not a terminal', async () => {
    const result = await runInProcess([
      'sample',
      '--model',
      run,
      '--n',
      '10',
      '--nfe',
      '50',
      '--out',
      join(run, 's.csv'),
    ]);
    expect(result.code).toBe(0);
    expect(isPlainText(result.stdout)).toBe(true);
    expect(result.stdout.trim().split('\n')).toEqual([
      'backend: cpu (BRIDGEKIT_BACKEND)',
      expect.stringMatching(/^sample: 50\/50 \(100%\), \d+\.\d s$/),
      `sampled 10 points of dim 2 with 50 network evaluations each → ${join(run, 's.csv')}`,
    ]);
  });

  it.skipIf(!hasCliProgress)('draws a progress bar when stdout is a terminal', async () => {
    const result = await runInProcess(
      ['sample', '--model', run, '--n', '10', '--nfe', '50', '--out', join(run, 's.csv')],
      {
        tty: true,
      },
    );
    expect(result.code).toBe(0);
    expect(isPlainText(result.stdout)).toBe(false);
    expect(result.stdout).toContain('50/50');
  });
});

describe('command line', () => {
  it('--help lists the commands; <command> --help lists options with descriptions and defaults', async () => {
    const top = await runInProcess(['--help']);
    expect(top.code).toBe(0);
    for (const name of ['train', 'finetune', 'sample', 'eval', 'plot', '--backend', '--version'])
      expect(top.stdout).toContain(name);
    const train = await runInProcess(['train', '--help']);
    expect(train.code).toBe(0);
    // commander wraps descriptions to the terminal width; compare with the line breaks undone.
    const text = train.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/--steps <n>\s+training steps \(default: 2000\)/);
    expect(text).toContain('--n-data <n> points drawn when --data is a dataset name (default: 10000)');
    expect(text).toContain(`training method (required): ${TEST_METHOD_NAME}`);
    expect(text).toContain(
      '--learning-rate <value> [test-gauss] step towards the minibatch moments (number in [0, 1], default: 0.1)',
    );
    expect(text).toContain(
      '--fix-std [true|false] [test-gauss] keep σ = 1 and fit μ only (boolean, default: false)',
    );
    const sample = (await runInProcess(['sample', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(sample).toContain('--paths <p> paths recorded with --trajectories (default: 64)');
    expect(sample).toMatch(/--seed <int> random seed .*\(default: 0\)/);
    expect(sample).toContain(
      "--solver <kind> sde (stochastic) or ode (deterministic flow) (default: the method's default)",
    );
  });

  it('--version prints the package version', async () => {
    const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
    const result = await runInProcess(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('an unknown option is a usage error that lists the valid ones', async () => {
    const result = await runInProcess(['sample', '--model', 'x', '--bogus', '1']);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toBe(
      "bridgekit: unknown option '--bogus' for bridgekit sample; valid options: --model, --n, --out, --nfe, --solver, --seed, --trajectories, --paths, --pairs, --backend, --quiet, --help",
    );
  });

  it('an unknown command, a missing option and a bad --backend are usage errors', async () => {
    const unknown = await runInProcess(['trian']);
    expect(unknown.code).toBe(2);
    expect(oneErrorLine(unknown.stderr)).toBe(
      "bridgekit: unknown command 'trian' (Did you mean train?); the commands are train, finetune, sample, eval, plot",
    );
    const missing = await runInProcess(['train', '--data', 'moons', '--out', 'x']);
    expect(missing.code).toBe(2);
    expect(oneErrorLine(missing.stderr)).toBe(
      `bridgekit: --method is required: give one of ${TEST_METHOD_NAME}`,
    );
    const backend = await runInProcess([
      'sample',
      '--model',
      'x',
      '--n',
      '1',
      '--out',
      'y.csv',
      '--backend',
      'gpu',
    ]);
    expect(backend.code).toBe(2);
    expect(oneErrorLine(backend.stderr)).toBe(
      "bridgekit: --backend must be one of auto, node-gpu, node, wasm, cpu; got 'gpu'",
    );
    const env = await runInProcess(['sample', '--model', 'x', '--n', '1', '--out', 'y.csv'], {
      env: { BRIDGEKIT_BACKEND: 'tpu' },
    });
    expect(env.code).toBe(2);
    expect(oneErrorLine(env.stderr)).toContain('BRIDGEKIT_BACKEND');
  });

  it('no command prints the help to stderr with exit code 2', async () => {
    const result = await runInProcess([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: bridgekit');
  });

  it('refuses a method table it could not expose', () => {
    const io = captureOutput();
    expect(() => createCli({ methods: [testMethod(), testMethod()], ...io })).toThrow(
      `method '${TEST_METHOD_NAME}' is listed twice`,
    );
  });
});
