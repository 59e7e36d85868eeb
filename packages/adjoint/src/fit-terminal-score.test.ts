import { initBackend, Rng, tf } from '@bridgekit/core';
import { gaussianFlowVelocity } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateFittedScore, fitTerminalScore } from './fit-terminal-score.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('fitTerminalScore: the score of a flow model’s own terminal law by denoising score matching', () => {
  it('recovers −(x − m)/(s² + σ²) for the exact flow of N(m, s²I) (relative RMS error < 0.25; measured 0.18 at these sizes — a sign or σ-scale error gives > 1)', () => {
    const m = [1, -0.5];
    const s = 0.5;
    const sigma = 0.1;
    const velocity = gaussianFlowVelocity({ mean: m, std: s });
    const fitted = fitTerminalScore({
      velocity: (x, t) => velocity(x, t) as tf.Tensor2D,
      dim: 2,
      rng: new Rng(4),
      sigma,
      samples: 4000,
      steps: 1500,
    });
    expect(fitted.cost).toBe(100 * 4000 + 2 * 1500 * 512);
    // evaluate on points of the law itself
    const z = new Rng(5).normal(400);
    const xs = Float32Array.from(z, (v, i) => m[i % 2]! + s * v);
    const x = tf.tensor2d(xs, [200, 2]);
    const got = evaluateFittedScore(fitted, x).dataSync();
    let err = 0;
    let ref = 0;
    for (let i = 0; i < 400; i++) {
      const want = -(xs[i]! - m[i % 2]!) / (s * s + sigma * sigma);
      err += (got[i]! - want) ** 2;
      ref += want * want;
    }
    expect(Math.sqrt(err / ref)).toBeLessThan(0.25);
    tf.dispose([x, ...Object.values(fitted.params)]);
  });

  it('names a bad argument', () => {
    const velocity = (x: tf.Tensor2D) => x;
    expect(() => fitTerminalScore({ velocity, dim: 2, rng: new Rng(0), sigma: 0 })).toThrow(
      /sigma must be > 0/,
    );
    expect(() => fitTerminalScore({ velocity, dim: 2, rng: new Rng(0), sigma: 0.1, samples: 0 })).toThrow(
      /samples must be a positive integer/,
    );
  });
});
