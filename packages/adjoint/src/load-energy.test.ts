import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, Rng, tf } from '@bridgekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnergy } from './load-energy.js';

// User modules are written without imports: tensors' chained methods (x.square() …) need no tfjs import.
// A module's sample() must create a tensor, which needs tfjs; the test hands it over through a global
// (a module in the temp directory cannot resolve the workspace's packages).
const dir = mkdtempSync(join(tmpdir(), 'bridgekit-energy-'));
const write = (name: string, source: string) => writeFileSync(join(dir, name), source);
const TF = '__bridgekitLoadEnergyTestTf';

beforeAll(async () => {
  await initBackend('wasm');
  (globalThis as Record<string, unknown>)[TF] = tf;
  write(
    'full.mjs',
    [
      `const tf = () => globalThis.${TF};`,
      'export default {',
      "  name: 'shifted-quadratic',",
      '  value: (x) => x.sub(1).square().sum(1).mul(0.5),',
      '  gradient: (x) => x.sub(1).mul(3),', // deliberately not ∇value: shows the module's own is used
      '  sample: (n, dim, rng) => tf().tensor2d(rng.normalFloat32(n * dim), [n, dim]).add(1),',
      '};',
      "export const energy = { name: 'second', value: (x) => x.sum(1) };",
    ].join('\n'),
  );
  write('value-only.mjs', 'export const energy = { value: (x) => x.sub(1).square().sum(1).mul(0.5) };');
  write('bad-value.mjs', "export default { name: 'wide', value: (x) => x.sum(1, true) };");
  write('number-value.mjs', "export default { name: 'scalar', value: (x) => 3 };");
  write(
    'bad-gradient.mjs',
    "export default { name: 'g', value: (x) => x.sum(1), gradient: (x) => x.sum(1, true) };",
  );
  write(
    'bad-sample.mjs',
    `export default { name: 's', value: (x) => x.sum(1), sample: (n, dim) => globalThis.${TF}.zeros([n, dim + 1]) };`,
  );
  write('not-an-energy.mjs', 'export const score = (x) => x; export default 42;');
  write('empty.mjs', 'export {};');
  write('throws.mjs', 'throw new Error("boom\\nsecond line");');
});

afterAll(() => {
  delete (globalThis as Record<string, unknown>)[TF];
  rmSync(dir, { recursive: true, force: true });
});

const x23 = () =>
  tf.tensor2d([
    [1, 2],
    [0, -1],
  ]);

describe('loadEnergy', () => {
  it('loads the default export (preferred over `energy`) with its own gradient and sample, resolving against cwd', async () => {
    const energy = await loadEnergy('full.mjs', { cwd: dir });
    expect(energy.name).toBe('shifted-quadratic');
    const x = x23();
    const value = energy.value(x);
    const gradient = energy.gradient(x);
    expect(Array.from(value.dataSync())).toEqual([0.5, 2.5]);
    expect(Array.from(gradient.dataSync(), (v) => v + 0)).toEqual([0, 3, -3, -6]);
    const s = energy.sample!(5, 3, new Rng(2));
    expect(s.shape).toEqual([5, 3]);
    const want = new Rng(2).normalFloat32(15).map((v) => v + 1);
    expect(Array.from(s.dataSync())).toEqual(Array.from(want));
    tf.dispose([x, value, gradient, s]);
  });

  it('takes the export named `energy`, names it after the file, fills in the gradient by autodiff and has no sample', async () => {
    const energy = await loadEnergy(join(dir, 'value-only.mjs'));
    expect(energy.name).toBe('value-only.mjs');
    expect(energy.sample).toBeUndefined();
    const x = x23();
    const gradient = energy.gradient(x);
    expect(gradient.shape).toEqual([2, 2]);
    expect(Array.from(gradient.dataSync(), (v) => v + 0)).toEqual([0, 1, -1, -2]); // ∇½‖x − 1‖² = x − 1
    const before = tf.memory().numTensors;
    energy.gradient(x).dispose();
    expect(tf.memory().numTensors).toBe(before); // the autodiff leaves nothing behind
    tf.dispose([x, gradient]);
  });

  it('reports a wrong-shaped value, gradient or sample with the name and the file', async () => {
    const x = tf.zeros([3, 2]) as tf.Tensor2D;
    const wide = await loadEnergy('bad-value.mjs', { cwd: dir });
    const path = (name: string) => join(dir, name).replace(/[.]/g, '\\.');
    expect(() => wide.value(x)).toThrow(
      new RegExp(
        `^energy wide \\(${path('bad-value.mjs')}\\): value\\(x\\) must return a \\[3\\] tensor, got a float32 tensor of shape \\[3, 1\\]$`,
      ),
    );
    // the autodiff gradient goes through the checked value
    expect(() => wide.gradient(x)).toThrow(
      /energy wide .*bad-value\.mjs\): value\(x\) must return a \[3\] tensor/,
    );
    const scalar = await loadEnergy('number-value.mjs', { cwd: dir });
    expect(() => scalar.value(x)).toThrow(
      /energy scalar .*number-value\.mjs\): value\(x\) must return .*got 3$/,
    );
    const g = await loadEnergy('bad-gradient.mjs', { cwd: dir });
    expect(() => g.gradient(x)).toThrow(
      new RegExp(
        `energy g \\(${path('bad-gradient.mjs')}\\): gradient\\(x\\) must return a \\[3, 2\\] tensor, got .*\\[3, 1\\]$`,
      ),
    );
    const s = await loadEnergy('bad-sample.mjs', { cwd: dir });
    expect(() => s.sample!(4, 2, new Rng(1))).toThrow(
      new RegExp(
        `energy s \\(${path('bad-sample.mjs')}\\): sample\\(4, 2, rng\\) must return a \\[4, 2\\] tensor, got .*\\[4, 3\\]`,
      ),
    );
    const flat = tf.zeros([3]);
    expect(() => g.value(flat as unknown as tf.Tensor2D)).toThrow(
      /energy g .*: x must be a live float32 tf\.Tensor2D/,
    );
    tf.dispose([x, flat]);
  });

  it('names the resolved path when the file is missing or fails to import', async () => {
    await expect(loadEnergy('missing.mjs', { cwd: dir })).rejects.toThrow(
      new RegExp(
        `^loadEnergy: no module file at ${join(dir, 'missing.mjs').replace(/[.]/g, '\\.')} \\(from 'missing\\.mjs' in .*\\); it must export an Energy`,
      ),
    );
    const error = await loadEnergy('throws.mjs', { cwd: dir }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^loadEnergy: importing .*throws\.mjs failed: boom$/);
    await expect(loadEnergy('')).rejects.toThrow(
      /loadEnergy: specifier must be a path to a module file, got ""/,
    );
  });

  it('lists the exports of a module that exports nothing usable', async () => {
    const path = join(dir, 'not-an-energy.mjs');
    const error = (await loadEnergy(path).catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(
      /^loadEnergy: .*not-an-energy\.mjs must export an Energy \{ name, value\(x: Tensor2D\): Tensor1D, gradient\?\(x: Tensor2D\): Tensor2D, sample\?\(n, dim, rng\): Tensor2D \} as its default export or as `energy`; it exports default, score$/,
    );
    await expect(loadEnergy('empty.mjs', { cwd: dir })).rejects.toThrow(/it exports nothing$/);
  });
});
