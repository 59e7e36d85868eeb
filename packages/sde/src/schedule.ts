/**
 * A noise schedule β(t) ≥ 0 on [0, 1] with its integral B(t) = ∫₀ᵗ β(s) ds in closed form.
 * Implementations live one per file (constant, linear, power-VP, cosine).
 */
export interface Schedule {
  readonly name: string;
  beta(t: number): number;
  /** B(t) = ∫₀ᵗ β(s) ds. */
  integral(t: number): number;
}
