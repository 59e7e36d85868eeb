import { Matrix, Rng } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { powerSchedule } from '@bridgekit/sde';
import { describe, expect, it } from 'vitest';
import { linearPolicyObjective, staticOptimalMatrix } from './forward-objective.js';
import { randomMatrix, randomStats } from './test-support.test-helper.js';
import { trajectoryStatistics } from './trajectory-statistics.js';

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const TIMES = [0.02, 0.25, 0.5, 0.75, 1];
const ZETA = 0.75;

describe('staticOptimalMatrix (T19: the static-A objective is quadratic, minimised in closed form)', () => {
  const stats = randomStats(new Rng(1), 3, TIMES);
  const objective = (a: Matrix) =>
    linearPolicyObjective({ matrices: TIMES.map(() => a), stats, schedule, zeta: ZETA });

  it('is a stationary point: Σ_k ∂L/∂Ã_k = 0 at A*', () => {
    const aStar = staticOptimalMatrix(stats, schedule, ZETA);
    const { grads } = objective(aStar);
    const total = grads.reduce((s, g) => s.add(g), Matrix.zeros(3));
    // The per-time gradients are O(1); only their sum vanishes.
    expect(Math.max(...grads.map((g) => g.maxAbs()))).toBeGreaterThan(0.1);
    expect(total.maxAbs()).toBeLessThan(1e-9);
    // …and it is not a stationary point of a different ζ.
    const other = linearPolicyObjective({ matrices: TIMES.map(() => aStar), stats, schedule, zeta: 1 });
    expect(other.grads.reduce((s, g) => s.add(g), Matrix.zeros(3)).maxAbs()).toBeGreaterThan(1e-3);
  });

  it('is the minimum: L(A* + E) − L(A*) = ½ Σ_k Δt β_k tr(E S_k Eᵀ) > 0', () => {
    const aStar = staticOptimalMatrix(stats, schedule, ZETA);
    const best = objective(aStar).loss;
    const rng = new Rng(2);
    for (const scale of [1e-3, 0.1, 2]) {
      const e = randomMatrix(rng, 3, 3, scale);
      let expected = 0;
      TIMES.forEach((t, k) => {
        expected += 0.5 * stats.dts[k]! * schedule.beta(t) * e.mul(stats.xx[k]!).mul(e.transpose()).trace();
      });
      const increase = objective(aStar.add(e)).loss - best;
      expect(increase).toBeGreaterThan(0);
      expect(Math.abs(increase - expected)).toBeLessThan(1e-9 * Math.max(1, Math.abs(best)));
    }
  });
});

describe('linearPolicyObjective gradients vs central finite differences', () => {
  it.each([
    ['Γ = I (VSDM)', 3, undefined],
    ['Γ zero on half the coordinates (VSMD)', 4, [0, 0, Math.SQRT2, Math.SQRT2]],
    ['a general diagonal Γ', 3, [0.5, 2, 0]],
  ] as const)('%s: every entry of every Ã_k', (_label, dim, noiseScale) => {
    const rng = new Rng(3);
    const stats = randomStats(rng, dim, TIMES);
    const matrices = TIMES.map(() => randomMatrix(rng, dim));
    const options = { stats, schedule, zeta: ZETA, ...(noiseScale === undefined ? {} : { noiseScale }) };
    const flat = new Float64Array(TIMES.length * dim * dim);
    matrices.forEach((m, k) => {
      flat.set(m.data, k * dim * dim);
    });
    const unflat = (x: Float64Array) =>
      TIMES.map(
        (_, k) => new Matrix(dim, dim, Float64Array.from(x.subarray(k * dim * dim, (k + 1) * dim * dim))),
      );
    const { grads } = linearPolicyObjective({ ...options, matrices });
    const analytic = new Float64Array(flat.length);
    grads.forEach((g, k) => {
      analytic.set(g.data, k * dim * dim);
    });
    const numeric = fdGradient(
      (x) => linearPolicyObjective({ ...options, matrices: unflat(x) }).loss,
      flat,
      1e-5,
    );
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-8);
    expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(0.1);
    if (noiseScale !== undefined) {
      // Rows of Ã on noise-free coordinates do not enter the objective.
      noiseScale.forEach((g, i) => {
        if (g !== 0) return;
        for (const m of grads) for (let j = 0; j < dim; j++) expect(m.get(i, j)).toBe(0);
      });
    }
  });
});

describe('the divergence term (T18)', () => {
  it('Hutchinson: E[εᵀMε] = tr(M) for Gaussian probes (10⁵ probes, within 4 SE)', () => {
    const rng = new Rng(5);
    const m = randomMatrix(rng, 3);
    const n = 100_000;
    const eps = rng.normal(3 * n);
    let sum = 0;
    let sumSq = 0;
    for (let p = 0; p < n; p++) {
      let q = 0;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) q += eps[3 * p + i]! * m.get(i, j) * eps[3 * p + j]!;
      sum += q;
      sumSq += q * q;
    }
    const mean = sum / n;
    // Var(εᵀMε) = 2‖sym(M)‖_F²; SE = √(Var/n) ≈ 0.005 here.
    const sym = m.add(m.transpose()).scale(0.5);
    const variance = 2 * sym.mul(sym).trace();
    const se = Math.sqrt(variance / n);
    expect(Math.abs((sumSq / n - mean * mean) / variance - 1)).toBeLessThan(0.05);
    expect(Math.abs(mean - m.trace())).toBeLessThan(4 * se);
  });

  it('with E[xxᵀ] = E[ẑxᵀ] = 0 the objective is exactly Σ_k Δt ζ β_k tr(Γ²Ã_k)', () => {
    const rng = new Rng(6);
    const dim = 4;
    const noiseScale = [0, 0.7, 1.3, 2];
    const stats = {
      times: Float64Array.from(TIMES),
      dts: Float64Array.from(TIMES, (_, k) => 0.1 + 0.05 * k),
      xx: TIMES.map(() => Matrix.zeros(dim)),
      zx: TIMES.map(() => Matrix.zeros(dim)),
    };
    const matrices = TIMES.map(() => randomMatrix(rng, dim));
    const { loss, grads } = linearPolicyObjective({ matrices, stats, schedule, zeta: ZETA, noiseScale });
    let expected = 0;
    TIMES.forEach((t, k) => {
      let tr = 0;
      for (let i = 0; i < dim; i++) tr += noiseScale[i]! ** 2 * matrices[k]!.get(i, i);
      expected += stats.dts[k]! * ZETA * schedule.beta(t) * tr;
    });
    expect(Math.abs(expected)).toBeGreaterThan(0.1);
    expect(Math.abs(loss - expected)).toBeLessThan(1e-12 * Math.abs(expected));
    // ∂/∂Ã_k = Δt ζ β_k Γ².
    TIMES.forEach((t, k) => {
      const g2 = Matrix.diag(noiseScale.map((g) => stats.dts[k]! * ZETA * schedule.beta(t) * g * g));
      expect(grads[k]!.sub(g2).maxAbs()).toBeLessThan(1e-12);
    });
  });

  it('equals the pathwise SB-FBSDE loss with Hutchinson divergence on simulated paths (10⁵ probes, 4 SE)', () => {
    // L = mean over paths of Σ_k Δt [½‖z_f‖² + z_f·ẑ + ζ εᵀ∇(√β Γ z_f) ε], z_f = √β Γ Ã_k x, evaluated
    // path by path (the divergence as a finite-difference directional derivative of the field).
    const rng = new Rng(7);
    const dim = 3;
    const paths = 20_000;
    const noiseScale = [0.6, 1, 1.5];
    const matrices = TIMES.map(() => randomMatrix(rng, dim, dim, 0.5));
    const xs = TIMES.map(() => rng.normalFloat32(paths * dim).map((v, i) => (1 + (i % dim)) * v));
    const zs = TIMES.map(() => rng.normalFloat32(paths * dim));
    const dts = TIMES.map(() => 0.2);
    const stats = trajectoryStatistics({ times: TIMES, dts, xs, zs, dim });
    const { loss } = linearPolicyObjective({ matrices, stats, schedule, zeta: ZETA, noiseScale });

    const zf = (a: Matrix, sb: number, x: ArrayLike<number>): number[] =>
      Array.from({ length: dim }, (_, i) => {
        let v = 0;
        for (let j = 0; j < dim; j++) v += a.get(i, j) * x[j]!;
        return sb * noiseScale[i]! * v;
      });
    let total = 0;
    let variance = 0;
    const probe = rng.normal(paths * TIMES.length * dim);
    TIMES.forEach((t, k) => {
      const sb = Math.sqrt(schedule.beta(t));
      const a = matrices[k]!;
      let divSum = 0;
      let divSq = 0;
      for (let p = 0; p < paths; p++) {
        const x = Array.from(xs[k]!.subarray(p * dim, (p + 1) * dim));
        const z = zs[k]!.subarray(p * dim, (p + 1) * dim);
        const f = zf(a, sb, x);
        let quad = 0;
        let cross = 0;
        for (let i = 0; i < dim; i++) {
          quad += 0.5 * f[i]! * f[i]!;
          cross += f[i]! * z[i]!;
        }
        // εᵀ J ε with J ε = (v(x + hε) − v(x − hε)) / 2h, v = √β Γ z_f.
        const e = probe.subarray((k * paths + p) * dim, (k * paths + p + 1) * dim);
        const h = 1e-3;
        const fp = zf(
          a,
          sb,
          x.map((xi, i) => xi + h * e[i]!),
        );
        const fm = zf(
          a,
          sb,
          x.map((xi, i) => xi - h * e[i]!),
        );
        let div = 0;
        for (let i = 0; i < dim; i++) div += (e[i]! * sb * noiseScale[i]! * (fp[i]! - fm[i]!)) / (2 * h);
        const weighted = dts[k]! * ZETA * div;
        total += dts[k]! * (quad + cross) + weighted;
        divSum += weighted;
        divSq += weighted * weighted;
      }
      variance += divSq / paths - (divSum / paths) ** 2;
    });
    const mc = total / paths;
    // The quadratic and cross terms are exact sample moments; only the divergence is Monte Carlo,
    // with independent probes per (path, time): SE² = Σ_k Var_k / paths (≈ 0.025 here, on a loss of ≈ 28).
    const se = Math.sqrt(variance / paths);
    expect(se).toBeGreaterThan(1e-3);
    expect(Math.abs(mc - loss)).toBeLessThan(4 * se);
  });
});
