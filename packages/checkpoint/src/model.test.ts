import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from './errors.js';
import { loadModel, saveModel } from './model.js';
import { deadPid, stepTensors, tempDir } from './temp-dir.test-helper.js';

describe('saveModel / loadModel', () => {
  it('round-trips into dir/model and replaces an existing model without leftovers', async () => {
    const dir = await tempDir('model');
    const path = await saveModel(dir, { config: { version: 'a' }, tensors: stepTensors(1) });
    expect(path).toBe(join(dir, 'model'));
    const first = await loadModel(dir);
    expect(first.config).toEqual({ version: 'a' });
    expect(first.step).toBe(0);
    expect(first.tensors).toEqual(stepTensors(1));
    await saveModel(dir, { config: { version: 'b' }, tensors: stepTensors(2), step: 5000 });
    const second = await loadModel(dir);
    expect(second.config).toEqual({ version: 'b' });
    expect(second.step).toBe(5000);
    expect(second.tensors.count!.data[0]).toBe(2);
    expect((await loadModel(join(dir, 'model'))).step).toBe(5000); // the model directory itself
    expect(await readdir(dir)).toEqual(['model']);
    expect((await readdir(join(dir, 'model'))).sort()).toEqual(['checkpoint.json', 'weights.safetensors']);
  });

  it('recovers from a save killed between its two renames, and the next save cleans up', async () => {
    const dir = await tempDir('model-crash');
    const scratch = await tempDir('model-scratch');
    const pid = deadPid();
    // The state after the old model was set aside but before the new one was renamed in.
    await saveModel(join(scratch, 'old'), { config: 'old', tensors: stepTensors(1) });
    await saveModel(join(scratch, 'new'), { config: 'new', tensors: stepTensors(2) });
    await cp(join(scratch, 'old', 'model'), join(dir, `model.old-${pid}-aaaaaa`), { recursive: true });
    await cp(join(scratch, 'new', 'model'), join(dir, `model.tmp-${pid}-bbbbbb`), { recursive: true });
    await mkdir(join(dir, `model.tmp-${pid}-cccccc`)); // a half-written one: skipped
    const warnings: string[] = [];
    const loaded = await loadModel(dir, { onWarning: (m) => warnings.push(m) });
    expect(loaded.config).toBe('new');
    expect(warnings).toEqual([
      `${join(dir, 'model')} is missing (a save was interrupted); loaded ${join(dir, `model.tmp-${pid}-bbbbbb`)} instead`,
    ]);
    await rm(join(dir, `model.tmp-${pid}-bbbbbb`), { recursive: true });
    expect((await loadModel(dir, { onWarning: () => {} })).config).toBe('old');
    await saveModel(dir, { config: 'newest', tensors: stepTensors(3) });
    expect(await readdir(dir)).toEqual(['model']);
  });

  it('is missing when no model was saved', async () => {
    const dir = await tempDir('model-missing');
    const error = await loadModel(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe('missing');
    expect((error as CheckpointError).message).toBe(`${join(dir, 'model')}: no model saved in ${dir}`);
  });
});
