import { initBackend, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipGradNorm } from './clip-grad-norm.js';

describe('clipGradNorm', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  // Global norm √(3² + 4² + 12²) = 13 over two tensors.
  const grads = () => ({ a: tf.tensor1d([3, 4]), b: tf.tensor2d([[12]]) });

  it('reports the global L2 norm and rescales to maxNorm when it is exceeded', () => {
    const g = grads();
    const { grads: out, norm } = clipGradNorm(g, 6.5);
    expect(norm).toBeCloseTo(13, 5);
    const factor = 6.5 / (13 + 1e-6);
    expect(Array.from(out.a!.dataSync())).toEqual([3, 4].map((v) => Math.fround(v * factor)));
    expect(out.b!.dataSync()[0]).toBeCloseTo(12 * factor, 5);
    expect(Array.from(g.a.dataSync())).toEqual([3, 4]);
  });

  it('leaves gradients below maxNorm unchanged, still as new tensors', () => {
    const g = grads();
    const { grads: out, norm } = clipGradNorm(g, 20);
    expect(norm).toBeCloseTo(13, 5);
    expect(out.a).not.toBe(g.a);
    expect(Array.from(out.a!.dataSync())).toEqual([3, 4]);
    g.a.dispose();
    expect(Array.from(out.a!.dataSync())).toEqual([3, 4]);
  });

  it('names a bad maxNorm', () => {
    expect(() => clipGradNorm(grads(), 0)).toThrow(/maxNorm must be positive, got 0/);
  });
});
