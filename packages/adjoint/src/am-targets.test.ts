import { initBackend, Rng, tf } from '@bridgekit/core';
import { uniformGrid } from '@bridgekit/samplers';
import { gaussianFlowVelocity } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { adjointMatchingRows, subsampleTimesteps } from './am-targets.js';
import { discreteAdjoint } from './discrete-adjoint.js';
import { gaussianTilt } from './gaussian-tilt.js';
import { gaussianTiltReward } from './gaussian-tilt-reward.js';
import { memorylessFlowStep, memorylessStepCoefficients, sampleMemorylessFlow } from './memoryless-flow.js';
import { fitLine } from './numerics.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** For each path, the step indices it was picked at (inverting subsampleTimesteps' per-step lists). */
function byPath(picks: number[][], paths: number): number[][] {
  const out: number[][] = Array.from({ length: paths }, () => []);
  picks.forEach((list, k) => {
    for (const p of list) out[p]!.push(k);
  });
  return out;
}

describe('subsampleTimesteps (the AM code’s 60/40 timestep split, algorithms.md §4.5)', () => {
  it('picks perPath distinct interior indices per path (never 0 or K), ⌈perPath/2⌉ from the first 60% of 1 … K−1', () => {
    const steps = 20; // interior 1 … 19: the first 60% is 1 … 11 (round(0.6·19) = 11), the rest 12 … 19
    const paths = 50;
    for (const perPath of [1, 2, 3, 4, 7]) {
      const picks = subsampleTimesteps(steps, paths, perPath, new Rng(perPath));
      expect(picks).toHaveLength(steps + 1);
      expect(picks[0]).toEqual([]);
      expect(picks[steps]).toEqual([]);
      for (const list of picks) expect(new Set(list).size).toBe(list.length);
      for (const chosen of byPath(picks, paths)) {
        expect(chosen).toHaveLength(perPath);
        expect(new Set(chosen).size).toBe(perPath);
        const early = chosen.filter((k) => k <= 11).length;
        expect(early).toBe(perPath - Math.floor(perPath / 2));
        expect(chosen.length - early).toBe(Math.floor(perPath / 2));
        for (const k of chosen) {
          expect(k).toBeGreaterThanOrEqual(1);
          expect(k).toBeLessThanOrEqual(steps - 1);
        }
      }
    }
  });

  it('is uniform within each part: 2·10⁴ paths, 2 + 2 picks, per-index frequencies 2/11 and 2/8 (4 SE)', () => {
    const paths = 20_000;
    const picks = subsampleTimesteps(20, paths, 4, new Rng(5));
    for (let k = 1; k <= 19; k++) {
      const p = k <= 11 ? 2 / 11 : 2 / 8;
      const se = Math.sqrt(paths * p * (1 - p));
      expect(Math.abs(picks[k]!.length - paths * p)).toBeLessThan(4 * se);
    }
  });

  it('uses every interior step of every path when perPath ≥ K − 1, and is a function of the generator', () => {
    for (const perPath of [7, 8, 100]) {
      const picks = subsampleTimesteps(8, 3, perPath, new Rng(1));
      expect(picks).toEqual([
        [],
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
        [],
      ]);
    }
    // K = 2: one interior step, which is "early".
    expect(subsampleTimesteps(2, 2, 1, new Rng(1))).toEqual([[], [0, 1], []]);
    expect(subsampleTimesteps(30, 10, 4, new Rng(9))).toEqual(subsampleTimesteps(30, 10, 4, new Rng(9)));
    expect(subsampleTimesteps(30, 10, 4, new Rng(9))).not.toEqual(subsampleTimesteps(30, 10, 4, new Rng(10)));
  });

  it('input errors name the argument', () => {
    expect(() => subsampleTimesteps(1, 4, 2, new Rng(1))).toThrow(
      /subsampleTimesteps: steps must be an integer ≥ 2, got 1/,
    );
    expect(() => subsampleTimesteps(2.5, 4, 2, new Rng(1))).toThrow(/steps must be an integer ≥ 2, got 2.5/);
    expect(() => subsampleTimesteps(10, 4, 0, new Rng(1))).toThrow(
      /subsampleTimesteps: perPath must be a positive integer, got 0/,
    );
  });
});

describe('adjointMatchingRows: target v_base − ((1−t)/t)·ã, weight 2t/(1−t) (algorithms.md §4.3)', () => {
  it('T12: with λ = 0 the terminal adjoint is 0, so every discrete adjoint is 0 and the targets are v_base exactly (loss 0 at v_θ = v_base)', () => {
    const vBase = gaussianFlowVelocity({ mean: [0.7, -0.3], std: 0.5 });
    const n = 64;
    const times = uniformGrid(0, 1, 10);
    const rng = new Rng(3);
    const x0 = tf.tensor2d(rng.normalFloat32(2 * n), [n, 2]);
    // Any process will do; here a velocity that is not the base one.
    const states = sampleMemorylessFlow({
      velocity: gaussianFlowVelocity({ mean: 0, std: 2 }),
      x0,
      times,
      rng: rng.fork('noise'),
    });
    const reward = gaussianTiltReward({ a: 2, c: [1, 0] });
    const gradient = reward.gradient(states[10]!);
    const terminal = tf.mul(gradient, -0) as tf.Tensor2D;
    const { adjoints } = discreteAdjoint({
      step: memorylessFlowStep(vBase),
      path: { times, states },
      terminal,
    });
    for (const a of adjoints) for (const v of a.dataSync()) expect(v === 0).toBe(true); // ±0
    const picks = subsampleTimesteps(10, n, 4, rng.fork('times'));
    const rows = adjointMatchingRows({ states, times, adjoints, baseVelocity: vBase, picks });
    expect(rows.t).toHaveLength(4 * n);
    const b = rows.t.length;
    const x = tf.tensor2d(rows.x, [b, 2]);
    let r = 0;
    for (let k = 0; k < times.length; k++) {
      const count = picks[k]!.length;
      if (count === 0) continue;
      const t = times[k]!;
      const xk = tf.slice(x, [r, 0], [count, 2]);
      const v = vBase(xk, t);
      // Exactly v_base at the rows' own inputs: zero residual, so zero loss whatever the weights.
      expect(Array.from(rows.target.subarray(2 * r, 2 * (r + count)))).toEqual(Array.from(v.dataSync()));
      for (let i = r; i < r + count; i++) {
        expect(rows.t[i]).toBe(Math.fround(t));
        expect(rows.weight![i]).toBeCloseTo((2 * t) / (1 - t), 5);
      }
      // the rows of step k are the picked paths' states, in the order picks lists them
      const gathered = tf.gather(states[k]!, tf.tensor1d(picks[k]!, 'int32'));
      expect(Array.from(xk.dataSync())).toEqual(Array.from(gathered.dataSync()));
      tf.dispose([xk, v, gathered]);
      r += count;
    }
    expect(r).toBe(b);
    tf.dispose([x0, x, gradient, terminal, ...states, ...adjoints]);
  });

  it('T13: along the OPTIMAL process the rows regress to the tilted law’s FM velocity v* (AM’s u* = 2(v* − v_base)/σ) — 10⁵ paths, 100 steps', () => {
    // Base N(0.7, 0.5²), r = −(a/2)(x − c)², a = 2, c = −1, λ = 1.5 ⇒ p* = N(−0.2/7, 1/7) (T12).
    const [m, s, a, c, lambda] = [0.7, 0.5, 2, -1, 1.5];
    const tilt = gaussianTilt({ mean: m, variance: s * s, a, c, lambda });
    const [mStar, sStar] = [tilt.mean[0]!, Math.sqrt(tilt.variance[0]!)];
    const vBase = gaussianFlowVelocity({ mean: m, std: s });
    const vStar = gaussianFlowVelocity({ mean: mStar, std: sStar });
    const K = 100;
    const k = 50; // t = 0.5
    const n = 100_000;
    const times = uniformGrid(0, 1, K);
    const t = times[k]!;
    expect(t).toBe(0.5);
    const rng = new Rng(2024);
    const x0 = tf.tensor2d(rng.normalFloat32(n), [n, 1]);
    const states = sampleMemorylessFlow({ velocity: vStar, x0, times, rng: rng.fork('noise') });
    const reward = gaussianTiltReward({ a, c });
    const terminal = tf.tidy(() => tf.mul(reward.gradient(states[K]!), -lambda) as tf.Tensor2D);
    // ã at t ≥ 0.5 depends only on the path from t on: sweep back over the grid's second half only.
    const late = { times: times.slice(k), states: states.slice(k) };
    const { adjoints } = discreteAdjoint({ step: memorylessFlowStep(vBase), path: late, terminal });
    const picks = late.times.map((_, j) => (j === 0 ? Array.from({ length: n }, (_, i) => i) : []));
    const rows = adjointMatchingRows({ ...late, adjoints, baseVelocity: vBase, picks });
    tf.dispose([x0, terminal, ...states, ...adjoints]);
    expect(rows.t.every((v) => v === 0.5)).toBe(true);
    expect(rows.weight!.every((w) => w === 2)).toBe(true); // 4/σ² = 2t/(1−t) at t = 0.5
    const fit = fitLine(rows.x, rows.target);

    // E[target | X_t = x] is linear for Gaussians. Its exact value for the discretisation with `steps`
    // steps (host, float64): the adjoint is ã_k = P·ã_K with P the product of the base steps' slopes, and
    // under the optimal chain E[X_K | X_k = x] = M·x + B; so E[target | x] = v_base − ((1−t)/t)·P·λa·(Mx + B − c).
    const gain = (std: number, u: number) => (u * std * std - (1 - u)) / (u * u * std * std + (1 - u) ** 2);
    const exactV = (mean: number, std: number, x: number) => mean + gain(std, t) * (x - t * mean);
    const discrete = (steps: number, x: number) => {
      let [P, M, B] = [1, 1, 0];
      for (let j = steps / 2; j < steps; j++) {
        const [tj, tNext] = [j / steps, (j + 1) / steps];
        const { phi, psi, gain: c0 } = memorylessStepCoefficients(tj, tNext);
        P *= phi + 2 * psi * (gain(s, tj) - c0);
        const aStar = phi + 2 * psi * (gain(sStar, tj) - c0);
        M *= aStar;
        B = aStar * B + 2 * psi * (1 - gain(sStar, tj) * tj) * mStar;
      }
      return exactV(m, s, x) - ((1 - t) / t) * P * lambda * a * (M * x + B - c);
    };

    for (const x of [0.3, -0.2]) {
      const got = fit.at(x);
      const want = exactV(mStar, sStar, x);
      // The discretisation bias of 100 steps, computed: 0.034 at x = 0.3, 0.025 at x = −0.2, and O(Δt)
      // (halved by 200 steps).
      const bias = discrete(K, x) - want;
      expect(Math.abs(bias)).toBeLessThan(0.04);
      expect(bias / (discrete(2 * K, x) - want)).toBeCloseTo(2, 1);
      // The MC standard error of the fitted value (10⁵ paths): ≈ 0.003.
      expect(got.se).toBeLessThan(0.005);
      // Sharp: the fit against the exact discrete expectation, 4 SE and no allowance …
      expect(Math.abs(got.value - discrete(K, x))).toBeLessThan(4 * got.se);
      // … and against v*, with the stated O(Δt) allowance.
      expect(Math.abs(got.value - want)).toBeLessThan(4 * got.se + 0.04);
      // v* is far from the base velocity: the check sees the control.
      expect(Math.abs(exactV(m, s, x) - want)).toBeGreaterThan(0.5);
    }
  });

  it('input errors name the argument', () => {
    const x = tf.zeros([2, 1]) as tf.Tensor2D;
    const v = gaussianFlowVelocity({ mean: 0, std: 1 });
    const times = [0, 0.5, 1];
    const base = { states: [x, x, x], times, adjoints: [x, x, x], baseVelocity: v };
    expect(() => adjointMatchingRows({ ...base, picks: [[0], [], []] })).toThrow(
      /adjointMatchingRows: picks\[0\] selects t = 0; only times in \(0, 1\) carry a loss/,
    );
    expect(() => adjointMatchingRows({ ...base, picks: [[], []] })).toThrow(
      /adjointMatchingRows: states, adjoints and picks must have one entry per time \(3\), got 3, 3 and 2/,
    );
    const wide = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => adjointMatchingRows({ ...base, adjoints: [x, wide, x], picks: [[], [1], []] })).toThrow(
      /adjointMatchingRows: adjoints\[1\] must have shape \[2, 1\], got \[2, 2\]/,
    );
    expect(() => adjointMatchingRows({ ...base, baseVelocity: null as never, picks: [[], [1], []] })).toThrow(
      /adjointMatchingRows: baseVelocity must be a function/,
    );
    tf.dispose([x, wide]);
  });
});
