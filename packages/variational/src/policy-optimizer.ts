import type { PolicyParams } from './forward-policy.js';

/**
 * Step-size rule of the forward (stochastic-approximation) update of A (algorithms.md §2.5 b):
 * - 'adamw': the official code's AdamW with StepLR(every 1000 steps, ×0.99); the orthogonal factors
 *   (parameters 'u', 'v') use `lrOrthogonal` (official 2e-4), everything else `lr` (1e-3);
 * - 'robbins-monro': plain SGD with η_k = lr / (k + k0)^α, α ∈ (½, 1], the decreasing steps the
 *   paper's convergence theory assumes (k counts updates from 0).
 */
export type PolicyOptimizerConfig =
  | {
      readonly kind: 'adamw';
      readonly lr: number;
      readonly lrOrthogonal: number;
      readonly weightDecay: number;
      readonly stepEvery: number;
      readonly gamma: number;
    }
  | { readonly kind: 'robbins-monro'; readonly lr: number; readonly k0: number; readonly alpha: number };

/** Optimiser state: the update count and, for AdamW, the moments (float64). */
export interface PolicyOptimizerState {
  step: number;
  m: PolicyParams;
  v: PolicyParams;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;
const ORTHOGONAL = new Set(['u', 'v']);

/** Validates a step-size rule; errors name the field and its valid range. */
export function checkPolicyOptimizer(config: PolicyOptimizerConfig): void {
  const positive = (name: string, value: number) => {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`forward optimiser: ${name} must be a finite number > 0, got ${value}`);
    }
  };
  if (config.kind === 'adamw') {
    positive('lr', config.lr);
    positive('lrOrthogonal', config.lrOrthogonal);
    positive('stepEvery', config.stepEvery);
    positive('gamma', config.gamma);
    if (!(config.weightDecay >= 0)) {
      throw new RangeError(`forward optimiser: weightDecay must be ≥ 0, got ${config.weightDecay}`);
    }
  } else if (config.kind === 'robbins-monro') {
    positive('lr', config.lr);
    if (!(config.k0 >= 1) || !Number.isFinite(config.k0)) {
      throw new RangeError(`forward optimiser: k0 must be a finite number ≥ 1, got ${config.k0}`);
    }
    if (!(config.alpha > 0.5 && config.alpha <= 1)) {
      throw new RangeError(
        `forward optimiser: alpha must be in (0.5, 1] (Robbins–Monro: Σ η = ∞, Σ η² < ∞), got ${config.alpha}`,
      );
    }
  } else {
    throw new RangeError(
      `forward optimiser: kind must be 'adamw' or 'robbins-monro', got ${JSON.stringify((config as { kind: unknown }).kind)}`,
    );
  }
}

/** Zero moments for these parameters. */
export function initPolicyOptimizer(params: PolicyParams): PolicyOptimizerState {
  const zeros = () =>
    Object.fromEntries(Object.entries(params).map(([k, p]) => [k, new Float64Array(p.length)]));
  return { step: 0, m: zeros(), v: zeros() };
}

/** The step size of update number `step` (0-based) for parameter `name`. */
export function policyLearningRate(config: PolicyOptimizerConfig, step: number, name: string): number {
  if (config.kind === 'robbins-monro') return config.lr / (step + config.k0) ** config.alpha;
  const base = ORTHOGONAL.has(name) ? config.lrOrthogonal : config.lr;
  return base * config.gamma ** Math.floor(step / config.stepEvery);
}

/** One update of `params` in place from `grads`; advances `state`. */
export function policyOptimizerStep(
  config: PolicyOptimizerConfig,
  state: PolicyOptimizerState,
  params: PolicyParams,
  grads: PolicyParams,
): void {
  const step = state.step;
  if (config.kind === 'robbins-monro') {
    for (const [name, p] of Object.entries(params)) {
      const g = grads[name]!;
      const lr = policyLearningRate(config, step, name);
      for (let i = 0; i < p.length; i++) p[i]! -= lr * g[i]!;
    }
  } else {
    // Bias corrections in float64 (float32 1 − 0.999^t is off by ~1e-5 relative: environment.md).
    const c1 = 1 - BETA1 ** (step + 1);
    const c2 = 1 - BETA2 ** (step + 1);
    for (const [name, p] of Object.entries(params)) {
      const g = grads[name]!;
      const m = state.m[name]!;
      const v = state.v[name]!;
      const lr = policyLearningRate(config, step, name);
      for (let i = 0; i < p.length; i++) {
        p[i]! *= 1 - lr * config.weightDecay;
        m[i] = BETA1 * m[i]! + (1 - BETA1) * g[i]!;
        v[i] = BETA2 * v[i]! + (1 - BETA2) * g[i]! * g[i]!;
        p[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + EPS);
      }
    }
  }
  state.step = step + 1;
}
