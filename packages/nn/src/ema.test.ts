import { initBackend, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { emaUpdate } from './ema.js';

describe('emaUpdate', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('is decay·ema + (1 − decay)·params per name, returning new tensors', () => {
    const ema = { w: tf.tensor1d([1, 2]), b: tf.tensor1d([0]) };
    const params = { w: tf.tensor1d([3, -2]), b: tf.tensor1d([10]) };
    const out = emaUpdate(ema, params, 0.99);
    expect(out.w!.dataSync()[0]).toBeCloseTo(0.99 * 1 + 0.01 * 3, 6);
    expect(out.w!.dataSync()[1]).toBeCloseTo(0.99 * 2 - 0.01 * 2, 6);
    expect(out.b!.dataSync()[0]).toBeCloseTo(0.1, 6);
    expect(out.w).not.toBe(ema.w);
    expect(Array.from(ema.w.dataSync())).toEqual([1, 2]);
  });

  it('after k updates toward a constant, the gap shrinks by decay^k', () => {
    let ema = { w: tf.tensor1d([0]) as tf.Tensor };
    const target = { w: tf.tensor1d([1]) };
    for (let k = 0; k < 50; k++) {
      const next = emaUpdate(ema, target, 0.9);
      ema.w!.dispose();
      ema = next as { w: tf.Tensor };
    }
    expect(1 - ema.w!.dataSync()[0]!).toBeCloseTo(0.9 ** 50, 6);
  });

  it('names bad arguments', () => {
    expect(() => emaUpdate({ w: tf.zeros([1]) }, { w: tf.zeros([1]) }, 1.5)).toThrow(
      /decay must be in \[0, 1\], got 1.5/,
    );
    expect(() => emaUpdate({ w: tf.zeros([1]) }, {}, 0.9)).toThrow(/params has no entry for 'w'/);
  });
});
