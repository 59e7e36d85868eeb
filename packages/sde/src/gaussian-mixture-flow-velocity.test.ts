import { initBackend, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { gaussianFlowVelocity } from './gaussian-flow-velocity.js';
import type { GaussianMixture } from './gaussian-mixture.js';
import { gaussianMixtureFlowVelocity } from './gaussian-mixture-flow-velocity.js';
import type { State } from './sde.js';
import { adaptiveSimpson } from './test-support.test-helper.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** v(x, t) on the given rows, as a host array. */
function evaluate(v: (x: State, t: number) => State, rows: number[][], t: number): Float32Array {
  const x = tf.tensor2d(rows) as State;
  const y = v(x, t);
  const out = Float32Array.from(y.dataSync());
  tf.dispose([x, y]);
  return out;
}

const normalPdf = (z: number, variance: number) =>
  Math.exp((-0.5 * z * z) / variance) / Math.sqrt(2 * Math.PI * variance);

describe('gaussianMixtureFlowVelocity: E[X₁ − ε | X_t = x] for Gaussian-mixture data, x_t = tx₁ + (1−t)ε', () => {
  it('one isotropic component N(m, s²I) is gaussianFlowVelocity', () => {
    const mean = [0.7, -1, 2];
    const s = 0.6;
    const mixture: GaussianMixture = {
      weights: [3],
      means: [mean],
      covs: [
        [
          [s * s, 0, 0],
          [0, s * s, 0],
          [0, 0, s * s],
        ],
      ],
    };
    const v = gaussianMixtureFlowVelocity(mixture);
    const ref = gaussianFlowVelocity({ mean, std: s });
    const rows = [
      [0.3, 2, -1],
      [0, 0, 0],
      [-2.5, 1, 4],
    ];
    for (const t of [0, 0.2, 0.5, 0.9, 1]) {
      const got = evaluate(v, rows, t);
      const want = evaluate(ref, rows, t);
      got.forEach((g, i) => {
        expect(Math.abs(g - want[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]!)));
      });
    }
  });

  it('a 2-component 1-D mixture matches float64 quadrature of (E[X₁ | X_t = x] − x)/(1 − t)', () => {
    const w = [0.3, 0.7];
    const mu = [-1, 1.5];
    const c = [0.25, 0.6];
    const mixture: GaussianMixture = { weights: w, means: mu.map((m) => [m]), covs: c.map((v) => [[v]]) };
    const v = gaussianMixtureFlowVelocity(mixture);
    const density = (x1: number) =>
      w[0]! * normalPdf(x1 - mu[0]!, c[0]!) + w[1]! * normalPdf(x1 - mu[1]!, c[1]!);
    const cases: [number, number][] = [
      [0.3, 0.2],
      [-1.2, 0.5],
      [0.2, 0.6],
      [2, 0.8],
      [0.5, 0.95],
    ];
    for (const [x, t] of cases) {
      // p(x₁ | X_t = x) ∝ p(x₁)·N(x; t·x₁, (1−t)²)
      const weight = (x1: number) => density(x1) * normalPdf(x - t * x1, (1 - t) ** 2);
      const z = adaptiveSimpson(weight, -10, 10, 1e-12);
      const m1 = adaptiveSimpson((x1) => x1 * weight(x1), -10, 10, 1e-12) / z;
      const want = (m1 - x) / (1 - t);
      const got = evaluate(v, [[x]], t)[0]!;
      expect(Math.abs(got - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
    }
  });

  it('a 2-D single component with full covariance is the Gaussian-conditioning formula μ + Cov(X₁ − ε, X_t)·Var(X_t)⁻¹(x − tμ)', () => {
    const mu = [0.5, -1];
    const C = [
      [1, 0.6],
      [0.6, 0.5],
    ];
    const v = gaussianMixtureFlowVelocity({ weights: [1], means: [mu], covs: [C] });
    const rows = [
      [0.3, 0.4],
      [-2, 1.5],
    ];
    for (const t of [0, 0.25, 0.7, 1]) {
      // Cov(X₁ − ε, tX₁ + (1−t)ε) = tC − (1−t)I and Var(X_t) = t²C + (1−t)²I, inverted by hand.
      const K = [
        [t * C[0]![0]! - (1 - t), t * C[0]![1]!],
        [t * C[1]![0]!, t * C[1]![1]! - (1 - t)],
      ];
      const S = [
        [t * t * C[0]![0]! + (1 - t) ** 2, t * t * C[0]![1]!],
        [t * t * C[1]![0]!, t * t * C[1]![1]! + (1 - t) ** 2],
      ];
      const det = S[0]![0]! * S[1]![1]! - S[0]![1]! * S[1]![0]!;
      const Sinv = [
        [S[1]![1]! / det, -S[0]![1]! / det],
        [-S[1]![0]! / det, S[0]![0]! / det],
      ];
      const got = evaluate(v, rows, t);
      rows.forEach((x, r) => {
        const d = [x[0]! - t * mu[0]!, x[1]! - t * mu[1]!];
        const y = [Sinv[0]![0]! * d[0]! + Sinv[0]![1]! * d[1]!, Sinv[1]![0]! * d[0]! + Sinv[1]![1]! * d[1]!];
        for (let i = 0; i < 2; i++) {
          const want = mu[i]! + K[i]![0]! * y[0]! + K[i]![1]! * y[1]!;
          expect(Math.abs(got[2 * r + i]! - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
        }
      });
    }
  });

  it('a 2-D 2-component full-covariance mixture matches 2-D float64 quadrature of E[X₁ | X_t = x]', () => {
    const mixture: GaussianMixture = {
      weights: [0.4, 0.6],
      means: [
        [-1, 0.5],
        [1.2, -0.3],
      ],
      covs: [
        [
          [0.5, 0.2],
          [0.2, 0.3],
        ],
        [
          [0.3, -0.1],
          [-0.1, 0.6],
        ],
      ],
    };
    const v = gaussianMixtureFlowVelocity(mixture);
    const logPdf2 = (d0: number, d1: number, c: readonly (readonly number[])[]) => {
      const det = c[0]![0]! * c[1]![1]! - c[0]![1]! * c[1]![0]!;
      const q = (c[1]![1]! * d0 * d0 - 2 * c[0]![1]! * d0 * d1 + c[0]![0]! * d1 * d1) / det;
      return -0.5 * q - Math.log(2 * Math.PI) - 0.5 * Math.log(det);
    };
    const density = (a: number, b: number) =>
      mixture.weights.reduce(
        (sum, w, k) =>
          sum + w * Math.exp(logPdf2(a - mixture.means[k]![0]!, b - mixture.means[k]![1]!, mixture.covs[k]!)),
        0,
      );
    for (const [x, t] of [
      [[0.1, 0.2], 0.4],
      [[0.8, -0.5], 0.75],
    ] as [number[], number][]) {
      // tensor-product composite Simpson on [−6, 6]², 600 panels a side (h = 0.02)
      const n = 600;
      const h = 12 / n;
      const simpsonWeight = (i: number) => (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2);
      let z = 0;
      let m0 = 0;
      let m1 = 0;
      const s2 = (1 - t) ** 2;
      for (let i = 0; i <= n; i++) {
        const a = -6 + i * h;
        for (let j = 0; j <= n; j++) {
          const b = -6 + j * h;
          const like = Math.exp((-0.5 * ((x[0]! - t * a) ** 2 + (x[1]! - t * b) ** 2)) / s2);
          const p = simpsonWeight(i) * simpsonWeight(j) * density(a, b) * like;
          z += p;
          m0 += p * a;
          m1 += p * b;
        }
      }
      const got = evaluate(v, [x], t);
      const want = [(m0 / z - x[0]!) / (1 - t), (m1 / z - x[1]!) / (1 - t)];
      for (let i = 0; i < 2; i++) {
        expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]!)));
      }
    }
  });

  it('at t = 0 it is E[X₁] − x (X₀ is independent noise), and at t = 1 it is x', () => {
    const mixture: GaussianMixture = {
      weights: [1, 3],
      means: [
        [2, 0],
        [-1, 1],
      ],
      covs: [
        [
          [0.5, 0.1],
          [0.1, 0.2],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ],
    };
    const v = gaussianMixtureFlowVelocity(mixture);
    const rows = [
      [0, 0],
      [3, -2],
      [-0.5, 0.7],
    ];
    const mean = [0.25 * 2 + 0.75 * -1, 0.75];
    const at0 = evaluate(v, rows, 0);
    const at1 = evaluate(v, rows, 1);
    rows.forEach((x, r) => {
      for (let i = 0; i < 2; i++) {
        expect(at0[2 * r + i]).toBeCloseTo(mean[i]! - x[i]!, 5);
        expect(at1[2 * r + i]).toBeCloseTo(x[i]!, 5);
      }
    });
  });

  it('bad input errors name the argument', () => {
    const good: GaussianMixture = { weights: [1], means: [[0]], covs: [[[1]]] };
    expect(() => gaussianMixtureFlowVelocity({ weights: [], means: [], covs: [] })).toThrow(
      /gaussianMixtureFlowVelocity: mixture.weights must have at least one entry/,
    );
    expect(() => gaussianMixtureFlowVelocity({ ...good, weights: [-1] })).toThrow(
      /gaussianMixtureFlowVelocity: mixture.weights\[0\] must be a finite number > 0, got -1/,
    );
    expect(() => gaussianMixtureFlowVelocity({ ...good, covs: [[[-1]]] })).toThrow(
      /gaussianMixtureFlowVelocity: mixture.covs\[0\]/,
    );
    const v = gaussianMixtureFlowVelocity(good);
    const x = tf.zeros([2, 1]) as State;
    const wide = tf.zeros([2, 3]) as State;
    expect(() => v(x, 1.5)).toThrow(/gaussianMixtureFlowVelocity: t must be a time in \[0, 1\], got 1.5/);
    expect(() => v(x, Number.NaN)).toThrow(/t must be a time in \[0, 1\], got NaN/);
    expect(() => v(wide, 0.5)).toThrow(
      /gaussianMixtureFlowVelocity: x must be a \[B, 1\] tensor, got \[2, 3\]/,
    );
    // A singular (PSD) covariance is a valid mixture, but S = t²C + (1−t)²I is singular at t = 1.
    const singular = gaussianMixtureFlowVelocity({
      weights: [1, 1],
      means: [
        [0, 0],
        [1, 1],
      ],
      covs: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [1, 1],
          [1, 1],
        ],
      ],
    });
    const x2 = tf.zeros([1, 2]) as State;
    const ok = singular(x2, 0.5);
    expect(Number.isFinite(ok.dataSync()[0]!)).toBe(true);
    expect(() => singular(x2, 1)).toThrow(
      /gaussianMixtureFlowVelocity: S = t²C \+ \(1−t\)²I of component 1 is singular at t = 1/,
    );
    tf.dispose([x, wide, x2, ok]);
  });
});
