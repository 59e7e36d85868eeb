import { initBackend, inv, Matrix, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cldSde } from './cld.js';
import { conditionalScore, scoreFromNoise } from './conditional-score.js';
import { constantSchedule } from './constant-schedule.js';
import { linearSchedule } from './linear-schedule.js';
import { LinearSde } from './linear-sde.js';
import { marginal } from './marginal.js';
import { perturb } from './perturb.js';
import { vpSde } from './vp-sde.js';

beforeAll(async () => {
  await initBackend('cpu');
});

/** A 2-block linear SDE with a full 2×2 drift, so Σ_t has off-diagonal blocks (T6 needs that). */
const coupled = new LinearSde({
  name: 'coupled-2x2',
  timeChange: {
    schedule: linearSchedule({ betaMin: 0.5, betaMax: 3 }),
    f0: Matrix.from([
      [-0.3, 1.2],
      [-0.8, -0.4],
    ]),
    q0: Matrix.diag([1, 0.1]),
  },
});

/** Host (float64) reference for (K ⊗ I_m) applied to the rows of an [B, n·m] array. */
function applyHost(k: Matrix, x: ArrayLike<number>, batch: number, m: number): Float64Array {
  const n = k.rows;
  const w = n * m;
  const out = new Float64Array(batch * w);
  for (let b = 0; b < batch; b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let l = 0; l < n; l++) s += k.get(i, l) * x[b * w + l * m + j]!;
        out[b * w + i * m + j] = s;
      }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * scale);
}

describe('marginal', () => {
  it('gives Φ(t,0), Σ_t = Q(t,0) and L with LLᵀ = Σ_t for a scalar SDE', () => {
    const sde = vpSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) });
    const m = marginal(sde, 0.3);
    const b = 0.1 * 0.3 + 19.9 * 0.045;
    expect(m.phi.get(0, 0)).toBeCloseTo(Math.exp(-b / 2), 14);
    expect(m.cov.get(0, 0)).toBeCloseTo(1 - Math.exp(-b), 14);
    expect(m.chol.get(0, 0) ** 2).toBeCloseTo(m.cov.get(0, 0), 14);
  });

  it('includes Φ·Σ₀·Φᵀ for a random initial block (CLD velocity) and factors it', () => {
    const sde = cldSde();
    const t = 0.4;
    const { phi, cov: q } = sde.transition(0, t);
    const m = marginal(sde, t);
    const expected = phi.mul(sde.initialCov()).mul(phi.transpose()).add(q);
    expect(m.cov.sub(expected).maxAbs()).toBeLessThan(1e-14);
    expect(m.chol.mul(m.chol.transpose()).sub(m.cov).maxAbs()).toBeLessThan(1e-14);
    // At t = 0 only the velocity is random: the factor has a zero column instead of throwing.
    const start = marginal(sde, 0);
    expect(start.chol.get(0, 0)).toBe(0);
    expect(start.chol.get(1, 1)).toBeCloseTo(Math.sqrt(0.04 * 0.25), 14);
  });

  it('is degenerate at t = 0 for a given x₀, and the conditional score says so', () => {
    const sde = vpSde({ schedule: constantSchedule(2) });
    expect(marginal(sde, 0).chol.get(0, 0)).toBe(0);
    const x = tf.ones([2, 3]) as tf.Tensor2D;
    expect(() => conditionalScore(sde, x, x, 0)).toThrow(/singular .* evaluate at t > 0/);
    x.dispose();
  });
});

describe('perturb and the conditional score', () => {
  const batch = 5;
  const m = 3; // 2 blocks × 3 coordinates
  const width = 2 * m;

  it('perturb gives x_t = (Φ ⊗ I)x₀ + (L ⊗ I)ε blockwise', () => {
    const rng = new Rng(11);
    const x0Host = rng.normal(batch * width);
    const epsHost = rng.normal(batch * width);
    const t = 0.6;
    const { phi, chol } = marginal(coupled, t);
    const mu = applyHost(phi, x0Host, batch, m);
    const noise = applyHost(chol, epsHost, batch, m);
    const expected = mu.map((v, i) => v + noise[i]!);
    const x0 = tf.tensor2d(Float32Array.from(x0Host), [batch, width]);
    const eps = tf.tensor2d(Float32Array.from(epsHost), [batch, width]);
    const xt = perturb(coupled, x0, t, eps);
    expectClose(xt.dataSync(), expected, 1e-6);
    tf.dispose([x0, eps, xt]);
    expect(tf.memory().numTensors).toBeLessThan(5);
  });

  it('§9 T6: −Σ⁻¹(x − μ) = −L^{−T}ε for x = μ + Lε, with a full 2×2 block covariance', () => {
    const rng = new Rng(12);
    const x0Host = rng.normal(batch * width);
    const epsHost = rng.normal(batch * width);
    for (const t of [0.05, 0.5, 1]) {
      const { phi, cov, chol } = marginal(coupled, t);
      // The blocks really are coupled (correlation well away from 0 once the drift has acted).
      if (t >= 0.5)
        expect(Math.abs(cov.get(0, 1)) / Math.sqrt(cov.get(0, 0) * cov.get(1, 1))).toBeGreaterThan(0.3);
      const mu = applyHost(phi, x0Host, batch, m);
      const noise = applyHost(chol, epsHost, batch, m);
      const xHost = mu.map((v, i) => v + noise[i]!);
      const expected = applyHost(inv(cov).scale(-1), noise, batch, m);
      const x0 = tf.tensor2d(Float32Array.from(x0Host), [batch, width]);
      const xt = tf.tensor2d(Float32Array.from(xHost), [batch, width]);
      const eps = tf.tensor2d(Float32Array.from(epsHost), [batch, width]);
      const fromState = conditionalScore(coupled, x0, xt, t);
      const fromNoise = scoreFromNoise(coupled, eps, t);
      // Float32 rounding of x_t − μ_t is amplified by ‖Σ⁻¹‖, largest at small t.
      const tol = 2e-6 * inv(cov).maxAbs();
      expectClose(fromState.dataSync(), expected, tol);
      expectClose(fromNoise.dataSync(), expected, 1e-6);
      tf.dispose([x0, xt, eps, fromState, fromNoise]);
    }
  });

  it('rejects mismatched shapes', () => {
    const a = tf.zeros([2, 4]) as tf.Tensor2D;
    const b = tf.zeros([3, 4]) as tf.Tensor2D;
    expect(() => perturb(coupled, a, 0.5, b)).toThrow(
      /perturb: x0 and eps must be \[B, D\] tensors of the same shape/,
    );
    expect(() => conditionalScore(coupled, a, b, 0.5)).toThrow(/conditionalScore: x0 and xt/);
    tf.dispose([a, b]);
  });
});
