import { initBackend, inv, Matrix, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GaussianBridge } from './bridge.js';
import { brownianBridge } from './brownian-bridge.js';
import { brownianSde } from './brownian-sde.js';
import { cldSde } from './cld.js';
import { cosineSchedule } from './cosine-schedule.js';
import { geometricVeSde } from './geometric-ve-sde.js';
import { linearBridge } from './linear-bridge.js';
import { linearSchedule } from './linear-schedule.js';
import { LinearSde } from './linear-sde.js';
import { powerSchedule } from './power-schedule.js';
import type { LinearGaussianSde } from './sde.js';
import { veBridge } from './ve-bridge.js';
import { veSde } from './ve-sde.js';
import { vpBridge } from './vp-bridge.js';
import { vpSde } from './vp-sde.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const linear = linearSchedule({ betaMin: 0.1, betaMax: 20 });
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

const s = (m: Matrix) => m.get(0, 0);

describe('closed-form bridges', () => {
  it('§9 T7: VP bridge (β linear 0.1→20, σ = 1) at t = 0.37, x₀ = 1.3, x₁ = −0.4 has mean 0.6417631, var 0.7530953', () => {
    const m = vpBridge({ schedule: linear }).marginal(0.37);
    expect(Math.abs(s(m.coefX0) * 1.3 + s(m.coefX1) * -0.4 - 0.6417631)).toBeLessThan(1e-6);
    expect(Math.abs(s(m.cov) - 0.7530953)).toBeLessThan(1e-6);
    // The same through Gaussian conditioning on the VP SDE's own transitions (§1.3 "General").
    const g = linearBridge(vpSde({ schedule: linear })).marginal(0.37);
    expect(Math.abs(s(g.coefX0) * 1.3 + s(g.coefX1) * -0.4 - 0.6417631)).toBeLessThan(1e-6);
    expect(Math.abs(s(g.cov) - 0.7530953)).toBeLessThan(1e-6);
  });

  it('§9 T8: BM bridge has mean (1−t)x₀ + tx₁ and var σ²t(1−t)', () => {
    const bridge = brownianBridge({ sigma: 0.3 });
    for (const t of [0.1, 0.5, 0.83]) {
      const m = bridge.marginal(t);
      expect(s(m.coefX0)).toBeCloseTo(1 - t, 15);
      expect(s(m.coefX1)).toBeCloseTo(t, 15);
      expect(s(m.cov)).toBeCloseTo(0.09 * t * (1 - t), 15);
      expect(s(m.chol) ** 2).toBeCloseTo(s(m.cov), 15);
    }
  });

  it('§9 T8: VE bridge from x₀ = 0 (AS geometric VE) has mean (ν_t/ν₁)x₁ and var ν_t(ν₁ − ν_t)/ν₁', () => {
    const sde = geometricVeSde({ sigmaMin: 1e-3, sigmaMax: 1 });
    const nu = (t: number) => 1 - 1e-6 ** t; // σmax²(1 − (σmin/σmax)^{2t})
    const bridge = veBridge(sde);
    for (const t of [0.05, 0.4, 0.9]) {
      const m = bridge.marginal(t);
      expect(s(m.coefX1)).toBeCloseTo(nu(t) / nu(1), 13);
      expect(s(m.cov)).toBeCloseTo((nu(t) * (nu(1) - nu(t))) / nu(1), 13);
    }
  });

  const pairs: [string, GaussianBridge, LinearGaussianSde][] = [
    ['brownianBridge', brownianBridge({ sigma: 0.7 }), brownianSde({ sigma: 0.7 })],
    ['veBridge(brownianSde)', veBridge(brownianSde({ sigma: 0.7 })), brownianSde({ sigma: 0.7 })],
    [
      'veBridge(veSde)',
      veBridge(veSde({ sigmaMin: 0.01, sigmaMax: 5 })),
      veSde({ sigmaMin: 0.01, sigmaMax: 5 }),
    ],
    [
      'veBridge(geometricVeSde)',
      veBridge(geometricVeSde({ sigmaMin: 0.01, sigmaMax: 2 })),
      geometricVeSde({ sigmaMin: 0.01, sigmaMax: 2 }),
    ],
    ['vpBridge linear', vpBridge({ schedule: linear }), vpSde({ schedule: linear })],
    [
      'vpBridge power σ=2',
      vpBridge({ schedule: powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 }), sigma: 2 }),
      vpSde({ schedule: powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 }), sigma: 2 }),
    ],
    ['vpBridge cosine', vpBridge({ schedule: cosineSchedule() }), vpSde({ schedule: cosineSchedule() })],
  ];
  for (const [label, closed, sde] of pairs) {
    it(`${label} equals linearBridge of the matching SDE to 1e-10`, () => {
      const general = linearBridge(sde);
      for (const t of [0, 1e-4, 0.2, 0.5, 0.93, 1]) {
        const a = closed.marginal(t);
        const b = general.marginal(t);
        expect(Math.abs(s(a.coefX0) - s(b.coefX0))).toBeLessThan(1e-10);
        expect(Math.abs(s(a.coefX1) - s(b.coefX1))).toBeLessThan(1e-10);
        expect(Math.abs(s(a.cov) - s(b.cov))).toBeLessThan(1e-10 * Math.max(1, s(b.cov)));
      }
    });
  }
});

describe('bridges hit their endpoints', () => {
  const bridges: GaussianBridge[] = [
    brownianBridge({ sigma: 0.3 }),
    veBridge(veSde({ sigmaMin: 0.01, sigmaMax: 5 })),
    vpBridge({ schedule: linear }),
    linearBridge(vpSde({ schedule: linear })),
    linearBridge(coupled),
  ];
  for (const bridge of bridges) {
    it(`${bridge.name}: a = I, b = 0, V = 0 at t = 0; a = 0, b = I, V = 0 at t = 1; continuous near both`, () => {
      const n = bridge.blocks;
      const eye = Matrix.eye(n);
      const zero = Matrix.zeros(n);
      const start = bridge.marginal(0);
      const end = bridge.marginal(1);
      expect(start.coefX0.sub(eye).maxAbs()).toBeLessThan(1e-12);
      expect(start.coefX1.maxAbs()).toBeLessThan(1e-12);
      expect(start.cov.maxAbs()).toBeLessThan(1e-12);
      expect(end.coefX0.maxAbs()).toBeLessThan(1e-12);
      expect(end.coefX1.sub(eye).maxAbs()).toBeLessThan(1e-12);
      expect(end.cov.maxAbs()).toBeLessThan(1e-12);
      // "→ 0" relative to the bridge's own variance scale (VE with σmax = 5 peaks at V ≈ 6 near t = 0.9).
      let scale = 1;
      for (let k = 1; k < 100; k++) scale = Math.max(scale, bridge.marginal(k / 100).cov.maxAbs());
      for (const [t, target] of [
        [1e-6, start],
        [1 - 1e-6, end],
      ] as const) {
        const near = bridge.marginal(t);
        expect(near.coefX0.sub(target.coefX0).maxAbs()).toBeLessThan(1e-4);
        expect(near.coefX1.sub(target.coefX1).maxAbs()).toBeLessThan(1e-4);
        expect(near.cov.maxAbs()).toBeLessThan(1e-4 * scale);
        expect(near.cov.sub(zero).maxAbs()).toBeGreaterThan(0);
      }
    });
  }

  it('linearBridge integrates out a random initial velocity (CLD): V(0) keeps the velocity variance', () => {
    const bridge = linearBridge(cldSde());
    const start = bridge.marginal(0);
    expect(start.cov.get(0, 0)).toBeCloseTo(0, 14); // the position is given
    expect(start.cov.get(1, 1)).toBeGreaterThan(0); // the velocity is still random given x₁
    expect(start.cov.get(1, 1)).toBeLessThanOrEqual(0.04 * 0.25);
    expect(bridge.marginal(1).cov.maxAbs()).toBeLessThan(1e-12);
  });
});

describe('bridge sampling', () => {
  it('sample() draws (a ⊗ I)x₀ + (b ⊗ I)x₁ + (L ⊗ I)ε for a 2-block bridge', () => {
    const bridge = linearBridge(coupled);
    const t = 0.45;
    const { coefX0, coefX1, chol, cov } = bridge.marginal(t);
    expect(chol.mul(chol.transpose()).sub(cov).maxAbs()).toBeLessThan(1e-14);
    const rng = new Rng(5);
    const [x0h, x1h, eh] = [rng.normal(8), rng.normal(8), rng.normal(8)]; // B = 2, D = 4 = 2 blocks × 2
    const x0 = tf.tensor2d(Float32Array.from(x0h), [2, 4]);
    const x1 = tf.tensor2d(Float32Array.from(x1h), [2, 4]);
    const eps = tf.tensor2d(Float32Array.from(eh), [2, 4]);
    const got = bridge.sample(x0, x1, t, eps).dataSync();
    for (let b = 0; b < 2; b++)
      for (let i = 0; i < 2; i++)
        for (let j = 0; j < 2; j++) {
          let v = 0;
          for (let k = 0; k < 2; k++) {
            const at = b * 4 + k * 2 + j;
            v += coefX0.get(i, k) * x0h[at]! + coefX1.get(i, k) * x1h[at]! + chol.get(i, k) * eh[at]!;
          }
          expect(got[b * 4 + i * 2 + j]).toBeCloseTo(v, 5);
        }
    tf.dispose([x0, x1, eps]);
  });

  /**
   * Simulates x₀ ~ N(0.5, 1.5²), x_t | x₀ and x₁ | x_t by the exact transitions, regresses x_t on (x₀, x₁) by
   * least squares and checks the coefficients and the residual covariance against the bridge within 4 standard
   * errors. This checks the conditioning algebra independently of any closed form.
   */
  function regressionCheck(sde: LinearGaussianSde, bridge: GaussianBridge, t: number, seed: number): void {
    const n = sde.blocks;
    const samples = 100_000;
    const rng = new Rng(seed);
    const toT = sde.transition(0, t);
    const toOne = sde.transition(t, 1);
    const l0 = cholOf(toT.cov);
    const l1 = cholOf(toOne.cov);
    const p = 2 * n;
    const xtx = new Float64Array(p * p);
    const xty = new Float64Array(p * n);
    const rows: { reg: Float64Array; xt: Float64Array }[] = [];
    const z = rng.normal(samples * 3 * n);
    for (let r = 0; r < samples; r++) {
      const off = r * 3 * n;
      const x0 = Float64Array.from({ length: n }, (_, i) => 0.5 + 1.5 * z[off + i]!);
      const xt = new Float64Array(n);
      const x1 = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += toT.phi.get(i, k) * x0[k]! + l0.get(i, k) * z[off + n + k]!;
        xt[i] = v;
      }
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let k = 0; k < n; k++) v += toOne.phi.get(i, k) * xt[k]! + l1.get(i, k) * z[off + 2 * n + k]!;
        x1[i] = v;
      }
      const reg = new Float64Array([...x0, ...x1]);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) xtx[a * p + b]! += reg[a]! * reg[b]!;
        for (let i = 0; i < n; i++) xty[a * n + i]! += reg[a]! * xt[i]!;
      }
      rows.push({ reg, xt });
    }
    const gram = inv(new Matrix(p, p, xtx));
    const beta = gram.mul(new Matrix(p, n, xty)); // p×n: column i = coefficients of x_t block i
    const resid = Matrix.zeros(n);
    for (const { reg, xt } of rows) {
      const e = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let v = xt[i]!;
        for (let a = 0; a < p; a++) v -= beta.get(a, i) * reg[a]!;
        e[i] = v;
      }
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) resid.data[i * n + j]! += e[i]! * e[j]!;
    }
    const vHat = resid.scale(1 / (samples - p));
    const m = bridge.marginal(t);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        const seA = Math.sqrt(m.cov.get(i, i) * gram.get(k, k));
        const seB = Math.sqrt(m.cov.get(i, i) * gram.get(n + k, n + k));
        expect(Math.abs(beta.get(k, i) - m.coefX0.get(i, k))).toBeLessThan(4 * seA);
        expect(Math.abs(beta.get(n + k, i) - m.coefX1.get(i, k))).toBeLessThan(4 * seB);
      }
      for (let j = 0; j < n; j++) {
        const v = m.cov;
        const se = Math.sqrt((v.get(i, i) * v.get(j, j) + v.get(i, j) ** 2) / samples);
        expect(Math.abs(vHat.get(i, j) - v.get(i, j))).toBeLessThan(4 * se);
      }
    }
  }

  function cholOf(a: Matrix): Matrix {
    const n = a.rows;
    const l = Matrix.zeros(n);
    for (let j = 0; j < n; j++) {
      let d = a.get(j, j);
      for (let k = 0; k < j; k++) d -= l.get(j, k) ** 2;
      const root = Math.sqrt(Math.max(d, 0));
      l.data[j * n + j] = root;
      for (let i = j + 1; i < n; i++) {
        let v = a.get(i, j);
        for (let k = 0; k < j; k++) v -= l.get(i, k) * l.get(j, k);
        l.data[i * n + j] = root > 0 ? v / root : 0;
      }
    }
    return l;
  }

  it('MC: regressing x_t on (x₀, x₁) reproduces the VP bridge coefficients and variance (1e5 samples, 4 SE)', () => {
    const sde = vpSde({ schedule: linear });
    regressionCheck(sde, vpBridge({ schedule: linear }), 0.37, 101);
    regressionCheck(sde, vpBridge({ schedule: linear }), 0.08, 102);
  });

  it('MC: the same for the 2-block linearBridge of a coupled linear SDE (1e5 samples, 4 SE)', () => {
    regressionCheck(coupled, linearBridge(coupled), 0.6, 103);
  });
});

describe('bridge validation', () => {
  it('rejects SDEs and parameters that do not fit', () => {
    expect(() => veBridge(vpSde({ schedule: linear }))).toThrow(
      /veBridge: sde must be driftless .*use linearBridge/,
    );
    expect(() => veBridge(coupled)).toThrow(/veBridge: sde must be scalar \(blocks = 1\)/);
    expect(() => brownianBridge({ sigma: -1 })).toThrow(
      /brownianBridge: sigma must be a finite number > 0, got -1/,
    );
    expect(() => vpBridge({ schedule: linearSchedule({ betaMin: 0, betaMax: 0 }) })).toThrow(/∫₀¹β > 0/);
    expect(() => vpBridge({ schedule: linear }).marginal(1.5)).toThrow(
      /t must be a time in \[0, 1\], got 1.5/,
    );
  });
});
