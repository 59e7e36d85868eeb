import { initBackend, Matrix, Rng } from '@bridgekit/core';
import { mlp } from '@bridgekit/nn';
import { eulerOde, uniformGrid } from '@bridgekit/samplers';
import { brownianBridgeCoupling, linearSchedule, vpBridgeCoupling } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { asbmModel } from './asbm-method.js';
import { type AsbmSettings, asbmSession } from './asbm-session.js';
import { gaussianEnergy } from './energy.js';
import { estimateCoupling } from './estimate-coupling.js';
import { evaluateField } from './evaluate-field.js';
import { brownianReference, type ReferenceProcess, vpReference } from './reference-process.js';

beforeAll(async () => {
  await initBackend('wasm');
});

const BASE: AsbmSettings = {
  rounds: 1,
  correctorSteps: 100,
  adjointSteps: 300,
  bridgeSteps: 0,
  paths: 512,
  resampleEvery: 20,
  bufferSize: 4096,
  batch: 512,
  forwardSteps: 40,
  lr: 2e-3,
  weightDecay: 0,
  gradClip: 100,
  t0: 1e-3,
};

/** Gaussian data N(mean, L Lᵀ) as n rows. */
function gaussianData(n: number, mean: number[], chol: number[][], seed: number): Float32Array {
  const d = mean.length;
  const z = new Rng(seed).normal(n * d);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) {
      let v = mean[r]!;
      for (let c = 0; c <= r; c++) v += chol[r]![c]! * z[i * d + c]!;
      out[i * d + r] = v;
    }
  }
  return out;
}

/** The learned forward coupling's moments (see estimateCoupling), from 40 steps of the controlled SDE. */
function coupling(
  reference: ReferenceProcess,
  session: ReturnType<typeof asbmSession>,
  x0: Float32Array,
  dim: number,
) {
  const f = session.fields();
  return estimateCoupling({
    reference,
    control: (x, t) => evaluateField(f.graph, f.control, x, t),
    x0,
    dim,
    steps: 40,
    rng: new Rng(99),
  });
}

function train(session: ReturnType<typeof asbmSession>): void {
  for (let k = 0; k < session.totalSteps; k++) session.step(k);
}

describe('ASBS / ASBM stage 1 on Gaussian data with a quadratic energy', () => {
  it('recovers the closed-form Schrödinger-bridge coupling for a Brownian reference (T15: 0.556685)', () => {
    // data N(0, 1), prior N(0, 0.6²), reference 0.3·W: Cov(X₀, X₁) = ½(√(4·0.36 + 0.3⁴) − 0.09).
    const exact = brownianBridgeCoupling(
      { mean0: [0], cov0: Matrix.from([[1]]), mean1: [0], cov1: Matrix.from([[0.36]]) },
      0.09,
    ).data[0]!;
    expect(exact).toBeCloseTo(0.556685, 6);
    const reference = brownianReference({ sigma: 0.3 });
    const data = gaussianData(20_000, [0], [[1]], 1);
    const session = asbmSession({
      reference,
      energy: gaussianEnergy({ std: 0.6 }),
      source: data,
      dim: 1,
      graph: mlp({ inputDim: 1, outputDim: 1, hidden: [32, 32], activation: 'silu' }),
      settings: { ...BASE, rounds: 12 },
      seed: 0,
    });
    try {
      train(session);
      const { cross, mean1, cov1 } = coupling(reference, session, gaussianData(40_000, [0], [[1]], 2), 1);
      // The reference alone couples with Cov = 1 and X₁ ~ N(0, 1.09); IPF-style rounds move both.
      // Monte-Carlo SE of the covariance with the control variate ≈ 0.004 (n = 40 000).
      expect(Math.abs(cross.data[0]! - exact) / exact).toBeLessThan(0.08);
      expect(Math.abs(mean1[0]!)).toBeLessThan(0.05);
      expect(Math.abs(cov1.data[0]! - 0.36) / 0.36).toBeLessThan(0.12);
    } finally {
      session.dispose();
    }
  }, 120_000);

  it("gives an independent coupling under a memoryless reference (ASBM's Prop. 3.1)", () => {
    // VP with β ≡ 20: Φ(1, 0) = e^{−10}, so the bridge's coupling is ≈ 0 and X₁ must be the prior N(0, I).
    const reference = vpReference({ betaMin: 20, betaMax: 20 });
    const mean = [2, -1];
    const chol = [
      [1, 0],
      [0.6, 0.8],
    ];
    const session = asbmSession({
      reference,
      energy: gaussianEnergy(),
      source: gaussianData(20_000, mean, chol, 3),
      dim: 2,
      graph: mlp({ inputDim: 2, outputDim: 2, hidden: [32, 32], activation: 'silu' }),
      settings: { ...BASE, rounds: 2, forwardSteps: 20 },
      seed: 1,
    });
    try {
      train(session);
      const { cross, mean1, cov1 } = coupling(reference, session, gaussianData(40_000, mean, chol, 4), 2);
      const exact = vpBridgeCoupling(
        {
          mean0: mean,
          cov0: Matrix.from([
            [1, 0.6],
            [0.6, 1],
          ]),
          mean1: [0, 0],
          cov1: Matrix.scalar(2, 1),
        },
        linearSchedule({ betaMin: 20, betaMax: 20 }),
      );
      for (const v of exact.data) expect(Math.abs(v)).toBeLessThan(1e-3);
      for (const v of cross.data) expect(Math.abs(v)).toBeLessThan(0.03);
      for (const v of mean1) expect(Math.abs(v)).toBeLessThan(0.06);
      expect(Math.abs(cov1.data[0]! - 1)).toBeLessThan(0.1);
      expect(Math.abs(cov1.data[3]! - 1)).toBeLessThan(0.1);
      expect(Math.abs(cov1.data[1]!)).toBeLessThan(0.06);
    } finally {
      session.dispose();
    }
  }, 120_000);
});

describe('ASBM stage 2 on Gaussian data', () => {
  it("samples return the data law's mean and covariance (ODE, reverse SDE, and §7.3's two-field ODE)", async () => {
    const reference = vpReference({ betaMin: 0.1, betaMax: 4 });
    const mean = [-2, 1];
    const chol = [
      [1, 0],
      [0.5, 0.7],
    ];
    const session = asbmSession({
      reference,
      energy: gaussianEnergy(),
      source: gaussianData(20_000, mean, chol, 5),
      dim: 2,
      graph: mlp({ inputDim: 2, outputDim: 2, hidden: [64, 64], activation: 'silu' }),
      settings: { ...BASE, rounds: 3, bridgeSteps: 1500 },
      seed: 2,
    });
    try {
      train(session);
      const model = asbmModel(
        {
          method: 'asbm',
          dim: 2,
          normalization: { kind: 'none', mean: [0, 0], std: [1, 1] },
          reference: reference.config,
          prior: { kind: 'gaussian', std: 1 },
          graph: session.fields().graph,
          t0: 1e-3,
          plan: { rounds: 3, correctorSteps: 100, adjointSteps: 300, bridgeSteps: 1500 },
        },
        reference,
        session.fields(),
      );
      const cov = [1, 0.5, 0.5, 0.25 + 0.49];
      // §7.3's field (control − score) integrated by hand from the same prior draws as the 'ode' sampler.
      const stageFields = async () => {
        const x1 = gaussianEnergy().sample!(20_000, 2, new Rng(7).fork('prior'));
        const run = eulerOde(model.probabilityFlow('stage-fields'), x1, uniformGrid(1, 1e-3, 50));
        x1.dispose();
        const samples = Float32Array.from(run.x.dataSync());
        run.x.dispose();
        return { samples };
      };
      for (const solver of ['ode', 'sde', 'stage-fields'] as const) {
        const r =
          solver === 'stage-fields'
            ? await stageFields()
            : await model.sample({ n: 20_000, seed: 7, nfe: 50, solver });
        const m = [0, 0];
        const c = [0, 0, 0, 0];
        const n = 20_000;
        for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) m[k]! += r.samples[2 * i + k]! / n;
        for (let i = 0; i < n; i++) {
          for (let a = 0; a < 2; a++) {
            for (let b = 0; b < 2; b++) {
              c[2 * a + b]! += ((r.samples[2 * i + a]! - m[a]!) * (r.samples[2 * i + b]! - m[b]!)) / n;
            }
          }
        }
        for (let k = 0; k < 2; k++)
          expect(Math.abs(m[k]! - mean[k]!), `${solver} mean[${k}]`).toBeLessThan(0.1);
        for (let k = 0; k < 4; k++)
          expect(Math.abs(c[k]! - cov[k]!), `${solver} cov[${k}]`).toBeLessThan(0.12);
      }
    } finally {
      session.dispose();
    }
  }, 180_000);
});
