import { det, Matrix, Rng } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { describe, expect, it } from 'vitest';
import {
  checkPolicyParams,
  clonePolicy,
  type ForwardPolicy,
  type ForwardPolicyConfig,
  forwardPolicyConfig,
  fullFactors,
  initForwardPolicy,
  policyGradient,
  policyMatrix,
  policyMatrixAt,
  policyShapes,
  timeFactor,
} from './forward-policy.js';
import { flattenParams, randomMatrix, randomParams, unflattenParams } from './test-support.test-helper.js';

const TIMES = [0.05, 0.3, 0.55, 0.8, 1];
// Small h network so the finite differences stay cheap; timeScale 100 as in the official code.
const small = (structure: 'full' | 'diagonal', timeVarying: boolean): ForwardPolicyConfig =>
  forwardPolicyConfig({ dim: 3, structure, timeVarying, embedDim: 8, hidden: 6 });

/** A policy with every parameter random and nonzero (A ≠ 0, c(t) ≠ 1). */
function randomPolicy(config: ForwardPolicyConfig, seed: number): ForwardPolicy {
  const rng = new Rng(seed);
  const init = initForwardPolicy(config, rng.fork('init'));
  const params = randomParams(rng.fork('params'), init.params, {
    u: 0.7,
    v: 0.7,
    'time.w1': 0.5,
    'time.b1': 0.5,
    'time.w2': 0.3,
  });
  return { config, params };
}

describe('forwardPolicyConfig', () => {
  it('fills in the official defaults', () => {
    expect(forwardPolicyConfig({ dim: 2 })).toEqual({
      dim: 2,
      structure: 'full',
      timeVarying: false,
      embedDim: 128,
      hidden: 64,
      timeScale: 100,
    });
  });

  it('rejects bad fields, naming them', () => {
    expect(() => forwardPolicyConfig({ dim: 0 })).toThrow(
      'forward policy: dim must be a positive integer, got 0',
    );
    expect(() => forwardPolicyConfig({ dim: 1.5 })).toThrow(/dim must be a positive integer, got 1.5/);
    expect(() => forwardPolicyConfig({ dim: 2, structure: 'lower' as 'full' })).toThrow(
      `structure must be 'full' or 'diagonal', got "lower"`,
    );
    expect(() => forwardPolicyConfig({ dim: 2, timeVarying: 'yes' as unknown as boolean })).toThrow(
      'timeVarying must be a boolean, got yes',
    );
    expect(() => forwardPolicyConfig({ dim: 2, embedDim: 7 })).toThrow(
      'embedDim must be an even integer ≥ 2, got 7',
    );
    expect(() => forwardPolicyConfig({ dim: 2, hidden: 0 })).toThrow(
      'hidden must be an even integer ≥ 2, got 0',
    );
    expect(() => forwardPolicyConfig({ dim: 2, timeScale: -1 })).toThrow(
      'timeScale must be a positive number, got -1',
    );
    expect(() => forwardPolicyConfig({ dim: 2, timeScale: Number.POSITIVE_INFINITY })).toThrow(/timeScale/);
  });
});

describe('initForwardPolicy', () => {
  it.each([
    ['full', false],
    ['full', true],
    ['diagonal', false],
    ['diagonal', true],
  ] as const)('%s (time-varying %s) starts at A = 0 and c(t) = 1', (structure, timeVarying) => {
    const config = forwardPolicyConfig({ dim: 3, structure, timeVarying });
    const policy = initForwardPolicy(config, new Rng(1));
    checkPolicyParams(config, policy.params, 'init');
    expect(policyMatrix(policy).maxAbs()).toBe(0);
    for (const t of [0, 0.2, 0.77, 1]) {
      expect(timeFactor(policy, t)).toBe(1);
      expect(policyMatrixAt(policy, t).maxAbs()).toBe(0);
    }
    if (structure === 'full') {
      const { u, v } = fullFactors(policy);
      expect(u.sub(Matrix.eye(3)).maxAbs()).toBe(0);
      expect(v.sub(Matrix.eye(3)).maxAbs()).toBe(0);
    }
    if (timeVarying) {
      // h's first layer is drawn (U(±1/√128)), its output layer is zero.
      const w1 = policy.params['time.w1']!;
      expect(w1.some((w) => w !== 0)).toBe(true);
      expect(Math.max(...w1.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(128));
      expect(policy.params['time.w2']!.every((w) => w === 0)).toBe(true);
    }
  });

  it('draws h from the rng: same seed same weights, other seed other weights', () => {
    const config = forwardPolicyConfig({ dim: 2, timeVarying: true });
    const a = initForwardPolicy(config, new Rng(4)).params['time.w1']!;
    expect(initForwardPolicy(config, new Rng(4)).params['time.w1']).toEqual(a);
    expect(initForwardPolicy(config, new Rng(5)).params['time.w1']).not.toEqual(a);
  });
});

describe('full structure A = U·diag(s)·Vᵀ', () => {
  it('has orthogonal U, V (det +1) for random generator parameters, so ‖A‖_F² = Σ s²', () => {
    const policy = randomPolicy(small('full', false), 11);
    const { u, v, s } = fullFactors(policy);
    for (const q of [u, v]) {
      expect(q.transpose().mul(q).sub(Matrix.eye(3)).maxAbs()).toBeLessThan(1e-13);
      expect(det(q)).toBeCloseTo(1, 12);
      // Far from the identity: the generators are not negligible.
      expect(q.sub(Matrix.eye(3)).maxAbs()).toBeGreaterThan(0.3);
    }
    const a = policyMatrix(policy);
    const frob = a.transpose().mul(a).trace();
    expect(frob).toBeCloseTo(
      s.reduce((acc, x) => acc + x * x, 0),
      12,
    );
    expect(a.sub(u.mul(Matrix.diag(s)).mul(v.transpose())).maxAbs()).toBe(0);
  });

  it('clonePolicy is a deep copy', () => {
    const policy = randomPolicy(small('full', true), 3);
    const copy = clonePolicy(policy);
    copy.params.s![0] = 42;
    expect(policy.params.s![0]).not.toBe(42);
    expect(copy.config).toBe(policy.config);
  });
});

describe('policyGradient vs central finite differences (float64)', () => {
  const cases = [
    ['full', false],
    ['full', true],
    ['diagonal', false],
    ['diagonal', true],
  ] as const;

  it.each(cases)('%s (time-varying %s): L = ⟨G, A⟩ + Σ_k g_k c(t_k)', (structure, timeVarying) => {
    const policy = randomPolicy(small(structure, timeVarying), 21);
    const rng = new Rng(22);
    const g = randomMatrix(rng, 3);
    const gc = rng.normal(TIMES.length);
    const loss = (flat: Float64Array): number => {
      const p: ForwardPolicy = { config: policy.config, params: unflattenParams(flat, policy.params) };
      const a = policyMatrix(p);
      let l = 0;
      for (let i = 0; i < 9; i++) l += g.data[i]! * a.data[i]!;
      TIMES.forEach((t, k) => {
        l += gc[k]! * timeFactor(p, t);
      });
      return l;
    };
    const analytic = flattenParams(
      policyGradient(policy, g, timeVarying ? { times: TIMES, gradC: gc } : undefined),
    );
    const numeric = fdGradient(loss, flattenParams(policy.params), 1e-6);
    expect(analytic.length).toBe(numeric.length);
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-7);
    // Every parameter group has a nonzero gradient (nothing is silently dropped).
    for (const [name, v] of Object.entries(policyGradient(policy, g, { times: TIMES, gradC: gc }))) {
      expect(Math.max(...v.map(Math.abs)), name).toBeGreaterThan(1e-4);
    }
  });

  it.each(cases)('%s (time-varying %s): L = ½‖A‖²_F + Σ_k g_k c(t_k)²', (structure, timeVarying) => {
    const policy = randomPolicy(small(structure, timeVarying), 31);
    const gc = new Rng(32).normal(TIMES.length);
    const loss = (flat: Float64Array): number => {
      const p: ForwardPolicy = { config: policy.config, params: unflattenParams(flat, policy.params) };
      const a = policyMatrix(p);
      let l = 0.5 * a.transpose().mul(a).trace();
      TIMES.forEach((t, k) => {
        l += gc[k]! * timeFactor(p, t) ** 2;
      });
      return l;
    };
    const cs = TIMES.map((t) => timeFactor(policy, t));
    const analytic = flattenParams(
      policyGradient(policy, policyMatrix(policy), {
        times: TIMES,
        gradC: cs.map((c, k) => 2 * gc[k]! * c),
      }),
    );
    const numeric = fdGradient(loss, flattenParams(policy.params), 1e-6);
    expect(relativeError(analytic, numeric)).toBeLessThan(1e-7);
  });

  it('without time gradients the h parameters get zero gradients', () => {
    const policy = randomPolicy(small('full', true), 41);
    const grads = policyGradient(policy, randomMatrix(new Rng(42), 3));
    expect(Object.keys(grads).sort()).toEqual(Object.keys(policyShapes(policy.config)).sort());
    for (const name of ['time.w1', 'time.b1', 'time.w2'])
      expect(grads[name]!.every((v) => v === 0)).toBe(true);
  });
});

describe('checkPolicyParams', () => {
  const config = forwardPolicyConfig({ dim: 2, timeVarying: true, embedDim: 4, hidden: 2 });
  const good = () => initForwardPolicy(config, new Rng(0)).params;

  it('accepts the shapes policyShapes lists', () => {
    expect(policyShapes(config)).toEqual({ u: 4, s: 2, v: 4, 'time.w1': 8, 'time.b1': 2, 'time.w2': 2 });
    expect(() => checkPolicyParams(config, good(), 'model')).not.toThrow();
  });

  it('names the missing, mis-sized, non-float64, non-finite or unexpected parameter', () => {
    const { u: _u, ...noU } = good();
    expect(() => checkPolicyParams(config, noU, 'model')).toThrow(
      "model: forward policy parameter 'u' must be 4 float64 values, got nothing",
    );
    expect(() => checkPolicyParams(config, { ...good(), s: new Float64Array(3) }, 'ckpt')).toThrow(
      "ckpt: forward policy parameter 's' must be 2 float64 values, got 3",
    );
    expect(() =>
      checkPolicyParams(config, { ...good(), v: new Float32Array(4) as unknown as Float64Array }, 'ckpt'),
    ).toThrow(/parameter 'v' must be 4 float64 values/);
    expect(() =>
      checkPolicyParams(config, { ...good(), 'time.w2': Float64Array.from([0, Number.NaN]) }, 'ckpt'),
    ).toThrow("ckpt: forward policy parameter 'time.w2' is not finite");
    expect(() => checkPolicyParams(config, { ...good(), a: new Float64Array(2) }, 'ckpt')).toThrow(
      "ckpt: unexpected forward policy parameter 'a'",
    );
    const diagonal = forwardPolicyConfig({ dim: 2, structure: 'diagonal' });
    expect(() => checkPolicyParams(diagonal, good(), 'ckpt')).toThrow(
      /parameter 'a' must be 2 float64 values, got nothing/,
    );
  });
});
