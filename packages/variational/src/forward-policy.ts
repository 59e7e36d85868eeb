import { Matrix, type Rng } from '@bridgekit/core';
import { orthogonalFrom, orthogonalGradient } from './orthogonal.js';

/**
 * Structure of VSDM's variational score matrix A (algorithms.md §2.2, §1.7):
 * - 'full': A = U·diag(s)·Vᵀ with U = expm(W_U − W_Uᵀ), V = expm(W_V − W_Vᵀ) orthogonal and s free
 *   (the official `LinearPolicy`, whose U and V are PyTorch orthogonal parametrisations);
 * - 'diagonal': A = diag(a) (the image variant's per-coordinate drift).
 * Both start at A = 0, so the first stage trains a plain VP-SDE.
 */
export type ForwardStructure = 'full' | 'diagonal';

/** The shape of a forward policy; plain JSON, saved with the model. */
export interface ForwardPolicyConfig {
  /** Data dimension d. */
  readonly dim: number;
  readonly structure: ForwardStructure;
  /**
   * A_t = c(t)·A with c(t) = exp(h(t)), h a small network of t (official time-varying `LinearPolicy`);
   * false: A_t ≡ A (the official `static` branch).
   */
  readonly timeVarying: boolean;
  /** Sinusoidal embedding size of h's input (official 128). */
  readonly embedDim: number;
  /** Hidden width of h (official 64). */
  readonly hidden: number;
  /** K: h embeds the step index t·K (official: interval 100). */
  readonly timeScale: number;
}

/** Named float64 parameters of a forward policy. */
export type PolicyParams = Record<string, Float64Array>;

/** A forward policy: its config and its named parameters (float64; tiny, so kept on the host). */
export interface ForwardPolicy {
  readonly config: ForwardPolicyConfig;
  readonly params: PolicyParams;
}

const MAX_PERIOD = 10_000;

/** Fills in defaults and validates a forward-policy config; errors name the field. */
export function forwardPolicyConfig(
  options: Partial<ForwardPolicyConfig> & { readonly dim: number },
): ForwardPolicyConfig {
  const config: ForwardPolicyConfig = {
    dim: options.dim,
    structure: options.structure ?? 'full',
    timeVarying: options.timeVarying ?? false,
    embedDim: options.embedDim ?? 128,
    hidden: options.hidden ?? 64,
    timeScale: options.timeScale ?? 100,
  };
  if (!Number.isSafeInteger(config.dim) || config.dim < 1) {
    throw new RangeError(`forward policy: dim must be a positive integer, got ${config.dim}`);
  }
  if (config.structure !== 'full' && config.structure !== 'diagonal') {
    throw new RangeError(
      `forward policy: structure must be 'full' or 'diagonal', got ${JSON.stringify(config.structure)}`,
    );
  }
  if (typeof config.timeVarying !== 'boolean') {
    throw new TypeError(`forward policy: timeVarying must be a boolean, got ${String(config.timeVarying)}`);
  }
  for (const key of ['embedDim', 'hidden'] as const) {
    if (!Number.isSafeInteger(config[key]) || config[key] < 2 || config[key] % 2 !== 0) {
      throw new RangeError(`forward policy: ${key} must be an even integer ≥ 2, got ${config[key]}`);
    }
  }
  if (!(config.timeScale > 0) || !Number.isFinite(config.timeScale)) {
    throw new RangeError(`forward policy: timeScale must be a positive number, got ${config.timeScale}`);
  }
  return config;
}

/**
 * A policy with A = 0 (s = 0, U = V = I) and, when time-varying, h ≡ 0 (its output layer is
 * zero-initialised, the official `zero_module`), so c(t) = 1. h's first layer is drawn like
 * PyTorch's `nn.Linear` default, U(±1/√fan_in), from `rng`.
 */
export function initForwardPolicy(config: ForwardPolicyConfig, rng: Rng): ForwardPolicy {
  const d = config.dim;
  const params: PolicyParams = {};
  if (config.structure === 'full') {
    params.u = new Float64Array(d * d);
    params.s = new Float64Array(d);
    params.v = new Float64Array(d * d);
  } else {
    params.a = new Float64Array(d);
  }
  if (config.timeVarying) {
    const bound = 1 / Math.sqrt(config.embedDim);
    const w1 = rng.uniform(config.embedDim * config.hidden);
    const b1 = rng.uniform(config.hidden);
    params['time.w1'] = Float64Array.from(w1, (u) => (2 * u - 1) * bound);
    params['time.b1'] = Float64Array.from(b1, (u) => (2 * u - 1) * bound);
    params['time.w2'] = new Float64Array(config.hidden);
  }
  return { config, params };
}

/** The parameter names and lengths a policy with this config must have. */
export function policyShapes(config: ForwardPolicyConfig): Record<string, number> {
  const d = config.dim;
  const shapes: Record<string, number> =
    config.structure === 'full' ? { u: d * d, s: d, v: d * d } : { a: d };
  if (config.timeVarying) {
    shapes['time.w1'] = config.embedDim * config.hidden;
    shapes['time.b1'] = config.hidden;
    shapes['time.w2'] = config.hidden;
  }
  return shapes;
}

/** Checks that `params` has exactly the arrays `config` needs, all finite; errors name the array. */
export function checkPolicyParams(config: ForwardPolicyConfig, params: PolicyParams, source: string): void {
  const shapes = policyShapes(config);
  for (const [name, length] of Object.entries(shapes)) {
    const p = params[name];
    if (!(p instanceof Float64Array) || p.length !== length) {
      throw new Error(
        `${source}: forward policy parameter '${name}' must be ${length} float64 values, got ${p === undefined ? 'nothing' : `${p.length}`}`,
      );
    }
    if (!p.every(Number.isFinite))
      throw new Error(`${source}: forward policy parameter '${name}' is not finite`);
  }
  for (const name of Object.keys(params)) {
    if (!(name in shapes)) throw new Error(`${source}: unexpected forward policy parameter '${name}'`);
  }
}

/** The orthogonal factors and singular values of a 'full' policy. */
export function fullFactors(policy: ForwardPolicy): { u: Matrix; s: Float64Array; v: Matrix } {
  const d = policy.config.dim;
  return {
    u: orthogonalFrom(policy.params.u!, d),
    s: policy.params.s!,
    v: orthogonalFrom(policy.params.v!, d),
  };
}

/** The static matrix A (d×d). */
export function policyMatrix(policy: ForwardPolicy): Matrix {
  if (policy.config.structure === 'diagonal') return Matrix.diag(policy.params.a!);
  const { u, s, v } = fullFactors(policy);
  return u.mul(Matrix.diag(s)).mul(v.transpose());
}

/** Hidden pre-activations, activations and output of h at t (for the value and its gradient). */
interface TimeNetPass {
  embed: Float64Array;
  pre: Float64Array;
  act: Float64Array;
  h: number;
}

function timeNetPass(policy: ForwardPolicy, t: number): TimeNetPass {
  const { embedDim, hidden, timeScale } = policy.config;
  const w1 = policy.params['time.w1']!;
  const b1 = policy.params['time.b1']!;
  const w2 = policy.params['time.w2']!;
  const half = embedDim / 2;
  const embed = new Float64Array(embedDim);
  for (let k = 0; k < half; k++) {
    const arg = t * timeScale * Math.exp((-Math.log(MAX_PERIOD) * k) / half);
    embed[k] = Math.cos(arg);
    embed[half + k] = Math.sin(arg);
  }
  const pre = Float64Array.from(b1);
  for (let e = 0; e < embedDim; e++) {
    const v = embed[e]!;
    for (let j = 0; j < hidden; j++) pre[j]! += v * w1[e * hidden + j]!;
  }
  const act = pre.map((z) => z / (1 + Math.exp(-z)));
  let h = 0;
  for (let j = 0; j < hidden; j++) h += w2[j]! * act[j]!;
  return { embed, pre, act, h };
}

/** c(t) = exp(h(t)) for a time-varying policy, 1 for a static one. */
export function timeFactor(policy: ForwardPolicy, t: number): number {
  return policy.config.timeVarying ? Math.exp(timeNetPass(policy, t).h) : 1;
}

/** A_t = c(t)·A. */
export function policyMatrixAt(policy: ForwardPolicy, t: number): Matrix {
  return policyMatrix(policy).scale(timeFactor(policy, t));
}

/**
 * Chain rule from ∂L/∂A (d×d, for the static matrix A) and ∂L/∂c(t_k) at times t_k to every named
 * parameter of the policy. Exact (float64): the orthogonal factors go through the adjoint Fréchet
 * derivative of expm, c(t) through h's two layers by hand.
 */
export function policyGradient(
  policy: ForwardPolicy,
  gradA: Matrix,
  timeGrad?: { readonly times: ArrayLike<number>; readonly gradC: ArrayLike<number> },
): PolicyParams {
  const d = policy.config.dim;
  const grads: PolicyParams = {};
  if (policy.config.structure === 'diagonal') {
    grads.a = Float64Array.from({ length: d }, (_, i) => gradA.get(i, i));
  } else {
    const { u, s, v } = fullFactors(policy);
    const sd = Matrix.diag(s);
    // A = U S Vᵀ: ∂L/∂U = G V S, ∂L/∂V = Gᵀ U S, ∂L/∂s_i = (Uᵀ G V)_ii.
    const gu = gradA.mul(v).mul(sd);
    const gv = gradA.transpose().mul(u).mul(sd);
    const utgv = u.transpose().mul(gradA).mul(v);
    grads.s = Float64Array.from({ length: d }, (_, i) => utgv.get(i, i));
    grads.u = orthogonalGradient(policy.params.u!, d, gu);
    grads.v = orthogonalGradient(policy.params.v!, d, gv);
  }
  if (policy.config.timeVarying) {
    const { embedDim, hidden } = policy.config;
    const w2 = policy.params['time.w2']!;
    const gw1 = new Float64Array(embedDim * hidden);
    const gb1 = new Float64Array(hidden);
    const gw2 = new Float64Array(hidden);
    if (timeGrad !== undefined) {
      for (let k = 0; k < timeGrad.times.length; k++) {
        const pass = timeNetPass(policy, timeGrad.times[k]!);
        // c = exp(h) ⇒ ∂L/∂h = ∂L/∂c · c.
        const gh = timeGrad.gradC[k]! * Math.exp(pass.h);
        if (gh === 0) continue;
        for (let j = 0; j < hidden; j++) {
          gw2[j]! += gh * pass.act[j]!;
          const z = pass.pre[j]!;
          const sig = 1 / (1 + Math.exp(-z));
          const gpre = gh * w2[j]! * sig * (1 + z * (1 - sig));
          gb1[j]! += gpre;
          for (let e = 0; e < embedDim; e++) gw1[e * hidden + j]! += gpre * pass.embed[e]!;
        }
      }
    }
    grads['time.w1'] = gw1;
    grads['time.b1'] = gb1;
    grads['time.w2'] = gw2;
  }
  return grads;
}

/** A deep copy of a policy's parameters. */
export function clonePolicy(policy: ForwardPolicy): ForwardPolicy {
  return {
    config: policy.config,
    params: Object.fromEntries(Object.entries(policy.params).map(([k, v]) => [k, Float64Array.from(v)])),
  };
}
