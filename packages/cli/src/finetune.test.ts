import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODE_WEIGHTS, finetuneMethods } from '@bridgekit/adjoint';
import { baselineMethods } from '@bridgekit/baselines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCli } from './cli.js';
import { captureOutput, oneErrorLine, type RunResult, tempDir, testEnv } from './run-cli.test-helper.js';

// `bridgekit finetune` in-process with the real method tables, at toy size: one tiny cfm model on
// 8gaussians is trained once, then fine-tuned for a few steps per case. wasm is several times faster
// than cpu here and gives the same numbers.
const tmp = tempDir('finetune');
const base = join(tmp.dir, 'base');
const vpBase = join(tmp.dir, 'vp');
afterAll(() => tmp.remove());

async function cli(
  args: readonly string[],
  options: { quiet?: boolean; finetune?: boolean } = {},
): Promise<RunResult> {
  const io = captureOutput();
  const run = createCli({
    methods: baselineMethods,
    ...(options.finetune === false ? {} : { finetuneMethods }),
    stdout: io.stdout,
    stderr: io.stderr,
    env: testEnv({ BRIDGEKIT_BACKEND: 'wasm', ...(options.quiet === false ? {} : { BRIDGEKIT_QUIET: '1' }) }),
  });
  const code = await run.run(args);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** A finetune command line on the shared base model, few steps and paths. */
function finetuneArgs(method: string, out: string, extra: readonly string[] = []): string[] {
  return [
    'finetune',
    '--method',
    method,
    '--model',
    base,
    '--out',
    out,
    '--steps',
    '4',
    '--paths',
    '32',
    ...extra,
  ];
}

interface Summary {
  method: string;
  baseMethod: string;
  reward: { spec: string; name: string; params: Record<string, unknown> };
  lambda: number;
  steps: number;
  resumed: boolean;
  options: Record<string, unknown>;
  cost: { sampling: number; training: number };
  lossCurve: { step: number; loss: number }[];
  modeMasses?: { samples: number[]; target: number[]; totalVariation: number };
}

const summaryOf = (out: string): Summary =>
  JSON.parse(readFileSync(join(out, 'finetune-summary.json'), 'utf8')) as Summary;

beforeAll(async () => {
  const trained = await cli([
    'train',
    '--method',
    'cfm',
    '--data',
    '8gaussians',
    '--steps',
    '200',
    '--width',
    '32',
    '--out',
    base,
  ]);
  expect(trained.stderr).toBe('');
  expect(trained.code).toBe(0);
  const vp = await cli([
    'train',
    '--method',
    'vp',
    '--data',
    'moons',
    '--steps',
    '2',
    '--width',
    '8',
    '--out',
    vpBase,
  ]);
  expect(vp.code).toBe(0);
}, 60_000);

describe('bridgekit finetune', () => {
  for (const method of ['eam', 'am']) {
    it(`${method}: writes model/, finetune-summary.json and loss.png, and sample loads the result`, async () => {
      const out = join(tmp.dir, method);
      const result = await cli(
        finetuneArgs(method, out, ['--reward', 'gaussian-tilt', '--reward-params', '{"a": 2, "c": [1, 0]}']),
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(existsSync(join(out, 'model', 'checkpoint.json'))).toBe(true);
      expect(existsSync(join(out, 'loss.png'))).toBe(true);
      const summary = summaryOf(out);
      expect(summary).toMatchObject({
        method,
        baseMethod: 'cfm',
        reward: { spec: 'gaussian-tilt', params: { a: 2, c: [1, 0] } },
        lambda: 1,
        steps: 4,
        resumed: false,
      });
      expect(summary.options.paths).toBe(32);
      expect(summary.lossCurve.map((p) => p.step)).toEqual([1, 2, 3, 4]);
      expect(summary.cost.sampling).toBeGreaterThan(0);
      expect(summary.cost.training).toBeGreaterThan(0);
      // No mode re-weighting reward, no mode masses.
      expect(summary.modeMasses).toBeUndefined();

      const samples = join(tmp.dir, `${method}.csv`);
      const sampled = await cli(['sample', '--model', out, '--n', '50', '--nfe', '8', '--out', samples]);
      expect(sampled.stderr).toBe('');
      expect(sampled.code).toBe(0);
      expect(readFileSync(samples, 'utf8').trim().split('\n')).toHaveLength(51);
    }, 30_000);
  }

  it('8gaussians-modes reports the mode masses of 2000 samples against the target weights', async () => {
    const out = join(tmp.dir, 'modes');
    const result = await cli(finetuneArgs('eam', out, ['--reward', '8gaussians-modes']), { quiet: false });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const masses = summaryOf(out).modeMasses!;
    expect(masses.samples).toHaveLength(8);
    expect(masses.samples.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 10);
    const total = DEFAULT_MODE_WEIGHTS.reduce((s, w) => s + w, 0);
    for (const [k, w] of masses.target.entries()) expect(w).toBeCloseTo(DEFAULT_MODE_WEIGHTS[k]! / total, 12);
    const tv = 0.5 * masses.samples.reduce((s, p, k) => s + Math.abs(p - masses.target[k]!), 0);
    expect(masses.totalVariation).toBeCloseTo(tv, 12);
    expect(result.stdout).toMatch(
      /mode masses \(2000 samples, nearest mean\): \[[^\]]+\]; target \[0\.286, 0\.071/,
    );
    expect(result.stdout).toMatch(/fine-tuned cfm with eam for 4 steps/);
  }, 30_000);

  it('--resume continues a finished run to more steps and refuses a different --lambda', async () => {
    const out = join(tmp.dir, 'resume');
    const args = ['--reward', 'gaussian-tilt', '--checkpoint-every', '2'];
    expect((await cli(finetuneArgs('eam', out, args))).code).toBe(0);
    const resumed = await cli(finetuneArgs('eam', out, [...args, '--steps', '6', '--resume']));
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const summary = summaryOf(out);
    expect(summary.steps).toBe(6);
    expect(summary.resumed).toBe(true);
    expect(summary.lossCurve.at(-1)?.step).toBe(6);

    const refused = await cli(
      finetuneArgs('eam', out, [...args, '--steps', '8', '--resume', '--lambda', '2']),
    );
    expect(refused.code).toBe(1);
    expect(oneErrorLine(refused.stderr)).toMatch(/^bridgekit: --resume: .* lambda = 1, now 2/);
    // Without --resume an existing run is not overwritten.
    const again = await cli(finetuneArgs('eam', out, args));
    expect(again.code).toBe(1);
    expect(oneErrorLine(again.stderr)).toContain('pass --resume');
  }, 30_000);

  it('takes a reward from a module file', async () => {
    const module = join(tmp.dir, 'my-reward.mjs');
    writeFileSync(
      module,
      // No imports: a module in a temporary directory cannot resolve packages, so it uses tensor methods.
      "export default { name: 'pull-right', value: (x) => x.slice([0, 0], [-1, 1]).reshape([-1]) };\n",
    );
    const out = join(tmp.dir, 'module');
    const result = await cli(finetuneArgs('eam', out, ['--reward', module, '--steps', '2']));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(summaryOf(out).reward).toEqual({ spec: module, name: 'pull-right', params: {} });
  }, 30_000);

  it('refuses bad command lines with one line naming the flag and what is valid', async () => {
    const out = join(tmp.dir, 'never');
    const cases: [string[], number, string | RegExp][] = [
      [
        ['--reward', 'nope'],
        2,
        "bridgekit: --reward 'nope' is neither a built-in reward (gaussian-tilt, 8gaussians-modes) nor a module path (./my-reward.mjs)",
      ],
      [
        ['--reward', 'gaussian-tilt', '--reward-params', '{bad'],
        2,
        /^bridgekit: --reward-params must be a JSON object/,
      ],
      [
        ['--reward', 'gaussian-tilt', '--reward-params', '[1, 2]'],
        2,
        /^bridgekit: --reward-params must be a JSON object/,
      ],
      [
        ['--reward', 'gaussian-tilt', '--reward-params', '{"b": 1}'],
        2,
        'bridgekit: reward gaussian-tilt has no parameter "b"; its parameters: a, c',
      ],
      [
        ['--reward', 'gaussian-tilt', '--lambda', '-1'],
        2,
        "bridgekit: --lambda must be a number ≥ 0, got '-1'",
      ],
      [
        ['--reward', 'gaussian-tilt', '--lambda', 'x'],
        2,
        "bridgekit: --lambda must be a number ≥ 0, got 'x'",
      ],
      [['--reward', '8gaussians-modes', '--lambda', '0'], 2, /needs --lambda > 0/],
      [
        ['--reward', 'gaussian-tilt', '--ode-steps', '2', '--method', 'am'],
        2,
        /--ode-steps is an option of eam, not of method 'am'/,
      ],
      [
        ['--reward', 'gaussian-tilt', '--method', 'sgd'],
        2,
        "bridgekit: --method must be one of am, eam; got 'sgd'",
      ],
      [
        ['--reward', './missing-reward.mjs'],
        1,
        /^bridgekit: loadReward: no module file at .*missing-reward\.mjs/,
      ],
    ];
    for (const [extra, code, message] of cases) {
      const result = await cli(finetuneArgs('eam', out, extra));
      expect(result.code, extra.join(' ')).toBe(code);
      const line = oneErrorLine(result.stderr);
      if (typeof message === 'string') expect(line).toBe(message);
      else expect(line).toMatch(message);
    }
    const vp = await cli([
      'finetune',
      '--method',
      'eam',
      '--model',
      vpBase,
      '--reward',
      'gaussian-tilt',
      '--out',
      out,
    ]);
    expect(vp.code).toBe(1);
    expect(oneErrorLine(vp.stderr)).toBe(
      `bridgekit: --model '${vpBase}' holds a 'vp' model; fine-tuning needs a flow-matching model (cfm, ot-cfm)`,
    );
    const missing = await cli(['finetune', '--method', 'eam', '--model', base, '--out', out]);
    expect(missing.code).toBe(2);
    expect(oneErrorLine(missing.stderr)).toMatch(/^bridgekit: --reward is required: give a built-in reward/);
    const overwrite = await cli(finetuneArgs('eam', base, ['--reward', 'gaussian-tilt']));
    expect(overwrite.code).toBe(2);
    expect(oneErrorLine(overwrite.stderr)).toContain('would overwrite the pretrained --model');
    expect(existsSync(out)).toBe(false);
  }, 30_000);

  it('says so when no fine-tuning methods are installed', async () => {
    const args = ['finetune', '--method', 'eam', '--model', base, '--reward', 'gaussian-tilt'];
    const result = await cli([...args, '--out', join(tmp.dir, 'none')], { finetune: false });
    expect(result.code).toBe(1);
    expect(oneErrorLine(result.stderr)).toMatch(/^bridgekit: no finetune methods are installed/);
  });

  it('--help lists the methods, their bracketed options and the built-in rewards', async () => {
    const help = await cli(['finetune', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('--method <name> fine-tuning method (required): am, eam');
    expect(text).toContain('--lambda <l> reward multiplier λ ≥ 0: the target is p_base·e^{λr} (default: 1)');
    expect(text).toContain('--sde-steps <value> [am] steps of the memoryless SDE');
    expect(text).toContain('--ode-solver <value> [eam] sampler of the endpoints');
    expect(text).toContain('--paths <value> [am, eam]');
    expect(text).toContain('gaussian-tilt r(x) = −(a/2)‖x − c‖²');
    expect(text).toContain('8gaussians-modes re-weights the 8 modes');
    const top = await cli(['--help']);
    expect(top.stdout).toContain('bridgekit finetune --method eam');
  });
});
