/**
 * Self-normalised importance sampling for tilt tests: E_{p*}[h] with p* ∝ p_base·e^{λr} from draws of
 * p_base, and its delta-method standard error √(Σ w̄ᵢ²(hᵢ − ĥ)²), w̄ the normalised weights.
 */
export interface Estimate {
  readonly mean: number;
  readonly se: number;
}

/** Normalised weights w̄ ∝ e^{λ rᵢ} (shifted by the maximum, so large rewards do not overflow). */
export function tiltWeights(rewards: ArrayLike<number>, lambda: number): Float64Array {
  let top = -Infinity;
  for (let i = 0; i < rewards.length; i++) top = Math.max(top, lambda * rewards[i]!);
  const w = Float64Array.from(rewards, (r) => Math.exp(lambda * r - top));
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

/** ĥ = Σ w̄ᵢhᵢ with its standard error. */
export function weightedMean(weights: Float64Array, h: (i: number) => number): Estimate {
  let mean = 0;
  for (let i = 0; i < weights.length; i++) mean += weights[i]! * h(i);
  let v = 0;
  for (let i = 0; i < weights.length; i++) v += weights[i]! ** 2 * (h(i) - mean) ** 2;
  return { mean, se: Math.sqrt(v) };
}
