import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';
import type { JsonValue } from './json.js';
import { encodeSafetensors } from './safetensors.js';
import { deadPid, stepTensors, tempDir } from './temp-dir.test-helper.js';

const config = {
  method: 'dsbm',
  sde: { kind: 'vp', betaMin: 0.1, betaMax: 20 },
  network: { layers: [2, 64, 64, 2], activation: 'silu' },
  rng: { key: [1, 2], counter: [3, 4, 5, 6] },
  optimiser: { name: 'adam', lr: 1e-3 },
} satisfies JsonValue;

async function save(run: string, step: number, keep?: number): Promise<string> {
  return saveCheckpoint(run, { step, config: { ...config, step }, tensors: stepTensors(step), keep });
}

async function entries(run: string): Promise<string[]> {
  return (await readdir(join(run, 'checkpoints'))).sort();
}

async function latest(run: string): Promise<string> {
  return readFile(join(run, 'checkpoints', 'LATEST'), 'utf8');
}

async function refusal(promise: Promise<unknown>): Promise<CheckpointError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).not.toContain('\n');
    return error as CheckpointError;
  }
  throw new Error('expected a CheckpointError');
}

describe('saveCheckpoint / loadCheckpoint', () => {
  it('round-trips step, config and tensors, by run directory, checkpoint directory or manifest', async () => {
    const run = await tempDir('roundtrip');
    const tensors = {
      ...stepTensors(7),
      'layer.0.weight': { dtype: 'F64' as const, shape: [2, 3], data: Float64Array.of(1, 2, 3, 4, 5, 6) },
      moments: { dtype: 'U32' as const, shape: [0], data: new Uint32Array(0) },
    };
    const dir = await saveCheckpoint(run, { step: 7, config, tensors });
    expect(dir).toBe(join(run, 'checkpoints', 'step-000000007'));
    for (const path of [run, dir, join(dir, 'checkpoint.json')]) {
      const loaded = await loadCheckpoint(path);
      expect(loaded.step).toBe(7);
      expect(loaded.config).toEqual(config);
      expect(loaded.tensors).toEqual(tensors);
      expect(loaded.dir).toBe(dir);
    }
    expect((await readdir(dir)).sort()).toEqual(['checkpoint.json', 'weights.safetensors']);
    const manifest = JSON.parse(await readFile(join(dir, 'checkpoint.json'), 'utf8'));
    const weights = await readFile(join(dir, 'weights.safetensors'));
    expect(manifest).toEqual({
      format: 'bridgekit-checkpoint',
      formatVersion: 1,
      bridgekitVersion: '0.0.0',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      step: 7,
      weights: {
        file: 'weights.safetensors',
        sha256: createHash('sha256').update(weights).digest('hex'),
        bytes: weights.length,
      },
      config,
    });
    expect(await latest(run)).toBe('step-000000007\n');
  });

  it('moves LATEST forward and prunes to the newest `keep` (default 2)', async () => {
    const run = await tempDir('prune');
    for (let step = 1; step <= 5; step++) {
      await save(run, step * 10);
      expect(await latest(run)).toBe(`step-${String(step * 10).padStart(9, '0')}\n`);
      expect((await loadCheckpoint(run)).step).toBe(step * 10);
    }
    expect(await entries(run)).toEqual(['LATEST', 'step-000000040', 'step-000000050']);
    await save(run, 60, 3);
    await save(run, 70, 3);
    expect(await entries(run)).toEqual(['LATEST', 'step-000000050', 'step-000000060', 'step-000000070']);
    await save(run, 80, 1);
    expect(await entries(run)).toEqual(['LATEST', 'step-000000080']);
  });

  it('never prunes the checkpoint LATEST names, even when higher steps exist', async () => {
    const run = await tempDir('prune-latest');
    await save(run, 100);
    await save(run, 200);
    await save(run, 150, 1); // e.g. a run resumed from an earlier checkpoint
    expect(await entries(run)).toEqual(['LATEST', 'step-000000150', 'step-000000200']);
    expect((await loadCheckpoint(run)).step).toBe(150);
  });

  it('replaces a checkpoint saved again at the same step', async () => {
    const run = await tempDir('same-step');
    await saveCheckpoint(run, { step: 3, config: 'first', tensors: stepTensors(3) });
    await saveCheckpoint(run, { step: 3, config: 'second', tensors: stepTensors(3) });
    expect((await loadCheckpoint(run)).config).toBe('second');
    expect(await entries(run)).toEqual(['LATEST', 'step-000000003']);
  });

  it('removes temp directories and files left by a killed run, but not those of a live process', async () => {
    const run = await tempDir('stale');
    await save(run, 1);
    const dead = deadPid();
    const live = process.ppid; // alive for the whole test, and not us
    const root = join(run, 'checkpoints');
    const stale = [
      `.tmp-step-000000002-${dead}-0a1b2c3d4e5f`,
      `.tmp-replaced-step-000000001-${dead}-abcdef`,
      `.tmp-pruned-step-000000000-${dead}-abcdef`,
      `LATEST.tmp-${dead}-00ff00ff00ff`,
    ];
    for (const name of stale.slice(0, 3)) {
      await mkdir(join(root, name));
      await writeFile(join(root, name, 'weights.safetensors'), 'half a file');
    }
    await writeFile(join(root, stale[3]!), 'step-0000');
    await mkdir(join(root, `.tmp-step-000000002-${live}-abcdef`));
    await save(run, 2);
    expect(await entries(run)).toEqual([
      `.tmp-step-000000002-${live}-abcdef`,
      'LATEST',
      'step-000000001',
      'step-000000002',
    ]);
  });

  it('refuses bad input before writing anything', async () => {
    const run = await tempDir('bad-input');
    const tensors = stepTensors(1);
    await expect(saveCheckpoint(run, { step: 1, config: { lr: Number.NaN }, tensors })).rejects.toThrow(
      /config\.lr is NaN/,
    );
    await expect(saveCheckpoint(run, { step: -1, config: null, tensors })).rejects.toThrow(RangeError);
    await expect(saveCheckpoint(run, { step: 1.5, config: null, tensors })).rejects.toThrow(RangeError);
    await expect(saveCheckpoint(run, { step: 1, config: null, tensors, keep: 0 })).rejects.toThrow(/keep/);
    const bad = { w: { dtype: 'F32', shape: [3], data: new Float32Array(2) } } as never;
    await expect(saveCheckpoint(run, { step: 1, config: null, tensors: bad })).rejects.toThrow(TypeError);
    const left = await readdir(join(run, 'checkpoints')).catch(() => []);
    expect(left).toEqual([]);
  });
});

describe('loading a run whose LATEST cannot be followed', () => {
  async function runWith(steps: number[]): Promise<string> {
    const run = await tempDir('fallback');
    for (const step of steps) await save(run, step, 10);
    return run;
  }

  it('falls back to the newest step-* when LATEST is missing, and says so', async () => {
    const run = await runWith([1, 2, 3]);
    await rm(join(run, 'checkpoints', 'LATEST'));
    const warnings: string[] = [];
    const loaded = await loadCheckpoint(run, { onWarning: (m) => warnings.push(m) });
    expect(loaded.step).toBe(3);
    expect(warnings.join('\n')).toMatch(/LATEST is missing; falling back/);
    expect(await latestCheckpoint(run)).toBe(join(run, 'checkpoints', 'step-000000003'));
  });

  it('ignores a LATEST that does not name a step directory', async () => {
    const run = await runWith([1, 2]);
    await writeFile(join(run, 'checkpoints', 'LATEST'), '../../etc');
    const warnings: string[] = [];
    expect((await loadCheckpoint(run, { onWarning: (m) => warnings.push(m) })).step).toBe(2);
    expect(warnings.join('\n')).toMatch(/does not name a step directory/);
  });

  it('falls back past broken checkpoints to the newest one that verifies', async () => {
    const run = await runWith([1, 2, 3]);
    const root = join(run, 'checkpoints');
    await truncate(join(root, 'step-000000003', 'weights.safetensors'), 100);
    await rm(join(root, 'step-000000002', 'checkpoint.json'));
    const warnings: string[] = [];
    const loaded = await loadCheckpoint(run, { onWarning: (m) => warnings.push(m) });
    expect(loaded.step).toBe(1);
    expect(loaded.tensors.count!.data[0]).toBe(1);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/skipping broken checkpoint .*step-000000003: .*weights are truncated/);
    expect(warnings[1]).toMatch(/skipping broken checkpoint .*step-000000002: .*checkpoint\.json not found/);
    expect(warnings[2]).toMatch(/loaded .*step-000000001 \(step 1\) instead of the checkpoint named by/);
    expect(await latestCheckpoint(run)).toBe(join(root, 'step-000000001'));
  });

  it('falls back when LATEST names a directory that is gone', async () => {
    const run = await runWith([1, 2]);
    await rm(join(run, 'checkpoints', 'step-000000002'), { recursive: true });
    expect((await loadCheckpoint(run, { onWarning: () => {} })).step).toBe(1);
  });

  it('throws the newest error when nothing loads, and missing for an empty run', async () => {
    const run = await runWith([1]);
    await truncate(join(run, 'checkpoints', 'step-000000001', 'weights.safetensors'), 10);
    const e = await refusal(loadCheckpoint(run, { onWarning: () => {} }));
    expect(e.code).toBe('truncated');
    expect(await latestCheckpoint(run)).toBeUndefined();
    const empty = await tempDir('empty');
    await mkdir(join(empty, 'checkpoints'));
    const missing = await refusal(loadCheckpoint(empty));
    expect(missing.code).toBe('missing');
    expect(missing.message).toBe(`${empty}: no checkpoint in ${join(empty, 'checkpoints')}`);
  });
});

describe('latestCheckpoint', () => {
  it('is undefined for a run that does not exist or has no checkpoint yet', async () => {
    const dir = await tempDir('latest');
    expect(await latestCheckpoint(join(dir, 'nope'))).toBeUndefined();
    expect(await latestCheckpoint(dir)).toBeUndefined();
    await save(dir, 12);
    expect(await latestCheckpoint(dir)).toBe(join(dir, 'checkpoints', 'step-000000012'));
  });
});

describe('validation on load', () => {
  async function checkpoint(): Promise<{ dir: string; weights: string; manifest: string }> {
    const run = await tempDir('validate');
    const dir = await saveCheckpoint(run, { step: 5, config, tensors: stepTensors(5, 1000) });
    return { dir, weights: join(dir, 'weights.safetensors'), manifest: join(dir, 'checkpoint.json') };
  }

  it('a weights file cut in half is truncated, naming the file', async () => {
    const { dir, weights } = await checkpoint();
    const size = (await stat(weights)).size;
    await truncate(weights, Math.floor(size / 2));
    const e = await refusal(loadCheckpoint(dir));
    expect(e.code).toBe('truncated');
    expect(e.message).toBe(
      `${weights}: weights are truncated (expected ${size} bytes, got ${Math.floor(size / 2)})`,
    );
    expect(e.path).toBe(weights);
  });

  it('a flipped byte is corrupt, with both hashes', async () => {
    const { dir, weights } = await checkpoint();
    const bytes = await readFile(weights);
    const expected = createHash('sha256').update(bytes).digest('hex');
    bytes[bytes.length - 1]! ^= 1;
    await writeFile(weights, bytes);
    const actual = createHash('sha256').update(bytes).digest('hex');
    const e = await refusal(loadCheckpoint(dir));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(
      new RegExp(`^${weights}: weights are corrupt \\(expected sha256 ${expected} .*got ${actual} `),
    );
  });

  it('a random binary file as weights is refused — by its hash, or as not safetensors if the hash fits', async () => {
    const { dir, weights, manifest } = await checkpoint();
    const random = new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24);
    await writeFile(weights, random);
    const e = await refusal(loadCheckpoint(dir));
    expect(['corrupt', 'truncated']).toContain(e.code);
    expect(e.message).toContain(weights);
    // A manifest that matches the foreign file (e.g. written by a buggy tool) still does not get it loaded.
    const m = JSON.parse(await readFile(manifest, 'utf8'));
    m.weights.sha256 = createHash('sha256').update(random).digest('hex');
    m.weights.bytes = random.length;
    await writeFile(manifest, JSON.stringify(m));
    const foreign = await refusal(loadCheckpoint(dir));
    expect(foreign.code).toBe('foreign');
    expect(foreign.message).toBe(
      `${weights} is not a safetensors file (no JSON header after the 8-byte length)`,
    );
  });

  it('foreign JSON as checkpoint.json', async () => {
    const { dir, manifest } = await checkpoint();
    await writeFile(manifest, '{"name":"x"}');
    const e = await refusal(loadCheckpoint(dir));
    expect(e.code).toBe('foreign');
    expect(e.message).toBe(`${manifest} is not a bridgekit checkpoint (format field missing)`);
    await writeFile(manifest, '{"format":"pytorch"}');
    expect((await refusal(loadCheckpoint(dir))).message).toMatch(/format is "pytorch", expected/);
    await writeFile(manifest, '[]');
    expect((await refusal(loadCheckpoint(dir))).code).toBe('foreign');
  });

  it('formatVersion 2 says which versions are supported', async () => {
    const { dir, manifest } = await checkpoint();
    const m = JSON.parse(await readFile(manifest, 'utf8'));
    await writeFile(manifest, JSON.stringify({ ...m, formatVersion: 2 }));
    const e = await refusal(loadCheckpoint(dir));
    expect(e.code).toBe('version');
    expect(e.message).toBe(
      `${manifest}: formatVersion 2 is not supported; this @bridgekit/checkpoint reads formatVersion 1 (the checkpoint was written by a newer version; upgrade @bridgekit/checkpoint)`,
    );
  });

  it('invalid JSON and malformed fields are corrupt, naming the file', async () => {
    const { dir, manifest } = await checkpoint();
    const good = JSON.parse(await readFile(manifest, 'utf8'));
    await writeFile(manifest, '{"format": "bridgekit-checkpoint", ');
    const e = await refusal(loadCheckpoint(dir));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(new RegExp(`^${manifest}: invalid JSON \\(`));
    const broken: [Record<string, unknown>, RegExp][] = [
      [{ formatVersion: '1' }, /formatVersion is "1"/],
      [{ step: -3 }, /step is -3/],
      [{ weights: { ...good.weights, file: '../../secret' } }, /weights\.file is "\.\.\/\.\.\/secret"/],
      [{ weights: { ...good.weights, sha256: 'abc' } }, /weights\.sha256 is "abc"/],
      [{ weights: null }, /weights is null/],
      [{ createdAt: 5 }, /createdAt is 5/],
      [{ config: undefined }, /config field missing/],
    ];
    for (const [patch, message] of broken) {
      await writeFile(manifest, JSON.stringify({ ...good, ...patch }));
      const err = await refusal(loadCheckpoint(dir));
      expect(err.code).toBe('corrupt');
      expect(err.message).toMatch(message);
    }
  });

  it('missing paths and files are missing, naming the path', async () => {
    const { dir, weights } = await checkpoint();
    const nowhere = join(dir, 'does', 'not', 'exist');
    const e = await refusal(loadCheckpoint(nowhere));
    expect(e.code).toBe('missing');
    expect(e.message).toBe(`${nowhere}: no such checkpoint or run directory`);
    const run = join(dir, '..', '..');
    await mkdir(join(run, 'elsewhere'));
    const neither = await refusal(loadCheckpoint(join(run, 'elsewhere')));
    expect(neither.code).toBe('missing');
    expect(neither.message).toMatch(
      /is neither a checkpoint directory \(no checkpoint\.json\) nor a run directory/,
    );
    await rm(weights);
    const gone = await refusal(loadCheckpoint(dir));
    expect(gone.code).toBe('missing');
    expect(gone.message).toBe(`${weights}: weights file not found`);
    expect((await refusal(loadCheckpoint(join(dir, '..', 'LATEST')))).message).toMatch(/is a file; expected/);
  });

  it('a weights file whose safetensors header is fine but foreign dtype is refused as foreign', async () => {
    const { dir, weights, manifest } = await checkpoint();
    const bytes = encodeSafetensors({ x: { dtype: 'F32', shape: [1], data: Float32Array.of(1) } });
    const text = new TextDecoder()
      .decode(bytes)
      .replace('"F32"', '"F16"')
      .replace('"shape":[1]', '"shape":[2]');
    const forged = new TextEncoder().encode(text);
    await writeFile(weights, forged);
    const m = JSON.parse(await readFile(manifest, 'utf8'));
    m.weights = {
      ...m.weights,
      sha256: createHash('sha256').update(forged).digest('hex'),
      bytes: forged.length,
    };
    await writeFile(manifest, JSON.stringify(m));
    const e = await refusal(loadCheckpoint(dir));
    expect(e.code).toBe('foreign');
    expect(e.message).toMatch(/tensor "x" has dtype F16, which is not supported/);
  });
});
