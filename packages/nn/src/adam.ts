import { tf } from '@bridgekit/core';

/** Named tensors (parameters, gradients or moments), keyed by parameter name. */
export type NamedTensors = Record<string, tf.Tensor>;

/** Adam's state: the step count t (updates done so far) and the first and second moments. */
export interface AdamState {
  step: number;
  m: NamedTensors;
  v: NamedTensors;
}

/** Hyperparameters of {@link adam} and {@link adamw}; defaults are PyTorch's. */
export interface AdamOptions {
  /** Learning rate of this update. */
  lr: number;
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  eps?: number;
  /** Weight decay λ (default 0): L2 (g ← g + λp) for adam, decoupled for adamw. */
  weightDecay?: number;
}

/** The new parameters and state of an optimiser update; all tensors are new and owned by the caller. */
export interface OptimizerUpdate {
  params: NamedTensors;
  state: AdamState;
}

/** Zero first and second moments for `params`, step 0. The caller owns the new tensors. */
export function initAdamState(params: NamedTensors): AdamState {
  const m: NamedTensors = {};
  const v: NamedTensors = {};
  for (const [name, p] of Object.entries(params)) {
    m[name] = tf.zerosLike(p);
    v[name] = tf.zerosLike(p);
  }
  return { step: 0, m, v };
}

/**
 * Adam's bias corrections 1 − β₁^t and 1 − β₂^t, computed in float64 on the host: in float32,
 * 0.999 rounds to 0.99900001287 and 0.999^t drifts by t·1.3e-8 relative (1.3e-5 at t = 1000).
 */
export function adamBiasCorrections(
  step: number,
  beta1: number,
  beta2: number,
): { bc1: number; bc2: number } {
  return { bc1: 1 - beta1 ** step, bc2: 1 - beta2 ** step };
}

/**
 * One Adam update (Kingma & Ba 2015, Algorithm 1, as PyTorch's `torch.optim.Adam`): with
 * t = state.step + 1 and g ← g + λp when weightDecay λ > 0 (coupled L2),
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − lr·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁^t),
 * v̂ = v/(1 − β₂^t), the corrections computed in float64 ({@link adamBiasCorrections}).
 *
 * Pure: returns new parameter and moment tensors; the caller disposes the inputs when done.
 * Every parameter needs a gradient of the same shape.
 */
export function adam(
  params: NamedTensors,
  grads: NamedTensors,
  state: AdamState,
  options: AdamOptions,
): OptimizerUpdate {
  return adamUpdate(params, grads, state, options, 'coupled');
}

/**
 * The shared Adam/AdamW step; `decay` says whether weightDecay is an L2 term added to the
 * gradient ('coupled', Adam) or a shrink p ← p(1 − lr·λ) applied beside the Adam step
 * ('decoupled', AdamW). Internal: use {@link adam} or {@link adamw}.
 */
export function adamUpdate(
  params: NamedTensors,
  grads: NamedTensors,
  state: AdamState,
  options: AdamOptions,
  decay: 'coupled' | 'decoupled',
): OptimizerUpdate {
  const name = decay === 'coupled' ? 'adam' : 'adamw';
  const { lr } = options;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const weightDecay = options.weightDecay ?? 0;
  if (!Number.isFinite(lr) || lr < 0)
    throw new RangeError(`${name}: lr must be a finite number ≥ 0, got ${lr}`);
  for (const [key, b] of [
    ['beta1', beta1],
    ['beta2', beta2],
  ] as const) {
    if (!(b >= 0 && b < 1)) throw new RangeError(`${name}: ${key} must be in [0, 1), got ${b}`);
  }
  if (!(eps > 0)) throw new RangeError(`${name}: eps must be positive, got ${eps}`);
  if (!(weightDecay >= 0)) throw new RangeError(`${name}: weightDecay must be ≥ 0, got ${weightDecay}`);
  if (!Number.isInteger(state.step) || state.step < 0) {
    throw new RangeError(`${name}: state.step must be a non-negative integer, got ${state.step}`);
  }

  // Checked before any tensor is made, so a bad call leaks nothing.
  for (const [key, p] of Object.entries(params)) {
    const g = grads[key];
    if (g === undefined) throw new RangeError(`${name}: grads has no entry for parameter '${key}'`);
    if (state.m[key] === undefined || state.v[key] === undefined) {
      throw new RangeError(`${name}: state.m / state.v have no entry for parameter '${key}'`);
    }
    if (g.size !== p.size) {
      throw new RangeError(
        `${name}: grads['${key}'] has shape [${g.shape.join(', ')}], parameter is [${p.shape.join(', ')}]`,
      );
    }
  }

  const step = state.step + 1;
  const { bc1, bc2 } = adamBiasCorrections(step, beta1, beta2);
  const out: OptimizerUpdate = { params: {}, state: { step, m: {}, v: {} } };
  tf.tidy(() => {
    // Scalars folded on the host in float64: p − (lr/bc1)·m / (√v·(1/√bc2) + ε).
    const s = {
      beta1: tf.scalar(beta1),
      oneMinusBeta1: tf.scalar(1 - beta1),
      beta2: tf.scalar(beta2),
      oneMinusBeta2: tf.scalar(1 - beta2),
      stepSize: tf.scalar(lr / bc1),
      invSqrtBc2: tf.scalar(1 / Math.sqrt(bc2)),
      eps: tf.scalar(eps),
      l2: tf.scalar(weightDecay),
      shrink: tf.scalar(1 - lr * weightDecay),
    };
    for (const [key, p] of Object.entries(params)) {
      const g0 = grads[key]!;
      const m0 = state.m[key]!;
      const v0 = state.v[key]!;
      const g = decay === 'coupled' && weightDecay > 0 ? tf.add(g0, tf.mul(s.l2, p)) : g0;
      const m = tf.add(tf.mul(s.beta1, m0), tf.mul(s.oneMinusBeta1, g));
      const v = tf.add(tf.mul(s.beta2, v0), tf.mul(s.oneMinusBeta2, tf.square(g)));
      const update = tf.div(tf.mul(s.stepSize, m), tf.add(tf.mul(tf.sqrt(v), s.invSqrtBc2), s.eps));
      const base = decay === 'decoupled' && weightDecay > 0 ? tf.mul(p, s.shrink) : p;
      out.params[key] = tf.keep(tf.sub(base, update));
      out.state.m[key] = tf.keep(m);
      out.state.v[key] = tf.keep(v);
    }
  });
  return out;
}
