import { initBackend, Rng, tf } from '@bridgekit/core';
import { linearSchedule, reverseTimeSde, type Sde, vpSde } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { eulerMaruyama } from './euler-maruyama.js';
import { uniformGrid } from './time-grid.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('eulerMaruyama', () => {
  it('takes x + f h + g√|h|ξ with a per-coordinate diffusion tensor, on a decreasing grid', () => {
    // f = −x, g = (0, 2) per column: column 0 is deterministic, column 1 gets 2√|h|ξ.
    const sde: Sde = {
      name: 'test',
      drift: (x) => tf.neg(x),
      diffusion: () => tf.tensor2d([[0, 2]]),
    };
    const x = tf.tensor2d([
      [1, 1],
      [2, -1],
    ]);
    const xi = new Rng(1).normalFloat32(4);
    const result = eulerMaruyama(sde, x, [1, 0.75], { noise: () => tf.tensor2d(xi, [2, 2]) });
    const h = -0.25;
    const expected = [1 - h, 1 - h + 2 * 0.5 * xi[1]!, 2 - 2 * h, -1 + h + 2 * 0.5 * xi[3]!];
    const got = result.x.dataSync();
    expected.forEach((v, i) => {
      expect(got[i]).toBeCloseTo(v, 5);
    });
    tf.dispose([x, result.x]);
  });

  it('refuses to run a reverse-time SDE forward in time, naming timeGrid', () => {
    const vp = vpSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) });
    const reverse = reverseTimeSde(vp, (x) => tf.neg(x));
    const x = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => eulerMaruyama(reverse, x, uniformGrid(1e-3, 1, 4), { seed: 1 })).toThrow(
      /reverse-time SDE \(timeDirection 'backward'\), so timeGrid must be decreasing/,
    );
    const result = eulerMaruyama(reverse, x, uniformGrid(1, 1e-3, 4), { seed: 1 });
    expect(result.x.shape).toEqual([2, 2]);
    tf.dispose([x, result.x]);
  });
});
