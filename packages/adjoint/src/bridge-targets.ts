import type { RegressionRows } from './eam-targets.js';
import type { ReferenceProcess } from './reference-process.js';

/** The endpoints of n paths, row-major [n × dim] each. */
export interface EndpointPairs {
  readonly x0: Float32Array;
  readonly x1: Float32Array;
  readonly dim: number;
}

function rowsOf(where: string, pairs: EndpointPairs, t: Float32Array, eps?: Float32Array): number {
  const { x0, x1, dim } = pairs;
  const n = t.length;
  if (!Number.isSafeInteger(dim) || dim < 1)
    throw new RangeError(`${where}: dim must be an integer ≥ 1, got ${dim}`);
  for (const [name, a, len] of [
    ['x0', x0, n * dim],
    ['x1', x1, n * dim],
    ['eps', eps, n * dim],
  ] as const) {
    if (a !== undefined && a.length !== len) {
      throw new RangeError(
        `${where}: ${name} must hold n·dim = ${n}·${dim} = ${len} values (n = t.length), got ${a.length}`,
      );
    }
  }
  return n;
}

/** X_t ~ bridge(X₀, X₁) for row i, written into `out` at row i. */
function bridgePoint(
  reference: ReferenceProcess,
  pairs: EndpointPairs,
  i: number,
  t: number,
  eps: Float32Array,
  out: Float32Array,
): void {
  const { c0, c1, variance } = reference.bridge(t);
  const sd = Math.sqrt(variance);
  const { dim } = pairs;
  for (let k = 0; k < dim; k++) {
    const j = i * dim + k;
    out[j] = c0 * pairs.x0[j]! + c1 * pairs.x1[j]! + sd * eps[j]!;
  }
}

/**
 * Reciprocal adjoint matching (AS/ASBS, algorithms.md §5.2, §6.2): X_t ~ bridge(X₀, X₁) at t, and the
 * control's target −ã_t = −Φ(1, t)ã₁ — the lean adjoint of a linear reference (§1.5), constant for
 * BM/VE, e^{−½∫ₜ¹β}ã₁ for VP. `terminalAdjoint` is ã₁ = ∇E(X₁) + h(X₁) per row.
 */
export function reciprocalAdjointRows(options: {
  readonly reference: ReferenceProcess;
  readonly pairs: EndpointPairs;
  readonly terminalAdjoint: Float32Array;
  readonly t: Float32Array;
  readonly eps: Float32Array;
}): RegressionRows {
  const { reference, pairs, terminalAdjoint, t, eps } = options;
  const n = rowsOf('reciprocalAdjointRows', pairs, t, eps);
  if (terminalAdjoint.length !== n * pairs.dim) {
    throw new RangeError(
      `reciprocalAdjointRows: terminalAdjoint must hold n·dim = ${n * pairs.dim} values, got ${terminalAdjoint.length}`,
    );
  }
  const x = new Float32Array(n * pairs.dim);
  const target = new Float32Array(n * pairs.dim);
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    bridgePoint(reference, pairs, i, ti, eps, x);
    const phi = reference.transitionScale(ti, 1);
    for (let k = 0; k < pairs.dim; k++) {
      const j = i * pairs.dim + k;
      target[j] = -phi * terminalAdjoint[j]!;
    }
  }
  return { x, t: Float32Array.from(t), target };
}

/**
 * Corrector matching (ASBS, §6.2): h(X₁) ≈ ∇_{x₁} log p_ref(X₁ | X₀) = (Φ(1, 0)X₀ − X₁)/V(0, 1), the
 * network evaluated at t = 1.
 */
export function correctorRows(options: {
  readonly reference: ReferenceProcess;
  readonly pairs: EndpointPairs;
}): RegressionRows {
  const { reference, pairs } = options;
  const n = pairs.x0.length / pairs.dim;
  const t = new Float32Array(n).fill(1);
  rowsOf('correctorRows', pairs, t);
  const scale = reference.transitionScale(0, 1);
  const variance = reference.transitionVariance(0, 1);
  const target = new Float32Array(n * pairs.dim);
  for (let j = 0; j < target.length; j++) target[j] = (scale * pairs.x0[j]! - pairs.x1[j]!) / variance;
  return { x: Float32Array.from(pairs.x1), t, target };
}

/** Rows of ASBM's stage 2, see {@link bridgeMatchingRows}. */
export interface BridgeMatchingRows {
  readonly x: Float32Array;
  readonly t: Float32Array;
  /** √V(0, t)·∇_{x_t} log p_ref(X_t | X₀): the scaled backward-score target (noise-prediction scale). */
  readonly score: Float32Array;
  /**
   * The probability-flow velocity target a(t)X_t + ½g(t)²(∇_{x_t} log p_ref(X₁ | X_t) − ∇_{x_t} log p_ref(X_t | X₀)):
   * its regression on X_t is the velocity of the Markovised bridge process, which transports the coupling's
   * X₁ law to its X₀ law with the same marginals at every t.
   */
  readonly velocity: Float32Array;
}

/**
 * Bridge matching on a coupling (ASBM stage 2, §7.3, DSBM's Markovian projection): X_t ~ bridge(X₀, X₁)
 * at t ∈ (0, 1), with two targets: the backward score ∇ log φ̂_t = E[∇_{x_t} log p_ref(X_t | X₀) | X_t]
 * (scaled by √V(0, t), for the reverse SDE dX = (a x − g²s)dt + g dW̄) and the probability-flow velocity
 * (for the ODE, one network evaluation per step). On the Schrödinger-bridge coupling the velocity
 * equals §7.3's a x + ½g²(û − s), û the stage-1 control.
 */
export function bridgeMatchingRows(options: {
  readonly reference: ReferenceProcess;
  readonly pairs: EndpointPairs;
  readonly t: Float32Array;
  readonly eps: Float32Array;
}): BridgeMatchingRows {
  const { reference, pairs, t, eps } = options;
  const n = rowsOf('bridgeMatchingRows', pairs, t, eps);
  const { dim } = pairs;
  const x = new Float32Array(n * dim);
  const score = new Float32Array(n * dim);
  const velocity = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const ti = t[i]!;
    if (!(ti > 0 && ti < 1)) {
      throw new RangeError(`bridgeMatchingRows: t[${i}] must lie in (0, 1), got ${ti}`);
    }
    bridgePoint(reference, pairs, i, ti, eps, x);
    const m0 = reference.transitionScale(0, ti);
    const v0 = reference.transitionVariance(0, ti);
    const m1 = reference.transitionScale(ti, 1);
    const v1 = reference.transitionVariance(ti, 1);
    const a = reference.driftCoefficient(ti);
    const halfG2 = 0.5 * reference.diffusion(ti) ** 2;
    const sd0 = Math.sqrt(v0);
    for (let k = 0; k < dim; k++) {
      const j = i * dim + k;
      const xt = x[j]!;
      const backward = (m0 * pairs.x0[j]! - xt) / v0;
      const forward = (m1 * (pairs.x1[j]! - m1 * xt)) / v1;
      score[j] = backward * sd0;
      velocity[j] = a * xt + halfG2 * (forward - backward);
    }
  }
  return { x, t: Float32Array.from(t), score, velocity };
}
