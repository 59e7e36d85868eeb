/**
 * Monte-Carlo checks of forward simulation against the closed-form kernels (§9 T1, T10). Each simulation is
 * a local Euler(–Maruyama) loop over the library's tensor drift/diffusion (no samplers package), with
 * ≥ 1e5 paths. Pass criterion: |MC − closed form| ≤ 4 SE + allowance, where the allowance is the exact
 * discretisation bias of that very scheme — for these affine drifts the Euler moments obey a closed
 * float64 recursion, so the bias is computed, not guessed — and additionally |MC − exact Euler moments|
 * ≤ 4 SE, which checks the simulation itself with no allowance at all.
 */
import { initBackend, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianFlowVelocity } from './gaussian-flow-velocity.js';
import { linearSchedule } from './linear-schedule.js';
import { memorylessFlowSde } from './memoryless-flow-sde.js';
import type { Sde, State } from './sde.js';
import { FastNormals } from './test-support.test-helper.js';
import { vpSde } from './vp-sde.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const PATHS = 100_000;

/** Mean and variance of a [n, 1] tensor in float64. */
function moments1d(x: tf.Tensor): { mean: number; variance: number } {
  const v = x.dataSync();
  let s = 0;
  for (const a of v) s += a;
  const mean = s / v.length;
  let q = 0;
  for (const a of v) q += (a - mean) ** 2;
  return { mean, variance: q / (v.length - 1) };
}

/** The slope and offset of a 1-D affine field x ↦ αx + γ, read off two evaluations. */
function affine(field: (x: State) => State): { slope: number; offset: number } {
  const x = tf.tensor2d([[0], [1]]) as State;
  const y = field(x);
  const [a, b] = Array.from(y.dataSync());
  tf.dispose([x, y]);
  return { slope: b! - a!, offset: a! };
}

/**
 * Euler–Maruyama on a uniform grid from t0 to t1 (drift and diffusion at the left point of each step), on
 * [PATHS, 1] tensors, returning the final state and the exact float64 moment recursion of the same scheme
 * (m ← m + (αm + γ)Δt, v ← (1 + αΔt)²v + g²Δt) from the initial moments.
 */
function simulate(
  sde: Sde,
  x0: State,
  init: { mean: number; variance: number },
  t0: number,
  t1: number,
  steps: number,
  normals: FastNormals | undefined,
): { x: State; euler: { mean: number; variance: number } } {
  const dt = (t1 - t0) / steps;
  const buffer = new Float32Array(PATHS);
  let x = x0;
  let { mean, variance } = init;
  for (let k = 0; k < steps; k++) {
    const t = t0 + k * dt;
    const g = normals === undefined ? 0 : (sde.diffusion(t, x) as number);
    const { slope, offset } = affine((z) => sde.drift(z, t));
    mean += (slope * mean + offset) * dt;
    variance = (1 + slope * dt) ** 2 * variance + g * g * dt;
    const noise = normals === undefined ? undefined : tf.tensor2d(normals.fill(buffer), [PATHS, 1]);
    const next = tf.tidy(() => {
      const step = tf.add(x, tf.mul(sde.drift(x, t), dt));
      return (noise === undefined ? step : tf.add(step, tf.mul(noise, g * Math.sqrt(dt)))) as State;
    });
    noise?.dispose();
    x.dispose();
    x = next;
  }
  return { x, euler: { mean, variance } };
}

function expectWithin(actual: number, expected: number, se: number, allowance: number, label: string): void {
  const err = Math.abs(actual - expected);
  if (err > 4 * se + allowance) {
    throw new Error(
      `${label}: |${actual} − ${expected}| = ${err} > 4·SE (${4 * se}) + allowance (${allowance})`,
    );
  }
}

describe('§9 T1: VP kernel vs Euler–Maruyama (β linear 0.1→20, 1000 steps, 1e5 paths)', () => {
  it('mean scale e^{−5.025} = 0.0065716 and variance 1 − e^{−10.05} = 0.99996 at t = 1', () => {
    const sde = vpSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) });
    // A large common start c makes the mean scale measurable: SE(mean/c) = √Var/(c√N) ≈ 6e-5 (1 %).
    const c = 50;
    const x0 = tf.fill([PATHS, 1], c) as State;
    const { x, euler } = simulate(
      sde,
      x0,
      { mean: c, variance: 0 },
      0,
      1,
      1000,
      new FastNormals(new Rng(2024)),
    );
    const mc = moments1d(x);
    x.dispose();
    const exact = { scale: sde.transition(0, 1).phi.get(0, 0), variance: sde.transition(0, 1).cov.get(0, 0) };
    expect(exact.scale).toBeCloseTo(0.0065716, 7);
    expect(exact.variance).toBeCloseTo(0.99996, 5);
    const seMean = Math.sqrt(exact.variance / PATHS) / c;
    const seVar = exact.variance * Math.sqrt(2 / (PATHS - 1));
    // Allowance = exact EM bias: −⅛Δt∫β² from the per-step factor 1 − ½βΔt, + ¼Δt(β₁ − β₀) from left points
    // (≈ −1.2 % of the mean scale); the variance bias is ~1e-3.
    const biasScale = Math.abs(euler.mean / c - exact.scale);
    const biasVar = Math.abs(euler.variance - exact.variance);
    expect(biasScale).toBeLessThan(0.02 * exact.scale);
    expectWithin(mc.mean / c, exact.scale, seMean, biasScale, 'mean scale vs closed form');
    expectWithin(mc.variance, exact.variance, seVar, biasVar, 'variance vs closed form');
    expectWithin(mc.mean / c, euler.mean / c, seMean, 0, 'mean scale vs exact EM moments');
    expectWithin(mc.variance, euler.variance, seVar, 0, 'variance vs exact EM moments');
  });
});

describe('§9 T10: memoryless flow SDE and flow ODE with Gaussian data N(m, s²) (1e5 paths)', () => {
  const [m, s] = [0.7, 0.5];
  const velocity = gaussianFlowVelocity({ mean: m, std: s });
  const exactVariance = (t: number) => t * t * s * s + (1 - t) ** 2;

  it('EM of memorylessFlowSde keeps the marginal variance t²s² + (1−t)² (t = 0.5 and t = 1)', () => {
    const sde = memorylessFlowSde(velocity);
    // Start at t₀ = 0.01 from the exact marginal N(t₀m, t₀²s² + (1−t₀)²): at t = 0 the drift −x/t and
    // σ² = 2(1−t)/t diverge (h = 0), and the SDE has the flow's marginals, so this is an exact start.
    const t0 = 0.01;
    const normals = new FastNormals(new Rng(77));
    const start = { mean: t0 * m, variance: exactVariance(t0) };
    const x0 = tf.tensor2d(
      normals.fill(new Float32Array(PATHS)).map((z) => start.mean + Math.sqrt(start.variance) * z),
      [PATHS, 1],
    ) as State;
    const half = simulate(sde, x0, start, t0, 0.5, 245, normals); // Δt = 0.002
    const mcHalf = moments1d(half.x);
    const end = simulate(sde, half.x, half.euler, 0.5, 1, 250, normals);
    const mcEnd = moments1d(end.x);
    end.x.dispose();
    for (const [t, mc, euler] of [
      [0.5, mcHalf, half.euler],
      [1, mcEnd, end.euler],
    ] as const) {
      const v = exactVariance(t);
      const seVar = v * Math.sqrt(2 / (PATHS - 1));
      const seMean = Math.sqrt(v / PATHS);
      // Allowance = exact EM bias, dominated by the stiff start (slope ≈ −1/t = −100 at t₀, αΔt = −0.2).
      const biasVar = Math.abs(euler.variance - v);
      const biasMean = Math.abs(euler.mean - t * m);
      expect(biasVar).toBeLessThan(0.02 * v);
      expectWithin(mc.variance, v, seVar, biasVar, `variance at t = ${t} vs closed form`);
      expectWithin(mc.mean, t * m, seMean, biasMean, `mean at t = ${t} vs closed form`);
      expectWithin(mc.variance, euler.variance, seVar, 0, `variance at t = ${t} vs exact EM moments`);
      expectWithin(mc.mean, euler.mean, seMean, 0, `mean at t = ${t} vs exact EM moments`);
    }
  });

  it('Euler of the flow ODE x′ = v(x, t) from N(0, 1) gives t²s² + (1−t)² (t = 0.5 and t = 1)', () => {
    const flow = { name: 'flow-ode', drift: velocity, diffusion: () => 0 } satisfies Sde;
    const normals = new FastNormals(new Rng(78));
    const x0 = tf.tensor2d(normals.fill(new Float32Array(PATHS)), [PATHS, 1]) as State;
    const half = simulate(flow, x0, { mean: 0, variance: 1 }, 0, 0.5, 200, undefined);
    const mcHalf = moments1d(half.x);
    const end = simulate(flow, half.x, half.euler, 0.5, 1, 200, undefined);
    const mcEnd = moments1d(end.x);
    end.x.dispose();
    // The ODE map is deterministic and affine, so the MC error is that of the N(0, 1) start pushed through it.
    for (const [t, mc, euler] of [
      [0.5, mcHalf, half.euler],
      [1, mcEnd, end.euler],
    ] as const) {
      const v = exactVariance(t);
      const seVar = v * Math.sqrt(2 / (PATHS - 1));
      const seMean = Math.sqrt(v / PATHS);
      const biasVar = Math.abs(euler.variance - v);
      expect(biasVar).toBeLessThan(0.01 * v); // Euler, Δt = 0.0025: O(Δt) bias
      expectWithin(mc.variance, v, seVar, biasVar, `ODE variance at t = ${t}`);
      expectWithin(mc.mean, t * m, seMean, Math.abs(euler.mean - t * m), `ODE mean at t = ${t}`);
      expectWithin(mc.variance, euler.variance, seVar, 0, `ODE variance at t = ${t} vs exact Euler moments`);
    }
  });
});
