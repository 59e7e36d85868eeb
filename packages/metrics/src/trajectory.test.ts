import { describe, expect, it } from 'vitest';
import { gaussianPoints, testRandom } from './assignment.test-helper.js';
import { normalizedPathEnergy, pathEnergy, straightness, type TrajectoryInput } from './trajectory.js';
import { w2Squared } from './w2.js';

/** Paths x(t) = path(p, t) for p = 0..n−1, recorded at the times `t`. */
function record(
  t: readonly number[],
  n: number,
  dim: number,
  path: (p: number, t: number) => readonly number[],
  Array32 = true,
): TrajectoryInput {
  const states = t.map((time) => {
    const state = Array32 ? new Float32Array(n * dim) : new Float64Array(n * dim);
    for (let p = 0; p < n; p++) state.set(path(p, time), p * dim);
    return state;
  });
  return { t, states };
}

const uniform = (steps: number, from = 0, to = 1): number[] =>
  Array.from({ length: steps + 1 }, (_, k) => from + ((to - from) * k) / steps);

describe('straightness (T21)', () => {
  it('is exactly 0 for straight constant-speed paths, on forward and backward grids', () => {
    // Dyadic data: every state and time is exact in float32, so S must be exactly 0.
    const t = uniform(8);
    const starts = [
      [0.25, -1.5],
      [3, 2],
      [-0.5, 0.125],
    ];
    const ends = [
      [1.25, 0.5],
      [-1, 2],
      [0.5, 0.125],
    ];
    const line = (p: number, time: number): number[] =>
      starts[p]!.map((s, c) => s + time * (ends[p]![c]! - s));
    expect(straightness(record(t, 3, 2, line), 2)).toBe(0);
    // The same paths sampled on a grid running from t = 1 to t = 0 (the sampler's direction).
    const backward = uniform(8, 1, 0);
    expect(straightness(record(backward, 3, 2, line), 2)).toBe(0);
    // Non-dyadic data: 0 to rounding.
    const random = testRandom(60);
    const a = gaussianPoints(random, 50, 3);
    const b = gaussianPoints(random, 50, 3);
    const straight = record(
      uniform(37),
      50,
      3,
      (p, time) => [0, 1, 2].map((c) => a[p * 3 + c]! * (1 - time) + b[p * 3 + c]! * time),
      false,
    );
    expect(straightness(straight, 3)).toBeLessThan(1e-24);
  });

  it('on a non-uniform grid is 0 only if the speed is constant in grid time', () => {
    const t = [0, 0.125, 0.5, 0.625, 1];
    const constantSpeed = record(t, 1, 1, (_, time) => [4 * time]);
    expect(straightness(constantSpeed, 1)).toBe(0);
    // Same straight segment traversed as x = 4t²: S = ∫(8t − 4)² dt on the piecewise-linear path.
    const accelerating = record(t, 1, 1, (_, time) => [4 * time * time]);
    let expected = 0;
    for (let k = 0; k < 4; k++) {
      const dt = t[k + 1]! - t[k]!;
      const velocity = (4 * t[k + 1]! ** 2 - 4 * t[k]! ** 2) / dt;
      expected += dt * (velocity - 4) ** 2;
    }
    expect(expected).toBeGreaterThan(0);
    expect(straightness(accelerating, 1)).toBeCloseTo(expected, 12);
  });

  it('matches the closed form for a uniform-speed circular arc', () => {
    // Arc of radius r and angle Θ in K equal steps on [0, 1]: each chord has length 2r sin(Θ/2K), so
    // S_K = Σ_k ‖Δx‖²/Δt − ‖x_K − x_0‖² = 4r²(K² sin²(Θ/2K) − sin²(Θ/2)) → r²Θ² − 4r² sin²(Θ/2).
    const r = 1.5;
    const theta = (2 * Math.PI) / 3;
    for (const K of [4, 16, 100]) {
      const arc = record(
        uniform(K),
        2,
        2,
        (p, time) => {
          const angle = theta * time + p; // two paths, rotated copies: same S
          return [r * Math.cos(angle), r * Math.sin(angle)];
        },
        false,
      );
      const exact = 4 * r * r * (K * K * Math.sin(theta / (2 * K)) ** 2 - Math.sin(theta / 2) ** 2);
      expect(straightness(arc, 2)).toBeCloseTo(exact, 11);
    }
    const continuum = r * r * theta * theta - 4 * r * r * Math.sin(theta / 2) ** 2;
    const fine = record(
      uniform(2000),
      1,
      2,
      (_, time) => [r * Math.cos(theta * time), r * Math.sin(theta * time)],
      false,
    );
    expect(straightness(fine, 2)).toBeCloseTo(continuum, 5);
  });

  it('is > 0 for a path with the right endpoints and a detour', () => {
    const t = uniform(4);
    const detour = record(t, 1, 2, (_, time) => [time, time === 0.5 ? 1 : 0], false);
    // Δx = (¼, 0), (¼, 1), (¼, −1), (¼, 0) with Δt = ¼ and mean velocity (1, 0): S = ¼·(16 + 16) = 8.
    expect(straightness(detour, 2)).toBeCloseTo(8, 14);
  });

  it('validates the trajectory', () => {
    expect(() => straightness({ t: [0], states: [new Float32Array(2)] }, 2)).toThrow(/at least 2 times/);
    expect(() =>
      straightness({ t: [0, 1, 2], states: [new Float32Array(2), new Float32Array(2)] }, 2),
    ).toThrow(/trajectory.t has 3 times but trajectory.states has 2/);
    expect(() => straightness({ t: [0, 1], states: [new Float32Array(2), new Float32Array(4)] }, 2)).toThrow(
      /states\[1\] has 2 points but trajectory.states\[0\] has 1/,
    );
    expect(() =>
      straightness(
        { t: [0, 0.5, 0.5], states: [new Float32Array(2), new Float32Array(2), new Float32Array(2)] },
        2,
      ),
    ).toThrow(/not strictly monotone at index 1/);
    expect(() =>
      straightness({ t: [0, 1], states: [Float32Array.of(0, Number.NaN), new Float32Array(2)] }, 2),
    ).toThrow(/trajectory.states\[0\] row 0 \(column 1\) is NaN/);
  });
});

describe('pathEnergy / normalizedPathEnergy', () => {
  it('path energy is ∫‖ẋ‖² of the piecewise-linear path', () => {
    const t = uniform(4);
    const detour = record(t, 1, 2, (_, time) => [time, time === 0.5 ? 1 : 0], false);
    // Σ ‖Δx‖²/Δt = 4·(1/16 + 17/16 + 17/16 + 1/16) = 9 = ∫‖v̄‖² (1) + S (8).
    expect(pathEnergy(detour, 2)).toBeCloseTo(9, 14);
  });

  it('NPE = 0 for straight constant-speed transport along an OT-optimal map', () => {
    // x ↦ A x with A symmetric positive definite is the gradient of a convex function, hence the
    // optimal map between the empirical law of x and its image (cyclical monotonicity).
    const random = testRandom(61);
    const n = 300;
    const x = gaussianPoints(random, n, 2);
    const A = [
      [2, 0.5],
      [0.5, 1],
    ];
    const y = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      y[2 * i] = A[0]![0]! * x[2 * i]! + A[0]![1]! * x[2 * i + 1]!;
      y[2 * i + 1] = A[1]![0]! * x[2 * i]! + A[1]![1]! * x[2 * i + 1]!;
    }
    const trajectory = record(
      uniform(10),
      n,
      2,
      (p, time) => [0, 1].map((c) => (1 - time) * x[2 * p + c]! + time * y[2 * p + c]!),
      false,
    );
    const w2sq = w2Squared(x, y, 2);
    expect(normalizedPathEnergy(trajectory, 2, w2sq)).toBeLessThan(1e-12);
    expect(straightness(trajectory, 2)).toBeLessThan(1e-20);
    // A curved path between the same end points costs more energy: NPE > 0.
    const curved = record(
      uniform(10),
      n,
      2,
      (p, time) =>
        [0, 1].map(
          (c) => (1 - time) * x[2 * p + c]! + time * y[2 * p + c]! + (c === 0 ? Math.sin(Math.PI * time) : 0),
        ),
      false,
    );
    expect(normalizedPathEnergy(curved, 2, w2sq)).toBeGreaterThan(0.01);
    expect(() => normalizedPathEnergy(trajectory, 2, 0)).toThrow(/w2sq must be a finite positive number/);
  });
});
