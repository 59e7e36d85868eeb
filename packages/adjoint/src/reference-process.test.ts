import { constantSchedule, geometricVeSde, linearSchedule, veBridge, vpBridge } from '@bridgekit/sde';
import { describe, expect, it } from 'vitest';
import {
  brownianReference,
  type ReferenceConfig,
  type ReferenceProcess,
  referenceFromConfig,
  veReference,
  vpReference,
} from './reference-process.js';

// Everything here is float64 host arithmetic: closed forms are checked to 1e-12 (relative), numeric
// quadrature (Simpson, 2000 intervals, error ≲ 1e-9 for the stiffest integrand, β up to 20) to 1e-8.

/** Composite Simpson's rule of f over [a, b] with n (even) intervals. */
function simpson(f: (r: number) => number, a: number, b: number, n = 2000): number {
  if (b === a) return 0;
  const h = (b - a) / n;
  let sum = f(a) + f(b);
  for (let k = 1; k < n; k++) sum += (k % 2 === 1 ? 4 : 2) * f(a + k * h);
  return (sum * h) / 3;
}

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);

const vpStiff = vpReference({ betaMin: 0.1, betaMax: 20 });
const vpMild = vpReference({ betaMin: 0.5, betaMax: 3, sigma: 0.8 });
const vpConstant = vpReference({ betaMin: 2, betaMax: 2, sigma: 0.5 });
const bm = brownianReference({ sigma: 0.3 });
const ve = veReference({ sigmaMin: 0.05, sigmaMax: 1.5 });
const all: [string, ReferenceProcess][] = [
  ['VP β 0.1→20', vpStiff],
  ['VP β 0.5→3, σ 0.8', vpMild],
  ['VP β ≡ 2, σ 0.5', vpConstant],
  ['BM σ 0.3', bm],
  ['VE 0.05→1.5', ve],
];
const times = [0, 1e-6, 0.01, 0.2, 0.37, 0.5, 0.8, 0.99, 1 - 1e-6, 1];

describe('vpReference: the bridge equals @bridgekit/sde’s vpBridge (algorithms.md §1.3 "VP")', () => {
  it.each([
    ['linear 0.1→20, σ 1', vpStiff, vpBridge({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) })],
    [
      'linear 0.5→3, σ 0.8',
      vpMild,
      vpBridge({ schedule: linearSchedule({ betaMin: 0.5, betaMax: 3 }), sigma: 0.8 }),
    ],
    ['constant 2, σ 0.5', vpConstant, vpBridge({ schedule: constantSchedule(2), sigma: 0.5 })],
  ])('%s: c₀, c₁ and the variance agree to 1e-12 at every t', (_, reference, bridge) => {
    for (const t of times) {
      const got = reference.bridge(t);
      const want = bridge.marginal(t);
      expect(Math.abs(got.c0 - want.coefX0.get(0, 0))).toBeLessThan(1e-12);
      expect(Math.abs(got.c1 - want.coefX1.get(0, 0))).toBeLessThan(1e-12);
      expect(Math.abs(got.variance - want.cov.get(0, 0))).toBeLessThan(1e-12);
    }
  });

  it('T7: β linear 0.1→20, σ = 1, t = 0.37, x₀ = 1.3, x₁ = −0.4 ⇒ mean 0.6417631, variance 0.7530953', () => {
    const { c0, c1, variance } = vpStiff.bridge(0.37);
    expect(Math.abs(c0 * 1.3 + c1 * -0.4 - 0.6417631)).toBeLessThan(1e-6);
    expect(Math.abs(variance - 0.7530953)).toBeLessThan(1e-6);
  });

  it('has a(t) = −½β(t), g(t) = σ√β(t), Φ(t, s) = e^{−½∫ₛᵗβ}, V(s, t) = σ²(1 − e^{−∫ₛᵗβ})', () => {
    const beta = (t: number) => 0.5 + 2.5 * t;
    const B = (t: number) => 0.5 * t + 1.25 * t * t;
    for (const t of [0, 0.3, 1]) {
      expect(relErr(vpMild.driftCoefficient(t), -0.5 * beta(t))).toBeLessThan(1e-14);
      expect(relErr(vpMild.diffusion(t), 0.8 * Math.sqrt(beta(t)))).toBeLessThan(1e-14);
    }
    expect(relErr(vpMild.transitionScale(0.2, 0.9), Math.exp(-0.5 * (B(0.9) - B(0.2))))).toBeLessThan(1e-13);
    expect(
      relErr(vpMild.transitionVariance(0.2, 0.9), 0.64 * (1 - Math.exp(-(B(0.9) - B(0.2))))),
    ).toBeLessThan(1e-13);
  });
});

describe('brownianReference and veReference: the bridges of T8', () => {
  it('BM: mean (1 − t)x₀ + t x₁, variance σ²t(1 − t)', () => {
    for (const t of times) {
      const { c0, c1, variance } = bm.bridge(t);
      expect(Math.abs(c0 - (1 - t))).toBeLessThan(1e-15);
      expect(Math.abs(c1 - t)).toBeLessThan(1e-15);
      expect(Math.abs(variance - 0.09 * t * (1 - t))).toBeLessThan(1e-15);
    }
  });

  it('VE: Gaussian conditioning on ν_t, mean x₀ + (ν_t/ν₁)(x₁ − x₀), variance ν_t(ν₁ − ν_t)/ν₁', () => {
    const nu1 = ve.transitionVariance(0, 1);
    for (const t of times) {
      const nu = ve.transitionVariance(0, t);
      const { c0, c1, variance } = ve.bridge(t);
      expect(Math.abs(c0 - (1 - nu / nu1))).toBeLessThan(1e-12);
      expect(Math.abs(c1 - nu / nu1)).toBeLessThan(1e-12);
      expect(Math.abs(variance - (nu * (nu1 - nu)) / nu1)).toBeLessThan(1e-12);
    }
  });

  it('VE is the geometric schedule of AS/ASBS (§1.1): g = σ_min r^{1−t}√(2 ln r), ν_t = σ_max²(1 − r^{−2t})', () => {
    const [sMin, sMax] = [0.05, 1.5];
    const r = sMax / sMin;
    const sde = geometricVeSde({ sigmaMin: sMin, sigmaMax: sMax });
    const bridge = veBridge(sde);
    for (const t of times) {
      expect(relErr(ve.diffusion(t), sMin * r ** (1 - t) * Math.sqrt(2 * Math.log(r)))).toBeLessThan(1e-13);
      expect(Math.abs(ve.transitionVariance(0, t) - sMax ** 2 * (1 - r ** (-2 * t)))).toBeLessThan(1e-13);
      expect(relErr(ve.diffusion(t), sde.diffusion(t))).toBeLessThan(1e-13);
      const got = ve.bridge(t);
      const want = bridge.marginal(t);
      expect(Math.abs(got.c0 - want.coefX0.get(0, 0))).toBeLessThan(1e-12);
      expect(Math.abs(got.c1 - want.coefX1.get(0, 0))).toBeLessThan(1e-12);
      expect(Math.abs(got.variance - want.cov.get(0, 0))).toBeLessThan(1e-12);
    }
    expect(relErr(ve.transitionVariance(0, 1), sMax ** 2 - sMin ** 2)).toBeLessThan(1e-13);
    expect(ve.driftCoefficient(0.4)).toBe(0);
    expect(ve.transitionScale(0.1, 0.9)).toBe(1);
  });
});

describe('every reference', () => {
  it.each(all)('%s: the bridge is p(x_t | x₀)p(x₁ | x_t)/p(x₁ | x₀) (information form, 1e-10)', (_, ref) => {
    // The product of two Gaussians in x_t: precision 1/V(0,t) + Φ(1,t)²/V(t,1), and the mean is the
    // precision-weighted combination of Φ(t,0)x₀ and x₁/Φ(1,t) — a route independent of `bridge`'s.
    for (const t of [0.01, 0.2, 0.37, 0.5, 0.8, 0.99]) {
      const phiT0 = ref.transitionScale(0, t);
      const phi1T = ref.transitionScale(t, 1);
      const v0 = ref.transitionVariance(0, t);
      const v1 = ref.transitionVariance(t, 1);
      const precision = 1 / v0 + (phi1T * phi1T) / v1;
      const { c0, c1, variance } = ref.bridge(t);
      expect(relErr(variance, 1 / precision)).toBeLessThan(1e-10);
      expect(relErr(c0, phiT0 / v0 / precision)).toBeLessThan(1e-10);
      expect(relErr(c1, phi1T / v1 / precision)).toBeLessThan(1e-10);
    }
  });

  it.each(all)('%s: bridges hit their endpoints (variance 0 and mean x₀ at t = 0, x₁ at t = 1)', (_, ref) => {
    const start = ref.bridge(0);
    expect(Math.abs(start.c0 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(start.c1)).toBeLessThan(1e-15);
    expect(Math.abs(start.variance)).toBeLessThan(1e-15);
    const end = ref.bridge(1);
    expect(Math.abs(end.c0)).toBeLessThan(1e-15);
    expect(Math.abs(end.c1 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(end.variance)).toBeLessThan(1e-15);
    // and continuously so: O(t) close to the ends
    for (const [t, c0, c1] of [
      [1e-7, 1, 0],
      [1 - 1e-7, 0, 1],
    ] as const) {
      const b = ref.bridge(t);
      expect(Math.abs(b.c0 - c0)).toBeLessThan(1e-4);
      expect(Math.abs(b.c1 - c1)).toBeLessThan(1e-4);
      expect(b.variance).toBeGreaterThan(0);
      expect(b.variance).toBeLessThan(1e-4);
    }
  });

  const pairs = [
    [0, 1],
    [0, 0.37],
    [0.2, 0.7],
    [0.37, 0.38],
    [0.9, 1],
  ] as const;

  it.each(all)('%s: Φ(t, s) = exp(∫ₛᵗ a) and V(s, t) = ∫ₛᵗ Φ(t, r)²g(r)² dr (Simpson, 1e-8)', (_, ref) => {
    for (const [s, t] of pairs) {
      const logPhi = simpson((r) => ref.driftCoefficient(r), s, t);
      expect(relErr(ref.transitionScale(s, t), Math.exp(logPhi))).toBeLessThan(1e-10);
      const integrand = (r: number) =>
        Math.exp(2 * simpson((u) => ref.driftCoefficient(u), r, t, 20)) * ref.diffusion(r) ** 2;
      expect(relErr(ref.transitionVariance(s, t), simpson(integrand, s, t))).toBeLessThan(1e-8);
    }
  });

  it.each(all)('%s: semigroup Φ(t,0) = Φ(t,s)Φ(s,0) and V(0,t) = Φ(t,s)²V(0,s) + V(s,t)', (_, ref) => {
    for (const [s, t] of [
      [0.2, 0.7],
      [0.37, 1],
      [0, 0.5],
      [0.5, 0.5],
    ] as const) {
      const phi = ref.transitionScale(s, t);
      expect(relErr(ref.transitionScale(0, t), phi * ref.transitionScale(0, s))).toBeLessThan(1e-13);
      const composed = phi * phi * ref.transitionVariance(0, s) + ref.transitionVariance(s, t);
      expect(relErr(ref.transitionVariance(0, t), composed)).toBeLessThan(1e-12);
    }
    expect(ref.transitionScale(0.4, 0.4)).toBe(1);
    expect(ref.transitionVariance(0.4, 0.4)).toBe(0);
  });

  it.each(all)('%s: referenceFromConfig(JSON of reference.config) rebuilds the same process', (_, ref) => {
    const config = JSON.parse(JSON.stringify(ref.config)) as ReferenceConfig;
    const back = referenceFromConfig(config);
    expect(back.config).toEqual(ref.config);
    expect(back.name).toBe(ref.name);
    for (const t of [0, 0.3, 0.37, 1]) {
      expect(back.driftCoefficient(t)).toBe(ref.driftCoefficient(t));
      expect(back.diffusion(t)).toBe(ref.diffusion(t));
      expect(back.transitionScale(0, t)).toBe(ref.transitionScale(0, t));
      expect(back.transitionVariance(t, 1)).toBe(ref.transitionVariance(t, 1));
      expect(back.bridge(t)).toEqual(ref.bridge(t));
    }
  });
});

describe('argument errors name the argument', () => {
  it('vpReference', () => {
    expect(() => vpReference({ betaMin: 5, betaMax: 1 })).toThrow(/vpReference: betaMin must be .*got 5/);
    expect(() => vpReference({ betaMin: -0.1, betaMax: 1 })).toThrow(/betaMin/);
    expect(() => vpReference({ betaMin: Number.NaN, betaMax: 1 })).toThrow(/betaMin/);
    expect(() => vpReference({ betaMin: 0, betaMax: 0 })).toThrow(/vpReference: betaMax must be .*> 0/);
    expect(() => vpReference({ betaMin: 0.1, betaMax: 20, sigma: 0 })).toThrow(
      /vpReference: sigma must be a finite number > 0, got 0/,
    );
    expect(() => vpReference({ betaMin: 0.1, betaMax: 20, sigma: -1 })).toThrow(/sigma/);
    expect(() => vpReference({ betaMin: 0.1, betaMax: 20, sigma: Number.POSITIVE_INFINITY })).toThrow(
      /sigma/,
    );
  });

  it('brownianReference and veReference', () => {
    expect(() => brownianReference({ sigma: 0 })).toThrow(/brownianReference: sigma must be .*> 0, got 0/);
    expect(() => brownianReference({ sigma: -0.3 })).toThrow(/sigma/);
    expect(() => veReference({ sigmaMin: 1, sigmaMax: 1 })).toThrow(
      /veReference: sigmaMax must exceed sigmaMin/,
    );
    expect(() => veReference({ sigmaMin: 2, sigmaMax: 1 })).toThrow(/sigmaMax/);
    expect(() => veReference({ sigmaMin: 0, sigmaMax: 1 })).toThrow(/veReference: sigmaMin must be/);
    expect(() => veReference({ sigmaMin: 0.1, sigmaMax: -1 })).toThrow(/sigmaMax must be/);
  });

  it('times outside [0, 1] or s > t', () => {
    for (const ref of [vpMild, bm, ve]) {
      expect(() => ref.transitionScale(0.5, 0.2)).toThrow(
        /transitionScale: times must satisfy 0 ≤ s ≤ t ≤ 1, got s = 0\.5, t = 0\.2/,
      );
      expect(() => ref.transitionVariance(-0.1, 0.5)).toThrow(
        /transitionVariance: .*got s = -0\.1, t = 0\.5/,
      );
      expect(() => ref.transitionVariance(0, 1.5)).toThrow(/got s = 0, t = 1\.5/);
      expect(() => ref.transitionScale(Number.NaN, 0.5)).toThrow(/s = NaN/);
      expect(() => ref.bridge(1.2)).toThrow(/bridge: .*t = 1\.2/);
      expect(() => ref.bridge(-0.1)).toThrow(/bridge: .*t = -0\.1/);
      expect(() => ref.bridge(Number.NaN)).toThrow(/t = NaN/);
    }
  });

  it('referenceFromConfig with an unknown kind', () => {
    expect(() => referenceFromConfig({ kind: 'cld' } as unknown as ReferenceConfig)).toThrow(
      /reference\.kind must be 'vp', 've' or 'bm', got "cld"/,
    );
    expect(() => referenceFromConfig({ kind: 'bm', sigma: -1 })).toThrow(/sigma/);
  });
});
