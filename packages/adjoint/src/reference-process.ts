import { constantSchedule, linearSchedule, type Schedule } from '@bridgekit/sde';

/**
 * The JSON form of a {@link ReferenceProcess}, as saved with a model:
 * - `vp`: dX = −½β(t)X dt + σ√β(t) dW with β linear from `betaMin` to `betaMax` over [0, 1];
 * - `ve`: dX = g(t) dW with geometric g, ν_t = ∫₀ᵗg² = σ_max²(1 − (σ_min/σ_max)^{2t}) (AS/ASBS's base, §1.1);
 * - `bm`: dX = σ dW.
 */
export type ReferenceConfig =
  | { readonly kind: 'vp'; readonly betaMin: number; readonly betaMax: number; readonly sigma: number }
  | { readonly kind: 've'; readonly sigmaMin: number; readonly sigmaMax: number }
  | { readonly kind: 'bm'; readonly sigma: number };

/**
 * A scalar linear reference SDE dX = a(t)X dt + g(t) dW on [0, 1], acting on every coordinate alike:
 * the reference of Adjoint Sampling, ASBS and ASBM (algorithms.md §5–§7). Every quantity those methods
 * need is closed-form: the transition X_t | X_s ~ N(Φ(t, s)X_s, V(s, t)), the bridge X_t | X₀, X₁ and
 * the adjoint's propagator Φ(1, t) (§1.5: ã_t = Φ(1, t)ã₁ for a linear drift).
 */
export interface ReferenceProcess {
  readonly name: string;
  readonly config: ReferenceConfig;
  /** a(t): the drift is a(t)·x. */
  driftCoefficient(t: number): number;
  /** g(t). */
  diffusion(t: number): number;
  /** Φ(t, s) = e^{∫ₛᵗ a}, s ≤ t: the mean of X_t given X_s = 1. */
  transitionScale(s: number, t: number): number;
  /** V(s, t): the variance of X_t given X_s, per coordinate. */
  transitionVariance(s: number, t: number): number;
  /**
   * The bridge X_t | X₀ = x₀, X₁ = x₁ ~ N(c₀x₀ + c₁x₁, v): by Gaussian conditioning,
   * c₁ = V(0,t)Φ(1,t)/V(0,1), c₀ = Φ(t,0) − c₁Φ(1,0), v = V(0,t)V(t,1)/V(0,1).
   */
  bridge(t: number): { readonly c0: number; readonly c1: number; readonly variance: number };
}

function requireFinitePositive(where: string, name: string, value: number): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new RangeError(`${where}: ${name} must be a finite number > 0, got ${String(value)}`);
  }
}

function requireTimes(where: string, s: number, t: number): void {
  if (!(s >= 0 && t <= 1 && s <= t)) {
    throw new RangeError(`${where}: times must satisfy 0 ≤ s ≤ t ≤ 1, got s = ${s}, t = ${t}`);
  }
}

/** Shared closed forms, given Φ(t, s) and V(s, t). */
function build(
  name: string,
  config: ReferenceConfig,
  a: (t: number) => number,
  g: (t: number) => number,
  scale: (s: number, t: number) => number,
  variance: (s: number, t: number) => number,
): ReferenceProcess {
  const total = variance(0, 1);
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new RangeError(`${name}: the reference must move X₁ (V(0, 1) > 0), got V(0, 1) = ${total}`);
  }
  const end = scale(0, 1);
  return {
    name,
    config,
    driftCoefficient: a,
    diffusion: g,
    transitionScale(s, t) {
      requireTimes(`${name}.transitionScale`, s, t);
      return scale(s, t);
    },
    transitionVariance(s, t) {
      requireTimes(`${name}.transitionVariance`, s, t);
      return variance(s, t);
    },
    bridge(t) {
      requireTimes(`${name}.bridge`, 0, t);
      const v0t = variance(0, t);
      const c1 = (v0t * scale(t, 1)) / total;
      return { c0: scale(0, t) - c1 * end, c1, variance: (v0t * variance(t, 1)) / total };
    },
  };
}

/**
 * The VP (Ornstein–Uhlenbeck) reference dX = −½β(t)X dt + σ√β(t) dW with β linear from `betaMin` to
 * `betaMax` (constant when equal): memoryless as ∫₀¹β grows (ASBM's degree of memorylessness is β_max).
 */
export function vpReference(options: { betaMin: number; betaMax: number; sigma?: number }): ReferenceProcess {
  const { betaMin, betaMax } = options;
  const sigma = options.sigma ?? 1;
  requireFinitePositive('vpReference', 'sigma', sigma);
  requireFinitePositive('vpReference', 'betaMax', betaMax);
  if (!(Number.isFinite(betaMin) && betaMin >= 0 && betaMin <= betaMax)) {
    throw new RangeError(
      `vpReference: betaMin must be a number in [0, betaMax = ${betaMax}], got ${betaMin}`,
    );
  }
  const schedule: Schedule =
    betaMin === betaMax ? constantSchedule(betaMin) : linearSchedule({ betaMin, betaMax });
  const b = (s: number, t: number) => schedule.integral(t) - schedule.integral(s);
  return build(
    `vp-reference(β ${betaMin}→${betaMax}${sigma === 1 ? '' : `, σ=${sigma}`})`,
    { kind: 'vp', betaMin, betaMax, sigma },
    (t) => -0.5 * schedule.beta(t),
    (t) => sigma * Math.sqrt(schedule.beta(t)),
    (s, t) => Math.exp(-0.5 * b(s, t)),
    (s, t) => -sigma * sigma * Math.expm1(-b(s, t)),
  );
}

/** Brownian motion σW: the bridge is (1 − t)x₀ + t x₁ with variance σ²t(1 − t). */
export function brownianReference(options: { sigma: number }): ReferenceProcess {
  const { sigma } = options;
  requireFinitePositive('brownianReference', 'sigma', sigma);
  return build(
    `bm-reference(σ=${sigma})`,
    { kind: 'bm', sigma },
    () => 0,
    () => sigma,
    () => 1,
    (s, t) => sigma * sigma * (t - s),
  );
}

/**
 * The geometric VE reference of AS/ASBS (algorithms.md §1.1): g(t) = σ_min r^{1−t} √(2 ln r), r = σ_max/σ_min,
 * so ν_t = σ_max²(1 − r^{−2t}) and ν₁ = σ_max² − σ_min² (the noise rate is largest at the source t = 0).
 */
export function veReference(options: { sigmaMin: number; sigmaMax: number }): ReferenceProcess {
  const { sigmaMin, sigmaMax } = options;
  requireFinitePositive('veReference', 'sigmaMin', sigmaMin);
  requireFinitePositive('veReference', 'sigmaMax', sigmaMax);
  if (!(sigmaMax > sigmaMin)) {
    throw new RangeError(`veReference: sigmaMax must exceed sigmaMin, got ${sigmaMax} ≤ ${sigmaMin}`);
  }
  const logR = Math.log(sigmaMax / sigmaMin);
  // ν_t − ν_s = σ_max²e^{−2s ln r}(1 − e^{−2(t−s) ln r}); expm1 keeps short intervals accurate.
  const q = (s: number, t: number) =>
    -sigmaMax * sigmaMax * Math.exp(-2 * s * logR) * Math.expm1(-2 * (t - s) * logR);
  return build(
    `ve-reference(σ_min=${sigmaMin}, σ_max=${sigmaMax})`,
    { kind: 've', sigmaMin, sigmaMax },
    () => 0,
    (t) => sigmaMin * Math.exp((1 - t) * logR) * Math.sqrt(2 * logR),
    () => 1,
    q,
  );
}

/** The reference a {@link ReferenceConfig} describes (as read back from a saved model). */
export function referenceFromConfig(config: ReferenceConfig): ReferenceProcess {
  switch (config?.kind) {
    case 'vp':
      return vpReference(config);
    case 've':
      return veReference(config);
    case 'bm':
      return brownianReference(config);
    default:
      throw new RangeError(
        `reference.kind must be 'vp', 've' or 'bm', got ${JSON.stringify((config as { kind?: unknown })?.kind)}`,
      );
  }
}
