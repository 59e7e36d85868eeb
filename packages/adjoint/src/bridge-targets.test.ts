import { Rng } from '@bridgekit/core';
import { fdGradient, relativeError } from '@bridgekit/core/testing';
import { describe, expect, it } from 'vitest';
import {
  bridgeMatchingRows,
  correctorRows,
  type EndpointPairs,
  reciprocalAdjointRows,
} from './bridge-targets.js';
import { brownianReference, type ReferenceProcess, veReference, vpReference } from './reference-process.js';

// Host-only: every target is recomputed in float64 from its definition (a log-density differentiated by
// central differences, fdGradient's h = 1e-5, error O(h²) on these quadratics ≈ rounding 1e-10) and
// compared with the float32 rows to 1e-5 relative (float32 rounding of inputs and outputs is ≈ 1e-7).

const references: [string, ReferenceProcess][] = [
  ['VP β 0.1→20', vpReference({ betaMin: 0.1, betaMax: 20 })],
  ['VP β 0.5→3, σ 0.8', vpReference({ betaMin: 0.5, betaMax: 3, sigma: 0.8 })],
  ['BM σ 0.3', brownianReference({ sigma: 0.3 })],
  ['VE 0.05→1.5', veReference({ sigmaMin: 0.05, sigmaMax: 1.5 })],
];

/** log N(y; m, v) per coordinate, summed (float64). */
const logNormal = (y: ArrayLike<number>, mean: (k: number) => number, v: number) => {
  let s = 0;
  for (let k = 0; k < y.length; k++) s += -0.5 * ((y[k]! - mean(k)) ** 2 / v + Math.log(2 * Math.PI * v));
  return s;
};

const n = 6;
const dim = 3;

function randomPairs(seed: number): EndpointPairs {
  const rng = new Rng(seed);
  const x0 = Float32Array.from(rng.normalFloat32(n * dim), (v) => 1.5 * v + 0.3);
  const x1 = Float32Array.from(rng.normalFloat32(n * dim), (v) => 0.8 * v - 0.5);
  return { x0, x1, dim };
}
const row = (a: Float32Array, i: number) => Float64Array.from(a.subarray(i * dim, (i + 1) * dim));
/** Times spread over (0, 1), including near both ends. */
const times = Float32Array.from([0.001, 0.12, 0.37, 0.5, 0.81, 0.999]);

describe('correctorRows: h(x₁) ≈ ∇_{x₁} log p_ref(x₁ | x₀) = (Φ(1,0)x₀ − x₁)/V(0,1)', () => {
  it.each(references)(
    '%s: the target is the gradient of log N(x₁; Φ(1,0)x₀, V(0,1)) at (x₁, t = 1)',
    (_, ref) => {
      const pairs = randomPairs(1);
      const rows = correctorRows({ reference: ref, pairs });
      expect(Array.from(rows.t)).toEqual(new Array(n).fill(1));
      expect(rows.x).toEqual(pairs.x1);
      expect(rows.x).not.toBe(pairs.x1);
      const phi = ref.transitionScale(0, 1);
      const v = ref.transitionVariance(0, 1);
      for (let i = 0; i < n; i++) {
        const x0 = row(pairs.x0, i);
        const want = fdGradient((x1) => logNormal(x1, (k) => phi * x0[k]!, v), row(pairs.x1, i));
        expect(relativeError(row(rows.target, i), want)).toBeLessThan(1e-5);
      }
    },
  );

  it('rejects x₀ and x₁ of different lengths, naming x1', () => {
    const { x0 } = randomPairs(1);
    expect(() =>
      correctorRows({ reference: references[2]![1], pairs: { x0, x1: x0.subarray(3), dim } }),
    ).toThrow(/correctorRows: x1 must hold n·dim = 6·3 = 18 values .*got 15/);
  });
});

describe('reciprocalAdjointRows: X_t ~ bridge(x₀, x₁), target −Φ(1, t)ã₁ (§1.5, §6.2)', () => {
  it.each(references)('%s: x = c₀x₀ + c₁x₁ + √v·ε and target = −Φ(1, t)ã₁', (_, ref) => {
    const pairs = randomPairs(2);
    const rng = new Rng(3);
    const terminalAdjoint = rng.normalFloat32(n * dim);
    const eps = rng.normalFloat32(n * dim);
    const rows = reciprocalAdjointRows({ reference: ref, pairs, terminalAdjoint, t: times, eps });
    expect(rows.t).toEqual(times);
    expect(rows.t).not.toBe(times);
    for (let i = 0; i < n; i++) {
      const t = times[i]!;
      // Φ(1, t) from its definition, the lean adjoint's propagator for a scalar linear drift.
      const phi = Math.exp(quad((r) => ref.driftCoefficient(r), t, 1));
      const { c0, c1, variance } = ref.bridge(t);
      for (let k = 0; k < dim; k++) {
        const j = i * dim + k;
        const x = c0 * pairs.x0[j]! + c1 * pairs.x1[j]! + Math.sqrt(variance) * eps[j]!;
        expect(Math.abs(rows.x[j]! - x)).toBeLessThan(1e-5 * (1 + Math.abs(x)));
        const target = -phi * terminalAdjoint[j]!;
        expect(Math.abs(rows.target[j]! - target)).toBeLessThan(1e-6 * (1e-3 + Math.abs(target)));
      }
    }
  });

  it('VP: the target shrinks as e^{−½∫ₜ¹β} (not constant, unlike BM/VE)', () => {
    const ref = references[0]![1];
    const pairs = randomPairs(2);
    const ones = new Float32Array(n * dim).fill(1);
    const rows = reciprocalAdjointRows({ reference: ref, pairs, terminalAdjoint: ones, t: times, eps: ones });
    const B = (t: number) => 0.1 * t + 9.95 * t * t;
    for (let i = 0; i < n; i++) {
      expect(relativeError([rows.target[i * dim]!], [-Math.exp(-0.5 * (B(1) - B(times[i]!)))])).toBeLessThan(
        1e-6,
      );
    }
  });

  it('rejects wrong lengths, naming the argument', () => {
    const pairs = randomPairs(2);
    const ok = new Float32Array(n * dim);
    const reference = references[2]![1];
    expect(() =>
      reciprocalAdjointRows({ reference, pairs, terminalAdjoint: ok.subarray(1), t: times, eps: ok }),
    ).toThrow(/reciprocalAdjointRows: terminalAdjoint must hold n·dim = 18 values, got 17/);
    expect(() =>
      reciprocalAdjointRows({ reference, pairs, terminalAdjoint: ok, t: times, eps: ok.subarray(2) }),
    ).toThrow(/reciprocalAdjointRows: eps must hold n·dim = 6·3 = 18 values .*got 16/);
    expect(() =>
      reciprocalAdjointRows({ reference, pairs, terminalAdjoint: ok, t: times.subarray(1), eps: ok }),
    ).toThrow(/reciprocalAdjointRows: x0 must hold n·dim = 5·3 = 15 values \(n = t\.length\), got 18/);
    expect(() =>
      reciprocalAdjointRows({
        reference,
        pairs: { ...pairs, dim: 0 },
        terminalAdjoint: ok,
        t: times,
        eps: ok,
      }),
    ).toThrow(/reciprocalAdjointRows: dim must be an integer ≥ 1, got 0/);
  });
});

/** Simpson's rule with 200 intervals (exact for the linear a(t) of these references). */
function quad(f: (r: number) => number, a: number, b: number): number {
  const m = 200;
  const h = (b - a) / m;
  let s = f(a) + f(b);
  for (let k = 1; k < m; k++) s += (k % 2 === 1 ? 4 : 2) * f(a + k * h);
  return (s * h) / 3;
}

describe('bridgeMatchingRows: the backward score and the probability-flow velocity (§7.3)', () => {
  it.each(references)(
    '%s: score = √V(0,t)·∇ log p(x_t | x₀), velocity = a x_t + ½g²(∇ log p(x₁ | x_t) − ∇ log p(x_t | x₀))',
    (_, ref) => {
      const pairs = randomPairs(4);
      const eps = new Rng(5).normalFloat32(n * dim);
      const rows = bridgeMatchingRows({ reference: ref, pairs, t: times, eps });
      expect(rows.t).toEqual(times);
      const check = reciprocalAdjointRows({
        reference: ref,
        pairs,
        terminalAdjoint: new Float32Array(n * dim),
        t: times,
        eps,
      });
      expect(rows.x).toEqual(check.x); // the same bridge draw
      for (let i = 0; i < n; i++) {
        const t = times[i]!;
        const x0 = row(pairs.x0, i);
        const x1 = row(pairs.x1, i);
        const xt = row(rows.x, i);
        const phiT0 = ref.transitionScale(0, t);
        const phi1T = ref.transitionScale(t, 1);
        const v0 = ref.transitionVariance(0, t);
        const v1 = ref.transitionVariance(t, 1);
        const backward = fdGradient((x) => logNormal(x, (k) => phiT0 * x0[k]!, v0), xt);
        const forward = fdGradient((x) => logNormal(x1, (k) => phi1T * x[k]!, v1), xt);
        const score = backward.map((b) => Math.sqrt(v0) * b);
        expect(relativeError(row(rows.score, i), score)).toBeLessThan(1e-5);
        const a = ref.driftCoefficient(t);
        const g2 = ref.diffusion(t) ** 2;
        const velocity = xt.map((x, k) => a * x + 0.5 * g2 * (forward[k]! - backward[k]!));
        expect(relativeError(row(rows.velocity, i), velocity)).toBeLessThan(1e-5);
      }
    },
  );

  it('rejects t outside (0, 1) and wrong lengths, naming the argument', () => {
    const pairs = randomPairs(4);
    const eps = new Float32Array(n * dim);
    const reference = references[1]![1];
    for (const bad of [0, 1, 1.5, -0.2, Number.NaN]) {
      const t = Float32Array.from(times);
      t[2] = bad;
      expect(() => bridgeMatchingRows({ reference, pairs, t, eps })).toThrow(
        new RegExp(`bridgeMatchingRows: t\\[2\\] must lie in \\(0, 1\\), got ${bad}`),
      );
    }
    expect(() =>
      bridgeMatchingRows({ reference, pairs: { ...pairs, x1: eps.subarray(1) }, t: times, eps }),
    ).toThrow(/bridgeMatchingRows: x1 must hold n·dim = 6·3 = 18 values .*got 17/);
    expect(() => bridgeMatchingRows({ reference, pairs, t: times, eps: eps.subarray(3) })).toThrow(
      /bridgeMatchingRows: eps must hold .*got 15/,
    );
    expect(() => bridgeMatchingRows({ reference, pairs: { ...pairs, dim: 2.5 }, t: times, eps })).toThrow(
      /bridgeMatchingRows: dim must be an integer ≥ 1, got 2\.5/,
    );
  });

  it('Monte Carlo, BM σ = 1 and the identity coupling x₁ = x₀ ~ N(0, s²): E[velocity | x_t] is the PF velocity ½σ²(1 − 2t)x/m_t, m_t = s² + σ²t(1 − t)', () => {
    // The Markovised bridge of this coupling has Gaussian marginals N(0, m_t), whose probability-flow
    // velocity is ½(ṁ_t/m_t)x; likewise E[∇ log p(x_t | x₀) | x_t] = −(1 − t)x/m_t. Both conditional
    // expectations are linear in x_t, so the least-squares slope through 0 estimates them; its standard
    // error is the sandwich √(Σ r²x²)/Σx² (4 SE tolerance, and SE < 0.01 so that a wrong formula shows).
    const sigma = 1;
    const s = 0.5;
    const reference = brownianReference({ sigma });
    const m = 200_000;
    const rng = new Rng(6);
    const x0 = Float32Array.from(rng.normalFloat32(m), (v) => s * v);
    for (const t of [0.25, 0.7]) {
      const rows = bridgeMatchingRows({
        reference,
        pairs: { x0, x1: x0, dim: 1 },
        t: new Float32Array(m).fill(t),
        eps: rng.normalFloat32(m),
      });
      const marginal = s * s + sigma * sigma * t * (1 - t);
      const expected = {
        velocity: (0.5 * sigma * sigma * (1 - 2 * t)) / marginal,
        score: (Math.sqrt(sigma * sigma * t) * -(1 - t)) / marginal,
      };
      for (const key of ['velocity', 'score'] as const) {
        const y = rows[key];
        let sxx = 0;
        let sxy = 0;
        for (let i = 0; i < m; i++) {
          sxx += rows.x[i]! ** 2;
          sxy += rows.x[i]! * y[i]!;
        }
        const slope = sxy / sxx;
        let meat = 0;
        for (let i = 0; i < m; i++) meat += (y[i]! - slope * rows.x[i]!) ** 2 * rows.x[i]! ** 2;
        const se = Math.sqrt(meat) / sxx;
        expect(se).toBeLessThan(0.01);
        expect(Math.abs(slope - expected[key])).toBeLessThan(4 * se);
      }
    }
  });
});
