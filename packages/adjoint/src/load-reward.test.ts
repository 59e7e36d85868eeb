import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@bridgekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReward } from './load-reward.js';

// User modules written without imports: tensors' chained methods (x.square() …) need no tfjs import.
const dir = mkdtempSync(join(tmpdir(), 'bridgekit-reward-'));
const write = (name: string, source: string) => writeFileSync(join(dir, name), source);

beforeAll(async () => {
  await initBackend('cpu');
  write(
    'full.mjs',
    "export default { name: 'shifted', value: (x) => x.sub(1).square().sum(1).neg(), gradient: (x) => x.sub(1).mul(-2) };",
  );
  write('value-only.mjs', 'export const reward = { value: (x) => x.square().sum(1).mul(-0.5) };');
  write('not-a-reward.mjs', 'export const score = (x) => x; export default 42;');
  write('bad-shape.mjs', 'export default { name: "wide", value: (x) => x.sum(1, true) };');
  write('throws.mjs', 'throw new Error("boom\\nsecond line");');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('loadReward', () => {
  it('loads a default-exported Reward, resolving the path against cwd', async () => {
    const reward = await loadReward('full.mjs', { cwd: dir });
    expect(reward.name).toBe('shifted');
    const x = tf.tensor2d([
      [1, 2],
      [0, 1],
    ]);
    const value = reward.value(x);
    const gradient = reward.gradient(x);
    expect(Array.from(value.dataSync())).toEqual([-1, -1]);
    expect(Array.from(gradient.dataSync(), (v) => v + 0)).toEqual([0, -2, 2, 0]);
    tf.dispose([x, value, gradient]);
  });

  it('takes the export named `reward`, names it after the file and fills in the gradient by autodiff', async () => {
    const reward = await loadReward(join(dir, 'value-only.mjs'));
    expect(reward.name).toBe('value-only.mjs');
    const x = tf.tensor2d([[1, -3]]);
    const gradient = reward.gradient(x);
    expect(Array.from(gradient.dataSync())).toEqual([-1, 3]);
    tf.dispose([x, gradient]);
  });

  it('says in one line what the module must export', async () => {
    const path = join(dir, 'not-a-reward.mjs');
    const error = await loadReward(path).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^loadReward: .*not-a-reward\.mjs must export a Reward \{ name, value\(x: Tensor2D\): Tensor1D, gradient\?\(x: Tensor2D\): Tensor2D \} as its default export or as `reward`; it exports default, score$/,
    );
    expect((error as Error).message).toContain(path);
  });

  it('names the resolved path when the file is missing or fails to import', async () => {
    await expect(loadReward('missing.mjs', { cwd: dir })).rejects.toThrow(
      new RegExp(
        `no module file at ${join(dir, 'missing.mjs').replace(/[.]/g, '\\.')} \\(from 'missing\\.mjs'`,
      ),
    );
    const error = await loadReward('throws.mjs', { cwd: dir }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^loadReward: importing .*throws\.mjs failed: boom$/);
  });

  it("reports a wrong output shape with the module's path", async () => {
    const reward = await loadReward('bad-shape.mjs', { cwd: dir });
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    expect(() => reward.value(x)).toThrow(/reward wide .*value\(x\) must return a \[3\] tensor/);
    x.dispose();
  });
});
