import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/select.js';
import { tf } from '../tf.js';
import { Rng } from './rng.js';
import { normalTensor, uniformTensor } from './tensor.js';

describe('normalTensor / uniformTensor', () => {
  it('give bit-identical tensors for the same seed on cpu and wasm', async () => {
    const draws: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await initBackend(backend);
      const rng = new Rng(42);
      const n = normalTensor(rng, [64, 3]);
      const u = uniformTensor(rng, [10]);
      draws.push(Float32Array.from([...n.dataSync(), ...u.dataSync()]));
      tf.dispose([n, u]);
    }
    expect(draws[0]).toEqual(draws[1]);
  });

  describe('on cpu', () => {
    beforeAll(async () => {
      await initBackend('cpu');
    });
    it('draws exactly the host stream', () => {
      const t = normalTensor(new Rng(7), [5, 2]);
      expect(t.shape).toEqual([5, 2]);
      expect(Array.from(t.dataSync())).toEqual(Array.from(new Rng(7).normalFloat32(10)));
      t.dispose();
    });
    it('names the bad dimension', () => {
      expect(() => normalTensor(new Rng(1), [2, -1])).toThrow(
        /shape\[1\] must be a non-negative integer, got -1/,
      );
    });
  });
});
