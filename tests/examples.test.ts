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

  it('rejects a bad argument with one line', async () => {
    await expect(example('quickstart.ts', ['--steps', '-1'])).rejects.toMatchObject({
      stderr: "quickstart: --steps must be an integer ≥ 1, got '-1'\n",
    });
    await expect(example('vsdm-vs-vp.ts', ['--sa-steps', '0'])).rejects.toMatchObject({
      stderr: "vsdm-vs-vp: --sa-steps must be an integer ≥ 1, got '0'\n",
    });
  });
});
