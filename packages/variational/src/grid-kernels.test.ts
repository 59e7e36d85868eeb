import { Matrix, Rng } from '@bridgekit/core';
import { cldSde, powerSchedule, variationalLinearSde } from '@bridgekit/sde';
import { describe, expect, it } from 'vitest';
import { gridKernels } from './grid-kernels.js';
import { maxDiff, randomMatrix } from './test-support.test-helper.js';

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const TIMES = [0.001, 0.2, 0.45, 0.7, 1];

describe('gridKernels', () => {
  it('composes to the one-shot transition from 0 and adds Φ Cov(X₀) Φᵀ', () => {
    const sde = cldSde({ schedule });
    const kernels = gridKernels(sde, TIMES);
    TIMES.forEach((t, k) => {
      const { phi, cov } = sde.transition(0, t);
      const full = cov.add(phi.mul(sde.initialCov()).mul(phi.transpose()));
      expect(maxDiff(kernels.mean[k]!, phi)).toBeLessThan(1e-12);
      expect(maxDiff(kernels.cov[k]!, full)).toBeLessThan(1e-12);
    });
    // γ₀ > 0 really enters (the velocity variance at t₀ is ≈ γ₀M = 0.01, not ≈ 0).
    expect(kernels.cov[0]!.get(1, 1)).toBeGreaterThan(0.009);
  });

  it('returns L with L Lᵀ = Σ (lower triangular) and L^{−T}, so −L^{−T}ε = −Σ⁻¹(x − μ) (T6)', () => {
    const a = randomMatrix(new Rng(1), 3, 3, 0.3);
    const kernels = gridKernels(variationalLinearSde({ schedule, a }), TIMES);
    const eps = new Rng(2).normal(3);
    TIMES.forEach((_, k) => {
      const l = kernels.chol[k]!;
      const s = kernels.cov[k]!;
      expect(maxDiff(l.mul(l.transpose()), s)).toBeLessThan(1e-12 * Math.max(1, s.maxAbs()));
      expect(l.get(0, 1)).toBe(0);
      expect(l.get(0, 2)).toBe(0);
      expect(l.get(1, 2)).toBe(0);
      expect(maxDiff(kernels.cholInvT[k]!.mul(l.transpose()), Matrix.eye(3))).toBeLessThan(1e-9);
      // x − μ = Lε: Σ⁻¹Lε = L^{−T}ε.
      const le = new Matrix(
        3,
        1,
        Float64Array.from(
          [0, 1, 2],
          (i) => l.get(i, 0) * eps[0]! + l.get(i, 1) * eps[1]! + l.get(i, 2) * eps[2]!,
        ),
      );
      const lhs = s.mul(kernels.cholInvT[k]!.mul(new Matrix(3, 1, Float64Array.from(eps))));
      expect(maxDiff(lhs, le)).toBeLessThan(1e-9);
    });
  });

  it('refuses an empty or non-increasing grid and times ≤ 0', () => {
    const sde = cldSde();
    expect(() => gridKernels(sde, [])).toThrow('gridKernels: times must hold at least one time');
    expect(() => gridKernels(sde, [0, 0.5])).toThrow(
      'gridKernels: times must increase strictly from above 0, got times[0] = 0 after 0',
    );
    expect(() => gridKernels(sde, [0.2, 0.2])).toThrow(/times\[1\] = 0.2 after 0.2/);
    expect(() => gridKernels(sde, [0.2, Number.NaN])).toThrow(/times\[1\] = NaN/);
  });
});
