import { initBackend, Rng, tf } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { base, hostReward, target } from './mixture-fixture.test-helper.js';
import { modeReweightReward } from './mode-reweight-reward.js';
import { rewardFromValue } from './reward-from-value.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('modeReweightReward', () => {
  it('is (1/λ)·log(Σρ_kN_k / Σπ_kN_k): value to float32 precision, gradient against finite differences and autodiff', () => {
    const reward = modeReweightReward({ base, weights: target, lambda: 2 });
    const xs = Float64Array.from(new Rng(5).normalFloat32(6 * 2), (v) => 2 * v);
    const x = tf.tensor2d(Float32Array.from(xs), [6, 2]);
    const value = reward.value(x);
    const gradient = reward.gradient(x);
    const hostValues = Array.from({ length: 6 }, (_, b) => hostReward([xs[2 * b]!, xs[2 * b + 1]!], 2));
    expect(relativeError(value.dataSync(), hostValues)).toBeLessThan(1e-5);
    const sum = (y: Float64Array) => {
      let s = 0;
      for (let b = 0; b < y.length / 2; b++) s += hostReward([y[2 * b]!, y[2 * b + 1]!], 2);
      return s;
    };
    expect(relativeError(gradient.dataSync(), fdGradient(sum, xs))).toBeLessThan(1e-4);
    const auto = rewardFromValue('auto', (u) => reward.value(u)).gradient(x);
    expect(relativeError(gradient.dataSync(), auto.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, value, gradient, auto]);
  });

  it('is ≈ (1/λ)·log(ρ_k/π_k) deep inside mode k', () => {
    const far = modeReweightReward({
      base: { ...base, means: base.means.map((m) => m.map((v) => 10 * v)) },
      weights: target,
      lambda: 2,
    });
    const x = tf.tensor2d([
      [-15, 0],
      [15, 0],
      [0, 20],
    ]);
    const value = far.value(x);
    const want = target.map((r, k) => Math.log(r / base.weights[k]!) / 2);
    expect(relativeError(value.dataSync(), want)).toBeLessThan(1e-5);
    tf.dispose([x, value]);
  });

  it('errors name the argument', () => {
    expect(() => modeReweightReward({ base, weights: [1, 2] })).toThrow(
      /weights must hold one target weight per component of base \(3\), got an array of length 2/,
    );
    expect(() => modeReweightReward({ base, weights: [1, 0, 2] })).toThrow(
      /weights\[1\] must be a finite number > 0, got 0/,
    );
    expect(() => modeReweightReward({ base, weights: target, lambda: 0 })).toThrow(
      /lambda must be a finite number > 0/,
    );
    const singular = {
      ...base,
      covs: [
        base.covs[0]!,
        [
          [1, 1],
          [1, 1],
        ],
        base.covs[2]!,
      ],
    };
    expect(() => modeReweightReward({ base: singular, weights: target })).toThrow(
      /base\.covs\[1\] must be positive definite/,
    );
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    expect(() => modeReweightReward({ base, weights: target }).value(x)).toThrow(
      /x must have shape \[B, 2\], got \[2, 3\]/,
    );
    x.dispose();
  });
});
