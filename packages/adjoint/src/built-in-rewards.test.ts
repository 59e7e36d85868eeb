import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@bridgekit/core';
import { eightGaussiansMixture } from '@bridgekit/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_REWARDS, DEFAULT_MODE_WEIGHTS, resolveReward } from './built-in-rewards.js';
import type { Reward } from './reward.js';

const dir = mkdtempSync(join(tmpdir(), 'bridgekit-builtin-reward-'));

beforeAll(async () => {
  await initBackend('cpu');
  // No imports: a tensor's chained methods need no tfjs import.
  writeFileSync(
    join(dir, 'shifted.mjs'),
    "export default { name: 'shifted', value: (x) => x.sub(1).square().sum(1).neg(), gradient: (x) => x.sub(1).mul(-2) };",
  );
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** r and ∇r of `reward` at the given rows, as host arrays. */
function evaluate(reward: Reward, rows: number[][]): { value: number[]; gradient: number[] } {
  const x = tf.tensor2d(rows);
  const value = reward.value(x);
  const gradient = reward.gradient(x);
  const out = {
    value: Array.from(value.dataSync()),
    gradient: Array.from(gradient.dataSync(), (v) => v + 0),
  };
  tf.dispose([x, value, gradient]);
  return out;
}

describe('resolveReward: built-in rewards', () => {
  it('lists the two built-ins, each with a one-line description of its parameters and defaults', () => {
    expect(BUILT_IN_REWARDS.map((r) => r.name)).toEqual(['gaussian-tilt', '8gaussians-modes']);
    for (const r of BUILT_IN_REWARDS) expect(r.description).not.toContain('\n');
    expect(BUILT_IN_REWARDS[0]!.description).toContain('{"a": 1, "c": 0');
    expect(BUILT_IN_REWARDS[1]!.description).toContain('[4,1,4,1,1,1,1,1]');
    expect(DEFAULT_MODE_WEIGHTS).toEqual([4, 1, 4, 1, 1, 1, 1, 1]);
  });

  it('gaussian-tilt defaults to a = 1, c = 0: r = −½‖x‖², ∇r = −x', async () => {
    const reward = await resolveReward('gaussian-tilt', { lambda: 1 });
    const { value, gradient } = evaluate(reward, [
      [1, 2],
      [0, -3],
    ]);
    expect(value).toEqual([-2.5, -4.5]);
    expect(gradient).toEqual([-1, -2, 0, 3]);
  });

  it('gaussian-tilt takes {"a", "c"} (c a number or one per coordinate): r = −(a/2)‖x − c‖²', async () => {
    const perCoordinate = await resolveReward('gaussian-tilt', { params: { a: 2, c: [1, -1] }, lambda: 3 });
    const r1 = evaluate(perCoordinate, [[1, 1]]);
    expect(r1.value).toEqual([-4]);
    expect(r1.gradient).toEqual([0, -4]);
    const scalar = await resolveReward('gaussian-tilt', { params: { c: 0.5 }, lambda: 0 });
    const r2 = evaluate(scalar, [[1.5, 0.5]]);
    expect(r2.value).toEqual([-0.5]);
    expect(r2.gradient).toEqual([-1, 0]);
  });

  it('8gaussians-modes moves mass between the modes: r ≈ (1/λ)·log(ρ_k/π_k) at mode k, defaults [4,1,4,1,1,1,1,1]', async () => {
    const means = eightGaussiansMixture().means;
    for (const lambda of [1, 2.5]) {
      const reward = await resolveReward('8gaussians-modes', { lambda });
      expect(reward.name).toMatch(/^8gaussians-modes/);
      const { value, gradient } = evaluate(reward, means);
      DEFAULT_MODE_WEIGHTS.forEach((w, k) => {
        // ρ_k = w_k/14, π_k = 1/8; neighbouring modes are 3.8 apart (sd 0.56): the others contribute ~1e-10.
        expect(value[k]).toBeCloseTo(Math.log(w / 14 / (1 / 8)) / lambda, 4);
        expect(Math.abs(gradient[2 * k]!)).toBeLessThan(1e-3);
        expect(Math.abs(gradient[2 * k + 1]!)).toBeLessThan(1e-3);
      });
    }
    const custom = await resolveReward('8gaussians-modes', {
      params: { weights: [1, 1, 1, 1, 1, 1, 1, 9] },
      lambda: 1,
    });
    const { value } = evaluate(custom, [means[7]!, means[0]!]);
    expect(value[0]).toBeCloseTo(Math.log(9 / 16 / (1 / 8)), 4);
    expect(value[1]).toBeCloseTo(Math.log(1 / 16 / (1 / 8)), 4);
  });

  it('refuses unknown parameters with the valid list, and bad values naming the parameter', async () => {
    await expect(resolveReward('gaussian-tilt', { params: { b: 1 }, lambda: 1 })).rejects.toThrow(
      /^reward gaussian-tilt has no parameter "b"; its parameters: a, c$/,
    );
    await expect(resolveReward('8gaussians-modes', { params: { weight: [1] }, lambda: 1 })).rejects.toThrow(
      /^reward 8gaussians-modes has no parameter "weight"; its parameters: weights$/,
    );
    await expect(resolveReward('gaussian-tilt', { params: { a: '2' }, lambda: 1 })).rejects.toThrow(
      /reward gaussian-tilt: "a" must be a number > 0, got "2"/,
    );
    await expect(resolveReward('gaussian-tilt', { params: { a: -1 }, lambda: 1 })).rejects.toThrow(
      /gaussianTiltReward: a must be a finite number > 0, got -1/,
    );
    await expect(resolveReward('gaussian-tilt', { params: { c: [1, 'x'] }, lambda: 1 })).rejects.toThrow(
      /reward gaussian-tilt: "c" must be a number or an array of numbers, got an array of length 2/,
    );
    await expect(
      resolveReward('8gaussians-modes', { params: { weights: [1, 1, 1, 1, 1, 1, 1] }, lambda: 1 }),
    ).rejects.toThrow(/reward 8gaussians-modes: "weights" must be 8 numbers > 0, got an array of length 7/);
    await expect(
      resolveReward('8gaussians-modes', { params: { weights: [1, 1, 1, 1, 1, 1, 1, 0] }, lambda: 1 }),
    ).rejects.toThrow(/"weights" must be 8 numbers > 0/);
    await expect(resolveReward('8gaussians-modes', { lambda: 0 })).rejects.toThrow(
      /reward 8gaussians-modes needs --lambda > 0 \(it is built for that λ\), got 0/,
    );
  });

  it('refuses an unknown name with the list of built-ins, and an empty spec', async () => {
    await expect(resolveReward('gaussian', { lambda: 1 })).rejects.toThrow(
      /^--reward 'gaussian' is neither a built-in reward \(gaussian-tilt, 8gaussians-modes\) nor a module path \(\.\/my-reward\.mjs\)$/,
    );
    await expect(resolveReward('', { lambda: 1 })).rejects.toThrow(
      /--reward must be a built-in reward name or a module path, got ""/,
    );
  });
});

describe('resolveReward: module paths delegate to loadReward', () => {
  it('loads a module by relative path (resolved against cwd), ./path or absolute path', async () => {
    for (const spec of ['shifted.mjs', './shifted.mjs', join(dir, 'shifted.mjs')]) {
      const reward = await resolveReward(spec, { lambda: 1, cwd: dir });
      expect(reward.name).toBe('shifted');
      const { value, gradient } = evaluate(reward, [[1, 3]]);
      expect(value).toEqual([-4]);
      expect(gradient).toEqual([0, -4]);
    }
    // empty params are fine for a module
    const reward = await resolveReward('./shifted.mjs', { lambda: 1, cwd: dir, params: {} });
    expect(reward.name).toBe('shifted');
  });

  it("passes loadReward's errors through, and refuses parameters for a module", async () => {
    await expect(resolveReward('missing.mjs', { lambda: 1, cwd: dir })).rejects.toThrow(
      /^loadReward: no module file at .*missing\.mjs/,
    );
    await expect(resolveReward('sub/dir/reward', { lambda: 1, cwd: dir })).rejects.toThrow(
      /^loadReward: no module file at .*reward/,
    );
    await expect(resolveReward('shifted.mjs', { lambda: 1, cwd: dir, params: { a: 1 } })).rejects.toThrow(
      /^--reward shifted\.mjs is a module; reward parameters apply only to built-in rewards$/,
    );
  });
});
