import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng } from '@bridgekit/core';
import type { Method } from '@bridgekit/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cfmMethod, otCfmMethod, vpMethod } from './index.js';
import { otPair } from './ot-pairing.js';

const work = mkdtempSync(join(tmpdir(), 'bridgekit-baselines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm');
});

// Data: N(m, s²I) in 2-D with m = (1.5, −2), s = 0.5.
const M = [1.5, -2];
const S = 0.5;
function gaussianData(n: number, seed: number): Float32Array {
  const z = new Rng(seed).normalFloat32(2 * n);
  return z.map((v, i) => M[i % 2]! + S * v);
}

function moments(p: Float32Array): { mean: number[]; std: number[] } {
  const n = p.length / 2;
  const mean = [0, 1].map((k) => p.filter((_, i) => i % 2 === k).reduce((s, v) => s + v, 0) / n);
  const std = [0, 1].map((k) =>
    Math.sqrt(p.filter((_, i) => i % 2 === k).reduce((s, v) => s + (v - mean[k]!) ** 2, 0) / (n - 1)),
  );
  return { mean, std };
}

async function trainOn(method: Method, steps: number): Promise<string> {
  const out = join(work, method.name);
  const options = Object.fromEntries(method.options.map((o) => [o.name, o.default!]));
  await method.train({
    data: { points: gaussianData(4000, 1), dim: 2, source: 'gaussian-test' },
    out,
    steps,
    batch: 256,
    seed: 0,
    checkpointEvery: steps,
    resume: false,
    options: { ...options, width: 32 },
  });
  return out;
}

describe('otPair', () => {
  it('pairs a minibatch by the cost-minimising permutation (brute force, n = 6)', () => {
    const rng = new Rng(3);
    const x0 = rng.normalFloat32(12);
    const x1 = rng.normalFloat32(12).map((v) => 2 * v + 1);
    const paired = otPair(x0, x1, 2);
    const cost = (y: Float32Array) => x0.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0);
    let best = Number.POSITIVE_INFINITY;
    const perm = (rest: number[], chosen: number[]): void => {
      if (rest.length === 0) {
        const y = new Float32Array(12);
        chosen.forEach((j, i) => {
          y[2 * i] = x1[2 * j]!;
          y[2 * i + 1] = x1[2 * j + 1]!;
        });
        best = Math.min(best, cost(y));
        return;
      }
      for (const [k, j] of rest.entries()) perm([...rest.slice(0, k), ...rest.slice(k + 1)], [...chosen, j]);
    };
    perm([0, 1, 2, 3, 4, 5], []);
    expect(cost(paired)).toBeCloseTo(best, 4);
    expect([...paired].sort()).toEqual([...x1].sort());
  });
});

// Gaussian data is easy: a short run must already land the mean and spread. n = 2000 samples:
// SE of a mean ≈ 0.011, of a std ≈ 0.008; the tolerances below are training error, not MC error.
// The score model needs more steps than flow matching before its probability-flow ODE is right
// (at 600 steps its ODE samples have std ≈ 1.7 while its SDE samples are already close).
describe.each([
  ['cfm', cfmMethod, 'ode' as const, 600, 0.15],
  ['ot-cfm', otCfmMethod, 'ode' as const, 600, 0.15],
  ['vp (reverse SDE)', vpMethod, 'sde' as const, 2000, 0.15],
  ['vp (probability flow)', vpMethod, 'ode' as const, 0, 0.15],
])('%s learns Gaussian data', (label, method, solver, steps, tolerance) => {
  it('samples match the data mean and standard deviation', async () => {
    // steps = 0: reuse the model the previous case trained.
    const out = steps === 0 ? join(work, method.name) : await trainOn(method, steps);
    const model = await method.load(out);
    const { samples, nfe } = await model.sample({ n: 2000, seed: 5, nfe: 50, solver });
    model.dispose();
    expect(nfe, label).toBe(50);
    const m = moments(samples);
    for (const k of [0, 1]) {
      expect(Math.abs(m.mean[k]! - M[k]!)).toBeLessThan(tolerance);
      expect(Math.abs(m.std[k]! - S)).toBeLessThan(tolerance);
    }
  }, 180_000);
});

describe('loading and sampling errors', () => {
  it('refuses a model of another method, the sde solver for flow matching, and bad counts', async () => {
    await expect(vpMethod.load(join(work, 'cfm'))).rejects.toThrow(/holds a 'cfm' model, not 'vp'/);
    const model = await cfmMethod.load(join(work, 'cfm'));
    await expect(model.sample({ n: 10, seed: 0, solver: 'sde' })).rejects.toThrow(
      /solver 'sde' is not available for cfm/,
    );
    await expect(model.sample({ n: -3, seed: 0 })).rejects.toThrow('n must be a positive integer, got -3');
    await expect(model.sample({ n: 3, seed: 0, nfe: 0 })).rejects.toThrow(
      'nfe must be a positive integer, got 0',
    );
    model.dispose();
  });
});
