import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
import { tempDir } from './temp-dir.test-helper.js';

describe('writeFileAtomic', () => {
  it('creates the parent directory, writes bytes or text, and leaves no temp file', async () => {
    const dir = await tempDir('atomic');
    const file = join(dir, 'a', 'b', 'x.bin');
    await writeFileAtomic(file, Uint8Array.of(1, 2, 3));
    expect([...(await readFile(file))]).toEqual([1, 2, 3]);
    await writeFileAtomic(file, 'replaced ✓');
    expect(await readFile(file, 'utf8')).toBe('replaced ✓');
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['x.bin']);
  });

  it('replaces the target in one step: a reader never sees a partial file', async () => {
    const dir = await tempDir('atomic');
    const file = join(dir, 'big.txt');
    const a = 'a'.repeat(1 << 18);
    const b = 'b'.repeat(1 << 18);
    await writeFile(file, a);
    let reads = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const text = await readFile(file, 'utf8');
        expect(text === a || text === b).toBe(true);
        reads++;
      }
    })();
    for (let i = 0; i < 20; i++) await writeFileAtomic(file, i % 2 ? a : b);
    stop = true;
    await reader;
    expect(reads).toBeGreaterThan(0);
  });

  it('removes its temp file and rethrows when the rename fails', async () => {
    const dir = await tempDir('atomic');
    const target = join(dir, 'is-a-directory');
    await mkdir(join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['is-a-directory']);
  });

  it('rejects an empty path', async () => {
    await expect(writeFileAtomic('', 'x')).rejects.toThrow(TypeError);
  });
});

describe('writeFileAtomicSync', () => {
  it('creates the parent directory, replaces the file, and leaves no temp file', async () => {
    const dir = await tempDir('atomic-sync');
    const file = join(dir, 'a', 'x.csv');
    writeFileAtomicSync(file, 'x,y\n1,2\n');
    writeFileAtomicSync(file, Uint8Array.of(7, 8));
    expect([...(await readFile(file))]).toEqual([7, 8]);
    expect(await readdir(join(dir, 'a'))).toEqual(['x.csv']);
  });

  it('removes its temp file and rethrows when the rename fails', async () => {
    const dir = await tempDir('atomic-sync');
    const target = join(dir, 'is-a-dir');
    await mkdir(join(target, 'child'), { recursive: true });
    expect(() => writeFileAtomicSync(target, 'x')).toThrow();
    expect((await readdir(dir)).sort()).toEqual(['is-a-dir']);
  });
});
