import { cholesky, initBackend, Matrix, solve, solveLyapunov, solveTriangular, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { constantSchedule } from './constant-schedule.js';
import { DEFAULT_STEPS_PER_UNIT_TIME, LinearSde } from './linear-sde.js';
import { odeTransition } from './lyapunov-ode.js';
import { powerSchedule } from './power-schedule.js';

// A smooth, non-commuting, time-varying 2×2 system with non-isotropic diagonal noise.
const fTv = (t: number) =>
  Matrix.from([
    [-1 + 0.5 * Math.sin(2 * t), 0.8 * t],
    [-0.6 * Math.cos(t), -0.4 - t * t],
  ]);
const gTv = (t: number) => Matrix.diag([1 + t, 0.5 + 0.5 * Math.cos(t)]);
const tvSde = new LinearSde({ name: 'tv', driftMatrix: fTv, diffusionCov: gTv });

const power = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const aT3 = Matrix.from([
  [0.3, 0.2],
  [-0.1, 0.1],
]);
const half2 = Matrix.scalar(2, 0.5);

/** RK4 for dã/dt = −F(t)ᵀã integrated backward from ã(t1) = a1 to t0. */
function adjointBackward(
  f: (t: number) => Matrix,
  a1: Matrix,
  t0: number,
  t1: number,
  steps: number,
): Matrix {
  const h = (t1 - t0) / steps;
  const rhs = (t: number, a: Matrix) => f(t).transpose().mul(a).scale(-1);
  let a = a1;
  for (let k = 0; k < steps; k++) {
    const t = t1 - k * h;
    // Integrate in reversed time u = −t: da/du = F(t)ᵀa.
    const k1 = rhs(t, a).scale(-1);
    const k2 = rhs(t - h / 2, a.add(k1.scale(h / 2))).scale(-1);
    const k3 = rhs(t - h / 2, a.add(k2.scale(h / 2))).scale(-1);
    const k4 = rhs(t - h, a.add(k3.scale(h))).scale(-1);
    a = a.add(
      k1
        .add(k2.scale(2))
        .add(k3.scale(2))
        .add(k4)
        .scale(h / 6),
    );
  }
  return a;
}

function maxDiff(a: Matrix, b: Matrix): number {
  return a.sub(b).maxAbs();
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('LinearSde drift and diffusion on tensors', () => {
  it('drift equals (F(t) ⊗ I_m)x computed on the host (n = 2, m = 3)', () => {
    const t = 0.7;
    const f = fTv(t);
    const n = 2;
    const m = 3;
    const rows = [
      [0.1, -0.4, 1.2, 0.5, -2, 0.3],
      [1, 2, 3, 4, 5, 6],
      [-0.7, 0.2, 0, 0.9, -1.1, 0.4],
      [0, 0, 0, 0, 0, 1],
    ];
    const out = tvSde.drift(tf.tensor2d(rows), t);
    expect(out.shape).toEqual([4, n * m]);
    const got = out.arraySync();
    for (let b = 0; b < rows.length; b++) {
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let want = 0;
          for (let k = 0; k < n; k++) want += f.get(i, k) * rows[b]![k * m + j]!;
          expect(got[b]![i * m + j]!).toBeCloseTo(want, 5);
        }
      }
    }
    out.dispose();
  });

  it('diffusion is a number for GGᵀ = c·I and a [1, n·m] tensor of block-wise √diag otherwise', () => {
    const iso = new LinearSde({ driftMatrix: fTv, diffusionCov: (t) => Matrix.scalar(2, 1 + t) });
    const x = tf.zeros([5, 6]) as tf.Tensor2D;
    expect(iso.diffusion(0.44, x)).toBeCloseTo(Math.sqrt(1.44), 12);
    const g = tvSde.diffusion(0.3, x);
    if (typeof g === 'number') throw new Error('expected a tensor');
    expect(g.shape).toEqual([1, 6]);
    const s0 = Math.sqrt(1.3);
    const s1 = Math.sqrt(0.5 + 0.5 * Math.cos(0.3));
    const got = Array.from(g.dataSync());
    const want = [s0, s0, s0, s1, s1, s1];
    for (let k = 0; k < 6; k++) expect(got[k]!).toBeCloseTo(want[k]!, 6);
    expect(() => tvSde.diffusion(0.3, tf.zeros([2, 5]) as tf.Tensor2D)).toThrow(
      /x has 5 columns, which is not a multiple of the number of blocks 2/,
    );
    g.dispose();
    x.dispose();
  });
});

describe('LinearSde transitions', () => {
  it('auto = time-change when given (exact single exponential), else van-loan', () => {
    const sde = new LinearSde({ timeChange: { schedule: power, f0: aT3.sub(half2), q0: Matrix.eye(2) } });
    expect(sde.kernelMethod).toBe('time-change');
    expect(tvSde.kernelMethod).toBe('van-loan');
    const ode = sde.transition(0.2, 0.9, { method: 'ode', steps: 2000 });
    const exact = sde.transition(0.2, 0.9);
    expect(maxDiff(exact.cov, ode.cov)).toBeLessThan(1e-10);
    expect(maxDiff(exact.phi, ode.phi)).toBeLessThan(1e-10);
  });

  it('the default Van Loan step count is accurate to < 1e-4 on the stiff T4 case, with O(h²) error', () => {
    // §9 T4's drift β(t)(e^{sin 3t}A − ½I) under the power schedule (β up to 10) is the stiffest,
    // fastest-varying case in the spec; the default 256 steps per unit time must resolve it.
    const f = (t: number) =>
      aT3
        .scale(Math.exp(Math.sin(3 * t)))
        .sub(half2)
        .scale(power.beta(t));
    const g = (t: number) => Matrix.eye(2).scale(power.beta(t));
    const sde = new LinearSde({ driftMatrix: f, diffusionCov: g });
    const ref = odeTransition(f, g, 0, 1, 8000);
    const errDefault = maxDiff(sde.transition(0, 1).cov, ref.cov);
    const errHalf = maxDiff(sde.transition(0, 1, { steps: DEFAULT_STEPS_PER_UNIT_TIME / 2 }).cov, ref.cov);
    expect(errDefault).toBeLessThan(1e-4);
    expect(errDefault / ref.cov.maxAbs()).toBeLessThan(3e-5);
    expect(errHalf / errDefault).toBeGreaterThan(3.6);
    expect(errHalf / errDefault).toBeLessThan(4.4);
  });

  it('semigroup: Φ(t,s)Φ(s,r) = Φ(t,r) and Q(t,r) = Φ(t,s)Q(s,r)Φ(t,s)ᵀ + Q(t,s)', () => {
    const exact = new LinearSde({
      timeChange: { schedule: power, f0: aT3.sub(half2), q0: Matrix.diag([1, 0.3]) },
    });
    const [r, s, t] = [0.1, 0.45, 0.95];
    const rs = exact.transition(r, s);
    const st = exact.transition(s, t);
    const rt = exact.transition(r, t);
    expect(maxDiff(st.phi.mul(rs.phi), rt.phi)).toBeLessThan(1e-12);
    expect(maxDiff(st.phi.mul(rs.cov).mul(st.phi.transpose()).add(st.cov), rt.cov)).toBeLessThan(1e-12);
    // Van Loan: exact composition when both halves share the whole interval's grid, and within the
    // O(h²) discretization error with the default (grid-independent) step counts.
    const a = tvSde.transition(0, 0.5, { steps: 100 });
    const b = tvSde.transition(0.5, 1, { steps: 100 });
    const whole = tvSde.transition(0, 1, { steps: 200 });
    expect(maxDiff(b.phi.mul(a.phi), whole.phi)).toBeLessThan(1e-13);
    expect(maxDiff(b.phi.mul(a.cov).mul(b.phi.transpose()).add(b.cov), whole.cov)).toBeLessThan(1e-13);
    const a2 = tvSde.transition(0, 0.37);
    const b2 = tvSde.transition(0.37, 1);
    const w2 = tvSde.transition(0, 1);
    expect(maxDiff(b2.phi.mul(a2.phi), w2.phi)).toBeLessThan(1e-5);
    expect(maxDiff(b2.phi.mul(a2.cov).mul(b2.phi.transpose()).add(b2.cov), w2.cov)).toBeLessThan(1e-5);
  });

  it('returns Φ = I, Q = 0 for s = t', () => {
    for (const sde of [
      tvSde,
      new LinearSde({ timeChange: { schedule: power, f0: aT3, q0: Matrix.eye(2) } }),
    ]) {
      const { phi, cov } = sde.transition(0.4, 0.4);
      expect(maxDiff(phi, Matrix.eye(2))).toBe(0);
      expect(cov.maxAbs()).toBe(0);
    }
  });

  it('T5: β constant, D symmetric ≻ 0 ⇒ Σ_∞ = D⁻¹ (long horizon and solveLyapunov)', () => {
    const d = Matrix.from([
      [1.5, 0.4],
      [0.4, 0.8],
    ]);
    const dInv = solve(d, Matrix.eye(2));
    // β ≡ 60 on [0, 1]: B(1) = 60, e^{−½λ_min B} ≈ 1e−8, so Φ D⁻¹ Φᵀ ≈ 1e−16.
    const sde = new LinearSde({
      timeChange: { schedule: constantSchedule(60), f0: d.scale(-0.5), q0: Matrix.eye(2) },
    });
    expect(maxDiff(sde.transition(0, 1).cov, dInv)).toBeLessThan(1e-12);
    expect(maxDiff(solveLyapunov(d.scale(-0.5), Matrix.eye(2)), dInv)).toBeLessThan(1e-13);
  });
});

describe('T6: conditional score −Σ⁻¹(x − μ) = −L^{−T}ε for x = μ + Lε', () => {
  const cases: [string, LinearSde, Matrix, number][] = [
    [
      '2×2 (T3 VSDM kernel)',
      new LinearSde({ timeChange: { schedule: power, f0: aT3.sub(half2), q0: Matrix.eye(2) } }),
      Matrix.from([[1.3], [-0.4]]),
      0.5,
    ],
    [
      '4×4 (time-varying kernel)',
      new LinearSde({
        driftMatrix: (t) =>
          Matrix.from([
            [-0.5, 0.2 * t, 0.1, 0],
            [0.3, -0.8, 0, 0.2],
            [0, 0.4, -0.3 - t, 0.1],
            [-0.2, 0, 0.5, -1],
          ]),
        diffusionCov: (t) => Matrix.diag([1, 0.5 + t, 2, 0.7]),
      }),
      Matrix.from([[0.5], [-1], [2], [0.1]]),
      0.8,
    ],
  ];
  for (const [label, sde, x0, t] of cases) {
    it(label, () => {
      const { phi, cov } = sde.transition(0, t);
      const mu = phi.mul(x0);
      const l = cholesky(cov);
      const n = cov.rows;
      const eps = Matrix.from(Array.from({ length: n }, (_, i) => [Math.sin(1.7 * i + 0.3) * 1.4]));
      const x = mu.add(l.mul(eps));
      const viaSigma = solve(cov, x.sub(mu)).scale(-1);
      const viaL = solveTriangular(l, eps, { lower: true, transpose: true }).scale(-1);
      expect(maxDiff(viaSigma, viaL)).toBeLessThan(1e-10);
    });
  }
});

describe('T9: the lean adjoint ã(t) = Φ(1,t)ᵀã₁', () => {
  const a1 = Matrix.from([[0.8], [-1.3]]);

  it('time-varying F(t): backward RK4 of dã/dt = −F(t)ᵀã equals Φ(1,t)ᵀã₁ to 1e-8', () => {
    for (const t of [0, 0.35, 0.8]) {
      const adjoint = adjointBackward(fTv, a1, t, 1, 1000);
      const viaOde = tvSde.transition(t, 1, { method: 'ode', steps: 1000 }).phi.transpose().mul(a1);
      const viaVanLoan = tvSde.transition(t, 1, { steps: 4000 }).phi.transpose().mul(a1);
      expect(maxDiff(adjoint, viaOde)).toBeLessThan(1e-8);
      expect(maxDiff(adjoint, viaVanLoan)).toBeLessThan(1e-8);
    }
  });

  it('VP: ã(t) = e^{−½∫ₜ¹β}ã₁', () => {
    const vp = new LinearSde({
      timeChange: { schedule: power, f0: Matrix.from([[-0.5]]), q0: Matrix.from([[1]]) },
    });
    // n = 1 block: the same scalar Φ acts on every coordinate of ã.
    const scalarA1 = Matrix.from([[-2.1]]);
    for (const t of [0.2, 0.6]) {
      const adjoint = adjointBackward((u) => vp.driftMatrix(u), scalarA1, t, 1, 2000);
      const closed = Math.exp(-0.5 * (power.integral(1) - power.integral(t))) * -2.1;
      expect(adjoint.get(0, 0)).toBeCloseTo(closed, 10);
      expect(vp.transition(t, 1).phi.get(0, 0) * -2.1).toBeCloseTo(closed, 12);
    }
  });

  it('no drift: ã is constant', () => {
    const bm = new LinearSde({ driftMatrix: () => Matrix.zeros(2), diffusionCov: () => Matrix.eye(2) });
    const { phi } = bm.transition(0.3, 1);
    expect(maxDiff(phi.transpose().mul(a1), a1)).toBe(0);
    expect(
      maxDiff(
        adjointBackward(() => Matrix.zeros(2), a1, 0.3, 1, 10),
        a1,
      ),
    ).toBe(0);
  });
});

describe('LinearSde validation', () => {
  it('names the argument, the bad value and what is valid', () => {
    expect(
      () => new LinearSde({ driftMatrix: () => new Matrix(2, 3), diffusionCov: () => Matrix.eye(2) }),
    ).toThrow(/LinearSde: driftMatrix\(0\) must be a square matrix, got 2×3/);
    expect(
      () =>
        new LinearSde({
          driftMatrix: () => Matrix.eye(2),
          diffusionCov: () =>
            Matrix.from([
              [1, 0.2],
              [0.2, 1],
            ]),
        }),
    ).toThrow(/diffusionCov\(0\) must be diagonal .* entry \(0, 1\) = 0.2/);
    expect(
      () => new LinearSde({ driftMatrix: () => Matrix.eye(2), diffusionCov: () => Matrix.diag([1, -1]) }),
    ).toThrow(/diffusionCov\(0\) must have a non-negative diagonal, got entry \(1, 1\) = -1/);
    expect(
      () => new LinearSde({ timeChange: { schedule: power, f0: Matrix.eye(2), q0: Matrix.eye(3) } }),
    ).toThrow(/timeChange.q0 must be 2×2/);
    expect(
      () =>
        new LinearSde({
          driftMatrix: fTv,
          diffusionCov: gTv,
          initialCov: Matrix.from([
            [1, 0.5],
            [0, 1],
          ]),
        }),
    ).toThrow(/initialCov must be symmetric/);
    expect(() => tvSde.transition(0.8, 0.2)).toThrow(
      /LinearSde.transition: s must be ≤ t .* s = 0.8 > t = 0.2/,
    );
    expect(() => tvSde.transition(0, 1, { method: 'time-change' })).toThrow(
      /'time-change' needs an SDE built with a timeChange/,
    );
    expect(() => tvSde.transition(0, 1, { steps: 0 })).toThrow(
      /options.steps must be a positive integer, got 0/,
    );
    // A drift function whose size changes later is caught at the call, not as NaN.
    const shifty = new LinearSde({
      driftMatrix: (t) => (t < 0.5 ? Matrix.eye(2) : Matrix.eye(3)),
      diffusionCov: () => Matrix.eye(2),
    });
    expect(() => shifty.driftMatrix(0.9)).toThrow(
      /driftMatrix\(0.9\) must be 2×2 to match the 2 blocks, got 3×3/,
    );
  });

  it('initialCov defaults to zero and is kept when given', () => {
    expect(tvSde.initialCov().maxAbs()).toBe(0);
    const sde = new LinearSde({ driftMatrix: fTv, diffusionCov: gTv, initialCov: Matrix.diag([0, 0.01]) });
    expect(maxDiff(sde.initialCov(), Matrix.diag([0, 0.01]))).toBe(0);
  });
});
