import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Every program in examples/ runs at tiny size, so none of them rots.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'bridgekit-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const run = promisify(execFile);
const tsx = join(root, 'node_modules', '.bin', 'tsx');

async function example(file: string, args: string[]): Promise<void> {
  await run(tsx, ['--conditions=@bridgekit/source', join('examples', file), ...args, '--quiet'], {
    cwd: root,
    timeout: 300_000,
    env: { ...process.env, BRIDGEKIT_BACKEND: 'wasm' },
  });
}

describe('examples', () => {
  it('quickstart trains, samples, evaluates and writes its outputs', async () => {
    const out = join(work, 'quickstart');
    await example('quickstart.ts', ['--steps', '60', '--out', out]);
    for (const f of [
      'samples.csv',
      'data.csv',
      'samples.png',
      'loss.png',
      'trajectories.png',
      'summary.json',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      trainSteps: number;
      metrics: Record<string, { w2: number }>;
      noiseFloorW2: number;
    };
    expect(summary.trainSteps).toBe(60);
    expect(Object.keys(summary.metrics)).toEqual(['nfe_1', 'nfe_8', 'nfe_100']);
    expect(summary.noiseFloorW2).toBeGreaterThan(0);
  }, 300_000);

  it('exact-score-sampling reproduces the mixture it samples', async () => {
    const out = join(work, 'exact');
    await example('exact-score-sampling.ts', ['--n', '2000', '--steps', '200', '--out', out]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      reverseSde: { meanError: number; covError: number };
      exact: { cov: number[][] };
    };
    // n = 2000 from a mixture with covariance ≈ 8.09·I: the SE of a mean is ≈ 0.064, of a variance ≈ 0.26.
    expect(summary.reverseSde.meanError).toBeLessThan(4 * 0.064);
    expect(summary.reverseSde.covError).toBeLessThan(4 * 0.26);
  }, 300_000);

  it('vsdm-vs-vp trains both methods, samples, evaluates and writes their outputs', async () => {
    const out = join(work, 'vsdm-vs-vp');
    await example('vsdm-vs-vp.ts', ['--steps', '24', '--dsm-steps', '10', '--sa-steps', '2', '--out', out]);
    for (const f of [
      'vp-samples.csv',
      'vsdm-samples.csv',
      'data.csv',
      'samples.png',
      'trajectories.png',
      'loss.png',
      'summary.json',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    type Metrics = { w2: number; pmfRmse: number; straightness: number };
    type PerMethod = { trainSeconds: number; metrics: Record<string, Metrics> };
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      data: string;
      steps: number;
      seed: number;
      backend: string;
      noiseFloorW2: number;
      vp: PerMethod;
      vsdm: PerMethod & { A: unknown };
    };
    expect(summary).toMatchObject({ data: 'spiral-y8', steps: 24, seed: 0, backend: 'wasm' });
    expect(summary.noiseFloorW2).toBeGreaterThan(0);
    for (const method of [summary.vp, summary.vsdm]) {
      expect(method.trainSeconds).toBeGreaterThan(0);
      expect(Object.keys(method.metrics).sort()).toEqual(['ode', 'sde']);
      for (const m of Object.values(method.metrics)) {
        expect(Object.keys(m).sort()).toEqual(['pmfRmse', 'straightness', 'w2']);
        for (const v of Object.values(m)) expect(Number.isFinite(v), String(v)).toBe(true);
      }
    }
    const A = summary.vsdm.A as number[][];
    expect(A).toHaveLength(2);
    for (const row of A) {
      expect(row).toHaveLength(2);
      for (const v of row) expect(Number.isFinite(v), String(v)).toBe(true);
    }
  }, 300_000);

  it('finetune-8gaussians trains a base model, fine-tunes it with EAM and AM and measures the modes', async () => {
    const out = join(work, 'finetune-8gaussians');
    await example('finetune-8gaussians.ts', ['--base-steps', '200', '--steps', '5', '--out', out]);
    for (const f of ['finetune.json', 'finetune.png', 'base/model', 'eam/model', 'am/model']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    type PerModel = { modeMasses: number[]; totalVariation: number };
    const report = JSON.parse(readFileSync(join(out, 'finetune.json'), 'utf8')) as {
      target: number[];
      models: Record<string, PerModel & { seconds?: number; cost?: { sampling: number; training: number } }>;
    };
    expect(report.target.map((w) => w * 14)).toEqual(
      [4, 1, 4, 1, 1, 1, 1, 1].map((w) => expect.closeTo(w, 9)),
    );
    expect(Object.keys(report.models)).toEqual(['base', 'eam', 'am']);
    for (const [name, model] of Object.entries(report.models)) {
      expect(model.modeMasses, name).toHaveLength(8);
      const total = model.modeMasses.reduce((a, b) => a + b, 0);
      expect(total, name).toBeCloseTo(1, 9);
      expect(model.totalVariation, name).toBeGreaterThanOrEqual(0);
      expect(model.totalVariation, name).toBeLessThanOrEqual(1);
    }
    for (const name of ['eam', 'am']) {
      expect(report.models[name]!.seconds, name).toBeGreaterThan(0);
      expect(report.models[name]!.cost!.sampling, name).toBeGreaterThan(0);
    }
  }, 300_000);

  it('asbm-checkerboard trains ASBM and VP, measures W2 per NFE and straightness, plots the couplings', async () => {
    const out = join(work, 'asbm-checkerboard');
    await example('asbm-checkerboard.ts', ['--steps', '40', '--n', '400', '--out', out]);
    for (const f of [
      'asbm-samples.csv',
      'vp-samples.csv',
      'data.csv',
      'couplings.png',
      'trajectories.png',
      'samples.png',
      'summary.json',
      'asbm/run/model',
      'vp/run/model',
    ]) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    type PerMethod = {
      trainSteps: number;
      w2: Record<string, number>;
      straightness: Record<string, number>;
      couplingCost: number;
    };
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      data: string;
      steps: number;
      n: number;
      backend: string;
      noiseFloorW2: number;
      asbm: PerMethod & { plan: { bridgeSteps: number } };
      vp: PerMethod;
    };
    expect(summary).toMatchObject({ data: 'checkerboard', steps: 40, n: 400, backend: 'wasm' });
    expect(summary.noiseFloorW2).toBeGreaterThan(0);
    expect(summary.asbm.plan.bridgeSteps).toBeGreaterThan(0);
    for (const method of [summary.asbm, summary.vp]) {
      expect(method.trainSteps).toBe(40);
      expect(Object.keys(method.w2)).toEqual(['nfe_1', 'nfe_2', 'nfe_4', 'nfe_8', 'nfe_100']);
      expect(Object.keys(method.straightness)).toEqual(['nfe_8', 'nfe_100']);
      for (const v of [
        ...Object.values(method.w2),
        ...Object.values(method.straightness),
        method.couplingCost,
      ]) {
        expect(Number.isFinite(v), String(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
    }
  }, 300_000);

  it('rejects a bad argument with one line', async () => {
    await expect(example('quickstart.ts', ['--steps', '-1'])).rejects.toMatchObject({
      stderr: "quickstart: --steps must be an integer ≥ 1, got '-1'\n",
    });
    await expect(example('vsdm-vs-vp.ts', ['--sa-steps', '0'])).rejects.toMatchObject({
      stderr: "vsdm-vs-vp: --sa-steps must be an integer ≥ 1, got '0'\n",
    });
    await expect(example('finetune-8gaussians.ts', ['--method', 'sgd'])).rejects.toMatchObject({
      stderr: "finetune-8gaussians: --method must be eam, am or both, got 'sgd'\n",
    });
    await expect(example('asbm-checkerboard.ts', ['--steps', '10'])).rejects.toMatchObject({
      stderr:
        "asbm-checkerboard: --steps must be an integer ≥ 28 (ASBM splits them into 4 rounds of corrector and adjoint matching, then bridge matching), got '10'\n",
    });
  });
});
