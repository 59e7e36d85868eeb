import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@bridgekit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleDataset } from './datasets/registry.js';
import { writeCsv } from './files/csv.js';
import { writeNpy } from './files/npy.js';
import { loadData } from './load-data.js';

const dir = mkdtempSync(join(tmpdir(), 'bridgekit-data-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadData', () => {
  it('draws a dataset by name (with stretch suffix) from options.n and options.rng', () => {
    const data = loadData('spiral-y8', { n: 300, rng: new Rng(4) });
    expect(data).toEqual({ ...sampleDataset('spiral-y8', 300, new Rng(4)), source: 'spiral-y8' });
  });

  it('requires n and rng for a dataset name, naming what is missing', () => {
    expect(() => loadData('moons')).toThrow(
      /loadData\('moons'\): a dataset name needs options\.n and options\.rng.*missing options\.n \(how many points\) and options\.rng/,
    );
    expect(() => loadData('moons', { n: 10 })).toThrow(
      /missing options\.rng \(an Rng\), got n = 10, rng = undefined/,
    );
    expect(() => loadData('moons', { rng: new Rng(1) })).toThrow(
      /missing options\.n \(how many points\), got n = undefined/,
    );
    expect(() => loadData('moons', { n: -2, rng: new Rng(1) })).toThrow(
      /options\.n must be a non-negative integer, got -2/,
    );
  });

  it('reads .csv and .npy files, keeping the first n rows when asked', () => {
    const points = new Rng(8).normalFloat32(40);
    const csv = join(dir, 'p.csv');
    const npy = join(dir, 'P.NPY');
    writeCsv(csv, points, 4, ['a', 'b', 'c', 'd']);
    writeNpy(npy, points, 4);
    expect(loadData(csv)).toEqual({ points, dim: 4, header: ['a', 'b', 'c', 'd'], source: csv });
    expect(loadData(npy)).toEqual({ points, dim: 4, source: npy });
    expect(loadData(csv, { n: 3 }).points).toEqual(points.slice(0, 12));
    expect(loadData(npy, { n: 0 }).points).toHaveLength(0);
    expect(loadData(npy, { n: 10 }).points).toEqual(points);
  });

  it('refuses n larger than the file', () => {
    const npy = join(dir, 'small.npy');
    writeNpy(npy, new Float32Array(6), 2);
    expect(() => loadData(npy, { n: 4 })).toThrow(
      `loadData('${npy}'): options.n = 4 but the file has only 3 rows`,
    );
  });

  it('names the path of a missing file', () => {
    const missing = join(dir, 'missing.csv');
    expect(() => loadData(missing)).toThrow(`readCsv: file '${missing}' does not exist (ENOENT)`);
    expect(() => loadData(join(dir, 'missing.npy'))).toThrow(/readNpy: file '.*missing\.npy' does not exist/);
  });

  it('refuses a spec that is neither a dataset name nor a .csv/.npy path, listing the names', () => {
    expect(() => loadData('data.txt', { n: 1, rng: new Rng(1) })).toThrow(
      /loadData: 'data\.txt' is neither a path ending in \.csv or \.npy nor a dataset name\. unknown dataset "data\.txt": valid names are spiral, checkerboard, gmm, gaussian, 8gaussians, moons, scurve/,
    );
    expect(() => loadData('')).toThrow(/spec must be a dataset name or a \.csv \/ \.npy path/);
  });
});
