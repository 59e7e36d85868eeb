import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng } from '@bridgekit/core';
import type { Method, TrainedModel, TrainSummary } from '@bridgekit/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyParams } from './forward-policy.js';
import { policyOptimizerOf, stageLayout } from './method-options.js';
import { columnMoments, gaussianPoints } from './test-support.test-helper.js';
import { vsdmMethod } from './vsdm-method.js';
import { vsmdMethod } from './vsmd-method.js';

const work = mkdtempSync(join(tmpdir(), 'bridgekit-variational-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm');
});

// Data: N(m, s²I) in 2-D with m = (1.5, −2), s = 0.5.
const MEAN = [1.5, -2];
const STD = 0.5;
const DATA = { points: gaussianPoints(new Rng(1), 4000, MEAN, STD), dim: 2, source: 'gaussian-test' };

const SHORT = { dsmSteps: 15, saSteps: 5, samplePaths: 64, saBatch: 32, width: 16, depth: 2, grid: 20 };

function defaults(method: Method): Record<string, number | string | boolean> {
  return Object.fromEntries(method.options.map((o) => [o.name, o.default!]));
}

async function train(
  method: Method,
  name: string,
  request: {
    steps: number;
    batch?: number;
    checkpointEvery?: number;
    resume?: boolean;
    options?: Record<string, number | string | boolean>;
  },
): Promise<{ out: string; summary: TrainSummary }> {
  const out = join(work, name);
  const summary = await method.train({
    data: DATA,
    out,
    steps: request.steps,
    batch: request.batch ?? 32,
    seed: 0,
    checkpointEvery: request.checkpointEvery ?? request.steps,
    resume: request.resume ?? false,
    options: { ...defaults(method), ...SHORT, ...request.options },
  });
  return { out, summary };
}

describe.each([
  ['vsdm', vsdmMethod],
  ['vsmd', vsmdMethod],
] as const)('%s through the Method interface', (name, method) => {
  let out = '';
  let model: TrainedModel | undefined;
  beforeAll(async () => {
    const run = await train(method, `${name}-short`, { steps: 40 });
    out = run.out;
    expect(run.summary.method).toBe(name);
    expect(run.summary.steps).toBe(40);
    expect(run.summary.modelDir).toBe(join(out, 'model'));
    expect(new Set(run.summary.lossCurve.map((p) => p.phase))).toEqual(new Set(['backward', 'forward']));
    model = await method.load(out);
  });
  afterAll(() => model?.dispose());

  it('writes a model that loads, with a learned (no longer initial) forward policy', () => {
    expect(existsSync(join(out, 'model'))).toBe(true);
    expect(model!.method).toBe(name);
    expect(model!.dim).toBe(2);
    // Two stages: the second stage's frozen EMA policy has moved away from A = 0 / K = I.
    const params = (model as unknown as { policy: { params: PolicyParams } }).policy.params;
    const moved = Object.values(params).some((p) => p.some((v) => v !== 0));
    expect(moved).toBe(true);
  });

  it.each(['sde', 'ode'] as const)(
    '%s sampling: same seed same samples, other seed other samples',
    async (solver) => {
      const a = await model!.sample({ n: 64, seed: 7, nfe: 8, solver });
      const b = await model!.sample({ n: 64, seed: 7, nfe: 8, solver });
      const c = await model!.sample({ n: 64, seed: 8, nfe: 8, solver });
      expect(a.samples).toBeInstanceOf(Float32Array);
      expect(a.samples.length).toBe(128);
      expect(a.dim).toBe(2);
      expect(a.nfe).toBe(8);
      expect(a.samples.every(Number.isFinite)).toBe(true);
      expect(b.samples).toEqual(a.samples);
      expect(c.samples).not.toEqual(a.samples);
    },
  );

  it.each(['sde', 'ode'] as const)(
    '%s: returns trajectories of the first paths on the sampler grid',
    async (solver) => {
      const result = await model!.sample({ n: 10, seed: 1, nfe: 5, solver, trajectories: 3 });
      // VSMD's probability flow is integrated by Heun (2 evaluations per step): nfe 5 buys 3 steps.
      const heun = name === 'vsmd' && solver === 'ode';
      const steps = heun ? 3 : 5;
      expect(result.nfe).toBe(heun ? 6 : 5);
      const traj = result.trajectories!;
      expect(traj.t.length).toBe(steps + 1);
      expect(traj.t[0]).toBe(1);
      expect(traj.t[steps]).toBeCloseTo(1e-3, 12);
      for (let k = 1; k <= steps; k++) expect(traj.t[k]!).toBeLessThan(traj.t[k - 1]!);
      expect(traj.states.length).toBe(steps + 1);
      for (const s of traj.states) expect(s.length).toBe(3 * 2);
      // The last recorded state is the samples' first three rows (data coordinates).
      expect(Array.from(traj.states[steps]!)).toEqual(Array.from(result.samples.subarray(0, 6)));
      expect((await model!.sample({ n: 4, seed: 1, nfe: 5, solver })).trajectories).toBeUndefined();
    },
  );

  it('uses the default nfe (100) and refuses a bad solver or bad counts', async () => {
    expect((await model!.sample({ n: 3, seed: 0 })).nfe).toBe(100);
    await expect(model!.sample({ n: 3, seed: 0, solver: 'heun' as 'sde' })).rejects.toThrow(
      `solver must be 'sde' or 'ode', got "heun"`,
    );
    await expect(model!.sample({ n: 0, seed: 0 })).rejects.toThrow('n must be a positive integer, got 0');
    await expect(model!.sample({ n: 3, seed: 0, nfe: 0 })).rejects.toThrow(
      'nfe must be a positive integer, got 0',
    );
  });

  it('refuses to load a model of the other method', async () => {
    const other = name === 'vsdm' ? vsmdMethod : vsdmMethod;
    await expect(other.load(out)).rejects.toThrow(`holds a '${name}' model, not '${other.name}'`);
  });

  it('a run interrupted inside a forward phase and resumed writes the same model', async () => {
    // Steps 15–19 are stage 0's forward phase: stop after step 17, resume to 40.
    const first = await train(method, `${name}-resumed`, { steps: 17 });
    await train(method, `${name}-resumed`, { steps: 40, resume: true });
    const resumed = await method.load(first.out);
    try {
      for (const solver of ['sde', 'ode'] as const) {
        const a = await model!.sample({ n: 32, seed: 3, nfe: 6, solver });
        const b = await resumed.sample({ n: 32, seed: 3, nfe: 6, solver });
        expect(b.samples).toEqual(a.samples);
      }
    } finally {
      resumed.dispose();
    }
  });
});

describe('stage layout and forward optimiser options', () => {
  it('derives dsm steps from --stages, or the stage count from --dsm-steps', () => {
    expect(stageLayout(40, { stages: 4, saSteps: 5, dsmSteps: 500 })).toEqual({
      dsmSteps: 5,
      saSteps: 5,
      stages: 4,
    });
    expect(stageLayout(40, { stages: 0, saSteps: 5, dsmSteps: 15 })).toEqual({
      dsmSteps: 15,
      saSteps: 5,
      stages: 2,
    });
    expect(stageLayout(41, { stages: 0, saSteps: 5, dsmSteps: 15 })).toEqual({
      dsmSteps: 15,
      saSteps: 5,
      stages: 3,
    });
  });

  it('names --stages, --steps and --sa-steps when the layout is impossible', () => {
    expect(() => stageLayout(40, { stages: 3, saSteps: 5, dsmSteps: 15 })).toThrow(
      '--stages 3 needs --steps to be a multiple of the stage count with more than --sa-steps (5) steps per stage, got --steps 40; e.g. --steps 1515',
    );
    // 40 / 8 = 5 steps per stage leaves no DSM step after 5 SA steps.
    expect(() => stageLayout(40, { stages: 8, saSteps: 5, dsmSteps: 15 })).toThrow(
      /--stages 8 .*--sa-steps \(5\).*--steps 40/,
    );
  });

  it('refuses an impossible layout before training', async () => {
    await expect(train(vsdmMethod, 'bad-stages', { steps: 40, options: { stages: 3 } })).rejects.toThrow(
      /--stages 3/,
    );
    expect(existsSync(join(work, 'bad-stages', 'model'))).toBe(false);
  });

  it('maps --sa-optimizer to AdamW (U, V at lr/5, StepLR 0.99 per 1000) or Robbins–Monro', () => {
    expect(policyOptimizerOf({ saOptimizer: 'adamw', saLr: 1e-3 })).toEqual({
      kind: 'adamw',
      lr: 1e-3,
      lrOrthogonal: 2e-4,
      weightDecay: 0,
      stepEvery: 1000,
      gamma: 0.99,
    });
    expect(policyOptimizerOf({ saOptimizer: 'robbins-monro', saLr: 0.1, saAlpha: 0.6 })).toEqual({
      kind: 'robbins-monro',
      lr: 0.1,
      k0: 10,
      alpha: 0.6,
    });
  });
});

// Training works: VSDM on N((1.5, −2), 0.25 I). n = 2000 samples: SE of a mean ≈ 0.011, of a std ≈ 0.008.
// Calibration (training seeds 0–3, 800–1000 steps): |mean error| ≤ 0.015, |std error| ≤ 0.025, so 0.06
// leaves room for training noise while an untrained or mis-signed score misses by ≥ 0.5.
describe('VSDM learns Gaussian data', () => {
  const LEARN = {
    dsmSteps: 200,
    saSteps: 20,
    samplePaths: 256,
    saBatch: 128,
    width: 64,
    depth: 2,
    grid: 32,
  };

  it('reverse SDE from the adaptive prior (data not normalised): mean and std', async () => {
    const { out } = await train(vsdmMethod, 'learn-sde', { steps: 1000, batch: 128, options: LEARN });
    const model = await vsdmMethod.load(out);
    const { samples } = await model.sample({ n: 2000, seed: 5, nfe: 50, solver: 'sde' });
    model.dispose();
    const m = columnMoments(samples, 2);
    for (const k of [0, 1]) {
      expect(Math.abs(m.mean[k]! - MEAN[k]!)).toBeLessThan(0.06);
      expect(Math.abs(m.std[k]! - STD)).toBeLessThan(0.06);
    }
  });

  it('probability-flow ODE on standardised data: mean and std', async () => {
    // With raw data the ODE inherits the prior's mean mismatch (N(0, Σ₁) vs the true N(M₁m, ·),
    // M₁ ≈ 0.15 at β_max 10), which shrinks the sample mean by ≈ 7%; standardising removes it.
    const { out } = await train(vsdmMethod, 'learn-ode', {
      steps: 1000,
      batch: 128,
      options: { ...LEARN, normalize: 'standard' },
    });
    const model = await vsdmMethod.load(out);
    const { samples } = await model.sample({ n: 2000, seed: 5, nfe: 50, solver: 'ode' });
    model.dispose();
    const m = columnMoments(samples, 2);
    for (const k of [0, 1]) {
      expect(Math.abs(m.mean[k]! - MEAN[k]!)).toBeLessThan(0.06);
      expect(Math.abs(m.std[k]! - STD)).toBeLessThan(0.06);
    }
  });
});
