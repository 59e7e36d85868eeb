import { initBackend, Rng, tf } from '@bridgekit/core';
import { powerSchedule } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VariationalFamily } from './family.js';
import { type ForwardPolicy, forwardPolicyConfig, initForwardPolicy } from './forward-policy.js';
import { gridKernels } from './grid-kernels.js';
import { backwardPolicy, checkTrailingNoise, kernelLookup } from './parameterization.js';
import { randomParams } from './test-support.test-helper.js';
import { vsdmFamily } from './vsdm-family.js';
import { type MomentumPolicy, momentumPolicyConfig, vsmdFamily } from './vsmd-family.js';

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });

beforeAll(async () => {
  await initBackend('cpu');
});

function vsdmCase(): { family: VariationalFamily<ForwardPolicy>; policy: ForwardPolicy } {
  const config = forwardPolicyConfig({ dim: 2, timeVarying: true, embedDim: 8, hidden: 4 });
  const init = initForwardPolicy(config, new Rng(0));
  const params = randomParams(new Rng(1), init.params, { u: 0.5, v: 0.5, s: 0.5, 'time.w2': 0.3 });
  return { family: vsdmFamily(schedule, 2), policy: { config, params } };
}

function vsmdCase(): { family: VariationalFamily<MomentumPolicy>; policy: MomentumPolicy } {
  const config = momentumPolicyConfig({ dim: 2, dampingRatio: 0.8 });
  const params = randomParams(
    new Rng(2),
    { u: new Float64Array(4), kappa: new Float64Array(2) },
    { u: 0.5, kappa: 0.5 },
  );
  return { family: vsmdFamily(schedule, config), policy: { config, params } };
}

/**
 * With the network output set to the noisy block of the true ε, the 'noise' parameterisation must
 * give the closed-form 'score' target √β Γ_n (−(L^{−T}ε)_n − (Ã z)_n) for the full ε (D values):
 * L^{−T} is upper triangular and the noisy coordinates are the trailing block.
 */
function checkNoiseClosedForm<P>(family: VariationalFamily<P>, policy: P): void {
  const D = family.stateDim;
  const n = family.noisy.length;
  const rows = 6;
  const rng = new Rng(3);
  for (const t of [0.01, 0.37, 1]) {
    const lit = gridKernels(family.forwardSde(policy), [t]).cholInvT[0]!;
    const a = family.matrixAt(policy, t);
    const sb = Math.sqrt(schedule.beta(t));
    const eps = rng.normal(rows * D);
    const z = rng.normalFloat32(rows * D);
    const epsNoisy = new Float32Array(rows * n);
    for (let p = 0; p < rows; p++) {
      family.noisy.forEach((c, j) => {
        epsNoisy[p * n + j] = eps[p * D + c]!;
      });
    }
    const raw = (_z: tf.Tensor2D) => tf.tensor2d(epsNoisy, [rows, n]);
    const zhat = backwardPolicy(family, 'noise', raw, kernelLookup(family, policy));
    const zt = tf.tensor2d(z, [rows, D]);
    const out = zhat(zt, t);
    expect(out.shape).toEqual([rows, n]);
    const host = out.dataSync();
    for (let p = 0; p < rows; p++) {
      family.noisy.forEach((r, j) => {
        let score = 0;
        for (let c = 0; c < D; c++) score -= lit.get(r, c) * eps[p * D + c]! + a.get(r, c) * z[p * D + c]!;
        const expected = sb * family.noiseScale[r]! * score;
        expect(Math.abs(host[p * n + j]! - expected)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected)));
      });
    }
    tf.dispose([zt, out]);
  }
}

describe('backwardPolicy', () => {
  it("'score' returns the network output itself", () => {
    const { family, policy } = vsdmCase();
    const raw = (z: tf.Tensor2D) => tf.mul(z, 2) as tf.Tensor2D;
    expect(backwardPolicy(family, 'score', raw, kernelLookup(family, policy))).toBe(raw);
  });

  it("'noise' gives the closed-form target for VSDM (full L^{−T}, time-varying A)", () => {
    const { family, policy } = vsdmCase();
    checkNoiseClosedForm(family, policy);
  });

  it("'noise' gives the closed-form target for VSMD (velocity block only, learned K)", () => {
    const { family, policy } = vsmdCase();
    // L^{−T} is upper triangular: the velocity rows see no position noise, the position rows do see
    // velocity noise (so the closed form must not be applied to position coordinates).
    const lit = gridKernels(family.forwardSde(policy), [0.5]).cholInvT[0]!;
    for (let r = 2; r < 4; r++) for (let c = 0; c < 2; c++) expect(lit.get(r, c)).toBe(0);
    expect(Math.abs(lit.get(0, 2))).toBeGreaterThan(1e-3);
    checkNoiseClosedForm(family, policy);
  });

  it('kernelLookup caches per time and includes Cov(z₀)', () => {
    const { family, policy } = vsmdCase();
    const lookup = kernelLookup(family, policy);
    expect(lookup(0.3)).toBe(lookup(0.3));
    const lit = gridKernels(family.forwardSde(policy), [0.3]).cholInvT[0]!;
    expect(
      lookup(0.3)
        .cholInvTNoisy.sub(lit.block(2, 2, 2, 2))
        .maxAbs(),
    ).toBeLessThan(1e-12);
    expect(
      lookup(0.3)
        .matrixNoisy.sub(family.matrixAt(policy, 0.3).block(2, 0, 2, 4))
        .maxAbs(),
    ).toBe(0);
  });
});

describe('checkTrailingNoise', () => {
  it('returns the first noisy index and refuses noisy coordinates that are not the trailing block', () => {
    expect(checkTrailingNoise(vsdmCase().family)).toBe(0);
    expect(checkTrailingNoise(vsmdCase().family)).toBe(2);
    const { family } = vsmdCase();
    const leading = { ...family, noisy: [0, 1] };
    expect(() => checkTrailingNoise(leading)).toThrow(
      'vsmd: the noisy coordinates must be the last 2 of the state, got [0, 1]',
    );
  });
});
