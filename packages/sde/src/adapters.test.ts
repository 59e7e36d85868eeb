import { initBackend, Matrix, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cldSde } from './cld.js';
import { scoreFromNoise } from './conditional-score.js';
import { gaussianMixtureScore } from './gaussian-mixture-score.js';
import { powerSchedule } from './power-schedule.js';
import { probabilityFlow } from './probability-flow.js';
import { reverseTimeSde } from './reverse-time-sde.js';
import type { ScoreFn, State } from './sde.js';
import { vpSde } from './vp-sde.js';
import { variationalLinearSde } from './vsdm-linear.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const mixture = {
  weights: [0.3, 0.7],
  means: [
    [-2, 1],
    [1.5, 0.5],
  ],
  covs: [
    [
      [1, 0.3],
      [0.3, 0.5],
    ],
    [
      [0.4, -0.1],
      [-0.1, 0.8],
    ],
  ],
};

const x = () =>
  tf.tensor2d([
    [0.3, -1.2],
    [2.5, 0.7],
    [-1, 1],
  ]) as State;

function values(make: () => tf.Tensor): Float32Array {
  const t = make();
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]!)));
}

describe('reverseTimeSde and probabilityFlow', () => {
  const sde = vpSde({ schedule });
  const score = gaussianMixtureScore(sde, mixture);

  it('reverse drift is f − g²s with the forward diffusion; PF velocity is f − ½g²s', () => {
    const reverse = reverseTimeSde(sde, score);
    const flow = probabilityFlow(sde, score);
    expect(reverse.name).toBe(`reverse-time(${sde.name})`);
    expect(flow.name).toBe(`probability-flow(${sde.name})`);
    expect(reverse.timeDirection).toBe('backward');
    expect(reverse.forward).toBe(sde);
    const xs = x();
    for (const t of [0.05, 0.4, 0.9]) {
      const beta = schedule.beta(t);
      const s = values(() => score(xs, t));
      const xv = xs.dataSync();
      const expectedReverse = Array.from(xv, (v, i) => -0.5 * beta * v - beta * s[i]!);
      const expectedFlow = Array.from(xv, (v, i) => -0.5 * beta * v - 0.5 * beta * s[i]!);
      expectAllClose(
        values(() => reverse.drift(xs, t)),
        expectedReverse,
        1e-5,
      );
      expectAllClose(
        values(() => flow.velocity(xs, t)),
        expectedFlow,
        1e-5,
      );
      expect(reverse.diffusion(t, xs)).toBe(sde.diffusion(t));
    }
    const before = tf.memory().numTensors;
    tf.dispose([reverse.drift(xs, 0.5), flow.velocity(xs, 0.5)]);
    expect(tf.memory().numTensors).toBe(before); // intermediates are tidied
    xs.dispose();
  });

  it('squares a per-coordinate tensor diffusion elementwise (CLD: no score term on the positions)', () => {
    const cld = cldSde();
    const zero: ScoreFn = (z) => tf.onesLike(z);
    const z = tf.tensor2d([[0.3, -0.2, 1.1, 0.4]]) as State; // d = 2: [x₁ x₂ | v₁ v₂]
    const t = 0.5;
    const forward = values(() => cld.drift(z, t));
    const reverse = values(() => reverseTimeSde(cld, zero).drift(z, t));
    const flow = values(() => probabilityFlow(cld, zero).velocity(z, t));
    const g2 = cld.diffusionCov(t);
    for (let i = 0; i < 4; i++) {
      const gg = i < 2 ? g2.get(0, 0) : g2.get(1, 1);
      expect(reverse[i]).toBeCloseTo(forward[i]! - gg, 5);
      expect(flow[i]).toBeCloseTo(forward[i]! - 0.5 * gg, 5);
    }
    expect(reverse[0]).toBeCloseTo(forward[0]!, 6);
    z.dispose();
  });

  it('§9 T2: VSDM with A ≡ 0 equals VP: same score, DSM target −√β ε/√(1−e^{−B}), reverse SDE and PF-ODE', () => {
    const vsdm = variationalLinearSde({ schedule, a: Matrix.zeros(2) });
    const vsdmScore = gaussianMixtureScore(vsdm, mixture);
    const xs = x();
    const eps = tf.tensor2d([
      [0.5, -1],
      [1.5, 0.2],
      [-0.7, 0.1],
    ]) as State;
    for (const t of [0.1, 0.6, 1]) {
      expectAllClose(
        values(() => vsdmScore(xs, t)),
        values(() => score(xs, t)),
        1e-5,
      );
      expectAllClose(
        values(() => reverseTimeSde(vsdm, vsdmScore).drift(xs, t)),
        values(() => reverseTimeSde(sde, score).drift(xs, t)),
        1e-5,
      );
      expectAllClose(
        values(() => probabilityFlow(vsdm, vsdmScore).velocity(xs, t)),
        values(() => probabilityFlow(sde, score).velocity(xs, t)),
        1e-5,
      );
      const b = schedule.integral(t);
      const target = Array.from(
        eps.dataSync(),
        (e) => (-Math.sqrt(schedule.beta(t)) * e) / Math.sqrt(1 - Math.exp(-b)),
      );
      const g = sde.diffusion(t);
      expectAllClose(
        values(() => tf.mul(scoreFromNoise(vsdm, eps, t), g)),
        target,
        1e-5,
      );
      expectAllClose(
        values(() => tf.mul(scoreFromNoise(sde, eps, t), g)),
        target,
        1e-5,
      );
    }
    tf.dispose([xs, eps]);
  });
});
