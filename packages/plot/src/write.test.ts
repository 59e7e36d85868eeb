import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { PNG_SIGNATURE, pngSize } from './decode-png.test-helper.js';
import { renderPng } from './render-png.js';
import type { VegaLiteSpec } from './spec.js';
import { writePng, writeSvg } from './write.js';

const spec: VegaLiteSpec = {
  width: 64,
  height: 32,
  autosize: { type: 'none' },
  padding: 0,
  data: { values: [{ x: 1 }] },
  mark: 'tick',
  encoding: { x: { field: 'x', type: 'quantitative' } },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bridgekit-plot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePng / writeSvg', () => {
  it('creates the parent directory and leaves only the complete file', async () => {
    const file = join(dir, 'nested', 'deeper', 'plot.png');
    await writePng(file, spec, { scale: 2 });
    expect(await readdir(join(dir, 'nested', 'deeper'))).toEqual(['plot.png']);
    const bytes = new Uint8Array(await readFile(file));
    expect([...bytes.subarray(0, 8)]).toEqual([...PNG_SIGNATURE]);
    expect(pngSize(bytes)).toEqual({ width: 128, height: 64 });
    expect(Buffer.from(bytes).equals(Buffer.from(await renderPng(spec, { scale: 2 })))).toBe(true);
    // IEND chunk at the very end: the file is complete.
    expect(String.fromCharCode(...bytes.subarray(bytes.length - 8, bytes.length - 4))).toBe('IEND');
  });

  it('replaces an existing file atomically', async () => {
    const sub = join(dir, 'replace');
    const file = join(sub, 'plot.svg');
    await writeSvg(file, spec);
    await writeSvg(file, { ...spec, width: 80 });
    expect(await readdir(sub)).toEqual(['plot.svg']);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text).toContain('width="80"');
    expect(text.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('removes its temp file when the rename fails', async () => {
    const sub = join(dir, 'fail');
    await mkdir(join(sub, 'plot.png'), { recursive: true }); // a directory where the file should go
    await expect(writeFileAtomic(join(sub, 'plot.png'), new Uint8Array([1, 2, 3]))).rejects.toThrow();
    expect(await readdir(sub)).toEqual(['plot.png']);
  });

  it('writes nothing when rendering fails, and validates the file argument', async () => {
    const sub = join(dir, 'bad');
    await expect(writePng(join(sub, 'x.png'), spec, { scale: -1 })).rejects.toThrow(/options\.scale/);
    await expect(readdir(sub)).rejects.toThrow(/ENOENT/);
    await expect(writePng('', spec)).rejects.toThrow(/file must be a non-empty path string, got ""/);
    await expect(writeSvg(42 as unknown as string, spec)).rejects.toThrow(TypeError);
  });
});
