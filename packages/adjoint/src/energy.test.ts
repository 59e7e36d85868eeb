import { initBackend, Rng, tf } from '@bridgekit/core';
import { relativeError } from '@bridgekit/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianEnergy } from './energy.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('gaussianEnergy: E(x) = ‖x‖²/(2σ_p²), ∇E = x/σ_p², exact draws of N(0, σ_p²I)', () => {
  const rows = [
    [0.5, -1.2, 2],
    [0, 0, 0],
    [-3, 0.25, 1.5],
  ];

  it.each([1, 0.7, 2.5])('σ_p = %s: value and gradient equal the closed forms (float32, 1e-6)', (std) => {
    const energy = gaussianEnergy(std === 1 ? {} : { std });
    expect(energy.name).toBe(std === 1 ? 'gaussian' : `gaussian(std=${std})`);
    const x = tf.tensor2d(rows);
    const value = energy.value(x);
    const gradient = energy.gradient(x);
    expect(value.shape).toEqual([3]);
    expect(gradient.shape).toEqual([3, 3]);
    const wantValue = rows.map((r) => r.reduce((s, v) => s + v * v, 0) / (2 * std * std));
    expect(relativeError(value.dataSync(), wantValue)).toBeLessThan(1e-6);
    const wantGradient = rows.flat().map((v) => v / (std * std));
    expect(relativeError(gradient.dataSync(), wantGradient)).toBeLessThan(1e-6);
    expect(x.isDisposed).toBe(false);
    tf.dispose([x, value, gradient]);
  });

  it('gradient equals autodiff of the value', () => {
    const energy = gaussianEnergy({ std: 0.7 });
    const x = tf.tensor2d(new Rng(1).normalFloat32(40), [10, 4]);
    const auto = tf.grad((u: tf.Tensor) => tf.sum(energy.value(u as tf.Tensor2D)))(x);
    const gradient = energy.gradient(x);
    expect(relativeError(gradient.dataSync(), auto.dataSync())).toBeLessThan(1e-6);
    tf.dispose([x, auto, gradient]);
  });

  it('sample(n, dim, rng): shape [n, dim], mean 0, variance σ_p², no correlation (n = 10⁵, 4 SE), reproducible', () => {
    // SEs for N(0, s²) with n draws: mean s/√n, variance s²√(2/n), covariance s²/√n.
    const std = 0.7;
    const energy = gaussianEnergy({ std });
    const n = 100_000;
    const s = energy.sample!(n, 2, new Rng(5));
    expect(s.shape).toEqual([n, 2]);
    const data = s.dataSync();
    s.dispose();
    const mean = [0, 0];
    for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) mean[k]! += data[2 * i + k]! / n;
    const second = [0, 0];
    let cross = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 2; k++) second[k]! += data[2 * i + k]! ** 2 / n;
      cross += (data[2 * i]! * data[2 * i + 1]!) / n;
    }
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(mean[k]!)).toBeLessThan((4 * std) / Math.sqrt(n));
      expect(Math.abs(second[k]! - std * std)).toBeLessThan(4 * std * std * Math.sqrt(2 / n));
    }
    expect(Math.abs(cross)).toBeLessThan((4 * std * std) / Math.sqrt(n));
    const again = energy.sample!(4, 2, new Rng(5));
    expect(Array.from(again.dataSync())).toEqual(Array.from(data.subarray(0, 8)));
    again.dispose();
  });

  it('rejects a bad std and a non-batch x, naming the argument', () => {
    for (const std of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      expect(() => gaussianEnergy({ std })).toThrow(/gaussianEnergy: std must be a finite number > 0, got/);
    }
    expect(() => gaussianEnergy({ std: -2 })).toThrow(/got -2$/);
    const energy = gaussianEnergy();
    const flat = tf.tensor1d([1, 2]);
    expect(() => energy.value(flat as unknown as tf.Tensor2D)).toThrow(
      /gaussianEnergy\.value: x must be a live float32 tf\.Tensor2D \[B, D\], got a float32 tensor of shape \[2\]/,
    );
    expect(() => energy.gradient(flat as unknown as tf.Tensor2D)).toThrow(/gaussianEnergy\.gradient: x must/);
    flat.dispose();
  });
});
