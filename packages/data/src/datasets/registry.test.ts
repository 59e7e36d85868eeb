import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { checkerboard } from './checkerboard.js';
import { eightGaussians } from './eight-gaussians.js';
import { gaussian } from './gaussian.js';
import { gmm } from './gmm.js';
import { moons } from './moons.js';
import { DATASETS, datasetNames, parseDatasetSpec, sampleDataset } from './registry.js';
import { scurve } from './scurve.js';
import { spiral } from './spiral.js';

const NAMES = ['spiral', 'checkerboard', 'gmm', 'gaussian', '8gaussians', 'moons', 'scurve'];

describe('dataset registry', () => {
  it('lists the seven datasets, each with a definition and a source', () => {
    expect(datasetNames()).toEqual(NAMES);
    for (const name of datasetNames()) {
      expect(DATASETS[name].definition.length).toBeGreaterThan(10);
      expect(DATASETS[name].source).toMatch(/VSDM|TorchCFM/);
    }
  });

  it('maps each name to its sampler with the same draws', () => {
    const fns = { spiral, checkerboard, gmm, gaussian, '8gaussians': eightGaussians, moons, scurve };
    for (const [name, fn] of Object.entries(fns)) {
      const { points, dim } = sampleDataset(name, 64, new Rng(9));
      expect(dim).toBe(2);
      expect(points).toHaveLength(128);
      expect(points, name).toEqual(fn(64, new Rng(9)));
    }
  });

  it('draws i.i.d. on request where the reference stratifies (moons, gmm), and the reference otherwise', () => {
    expect(sampleDataset('moons', 64, new Rng(9), { iid: true }).points).toEqual(
      moons(64, new Rng(9), { placement: 'iid' }),
    );
    expect(sampleDataset('gmm-y2', 64, new Rng(9), { iid: true }).points).toEqual(
      gmm(64, new Rng(9), { components: 'iid', yScalar: 2 }),
    );
    expect(sampleDataset('spiral', 64, new Rng(9), { iid: true }).points).toEqual(spiral(64, new Rng(9)));
    expect(() => sampleDataset('moons', 4, new Rng(9), { iid: 'yes' as unknown as boolean })).toThrow(
      /sampleDataset: options\.iid must be a boolean, got "yes"/,
    );
  });

  it("parses stretch suffixes: 'spiral-y8', 'checkerboard-x6', '-x<k>y<m>'", () => {
    expect(parseDatasetSpec('spiral-y8')).toEqual({ name: 'spiral', xScalar: 1, yScalar: 8 });
    expect(parseDatasetSpec('checkerboard-x6')).toEqual({ name: 'checkerboard', xScalar: 6, yScalar: 1 });
    expect(parseDatasetSpec('gmm-x1.5y0.25')).toEqual({ name: 'gmm', xScalar: 1.5, yScalar: 0.25 });
    expect(parseDatasetSpec('8gaussians')).toEqual({ name: '8gaussians', xScalar: 1, yScalar: 1 });
    expect(sampleDataset('spiral-y8', 500, new Rng(2)).points).toEqual(
      spiral(500, new Rng(2), { yScalar: 8 }),
    );
    expect(sampleDataset('checkerboard-x6', 500, new Rng(2)).points).toEqual(
      checkerboard(500, new Rng(2), { xScalar: 6 }),
    );
    expect(sampleDataset('moons-x2y3', 500, new Rng(2)).points).toEqual(
      moons(500, new Rng(2), { xScalar: 2, yScalar: 3 }),
    );
  });

  it('refuses unknown names, listing the valid names and the suffix syntax', () => {
    const message = (() => {
      try {
        sampleDataset('swissroll', 10, new Rng(0));
      } catch (error) {
        expect(error).toBeInstanceOf(RangeError);
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toContain('"swissroll"');
    for (const name of NAMES) expect(message).toContain(name);
    expect(message).toContain('-x<k>y<m>');
    expect(() => parseDatasetSpec('Spiral')).toThrow(
      /unknown dataset "Spiral": valid names are spiral, checkerboard/,
    );
  });

  it('refuses malformed stretch suffixes', () => {
    for (const spec of [
      'spiral-',
      'spiral-z3',
      'spiral-y',
      'spiral-y0',
      'spiral-y8x2',
      'spiral-y-2',
      'spiral-x1e3',
    ]) {
      expect(() => parseDatasetSpec(spec), spec).toThrow(/bad stretch suffix .* -x<k>, -y<k> or -x<k>y<m>/);
    }
  });

  it('is deterministic per seed for every dataset, and passes n errors through', () => {
    for (const name of NAMES) {
      expect(sampleDataset(name, 40, new Rng(5)).points).toEqual(sampleDataset(name, 40, new Rng(5)).points);
      expect(sampleDataset(name, 40, new Rng(5)).points).not.toEqual(
        sampleDataset(name, 40, new Rng(6)).points,
      );
      expect(sampleDataset(name, 0, new Rng(5)).points).toHaveLength(0);
      expect(() => sampleDataset(name, -1, new Rng(5))).toThrow(/n must be a non-negative integer/);
      expect(() => sampleDataset(name, 5, undefined as unknown as Rng)).toThrow(
        /rng must be a seeded Rng from @bridgekit\/core \(new Rng\(seed\)\), got undefined/,
      );
    }
  });
});
