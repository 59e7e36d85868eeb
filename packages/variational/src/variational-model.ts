import { checkSampleRequest } from '@bridgekit/baselines';
import { type JsonValue, loadModel, type NamedArray } from '@bridgekit/checkpoint';
import { Rng, tf } from '@bridgekit/core';
import { denormalize, type Normalization } from '@bridgekit/data';
import { apply, type Graph, type Params } from '@bridgekit/nn';
import { eulerMaruyama, eulerOde, heunOde, uniformGrid } from '@bridgekit/samplers';
import type { SampleRequest, SampleResult, TrainedModel } from '@bridgekit/train';
import { type BackwardPolicy, backwardSde, probabilityFlowOde } from './backward-dynamics.js';
import type { VariationalFamily } from './family.js';
import type { PolicyParams } from './forward-policy.js';
import { gridKernels } from './grid-kernels.js';
import { backwardPolicy, kernelLookup, type Parameterization } from './parameterization.js';
import { type DataMoments, type PriorKind, samplePrior, statePrior } from './prior.js';
import { readPolicyArrays } from './variational-session.js';

/** The JSON a VSDM/VSMD model is saved with (besides method-specific keys). */
export interface VariationalModelConfig {
  method: string;
  dim: number;
  normalization: Normalization;
  graph: Graph;
  t0: number;
  [key: string]: JsonValue | Graph | Normalization;
}

/**
 * A trained variational model: samples by the backward SDE ('sde', Euler–Maruyama) or the
 * probability-flow ODE ('ode', Euler) from the adaptive prior N(0, Σ_1) of the learned forward SDE,
 * on `nfe` uniform steps from t = 1 to t₀, and returns the data block (x of (x, v) for VSMD). With
 * `pairs`, `starts` is the data block of the prior draw each sample started from, in the model's
 * (normalised) coordinates, as drawn from N(0, Σ_1).
 */
export function variationalModel<P>(options: {
  readonly dir: string;
  readonly config: VariationalModelConfig;
  readonly tensors: Record<string, NamedArray>;
  readonly family: VariationalFamily<P>;
  readonly initialPolicy: P;
  readonly defaultNfe: number;
}): TrainedModel & { readonly policy: P } {
  const { config, family } = options;
  const params: Params = {};
  for (const [name, a] of Object.entries(options.tensors)) {
    if (!name.startsWith('params/')) continue;
    if (a.dtype !== 'F32') throw new Error(`${options.dir}: tensor '${name}' is ${a.dtype}, expected F32`);
    params[name.slice('params/'.length)] = tf.tensor(a.data as Float32Array, [...a.shape]);
  }
  if (Object.keys(params).length === 0)
    throw new Error(`${options.dir}: no network weights ('params/…') in the model`);
  const policyParams: PolicyParams = readPolicyArrays(
    options.tensors,
    'policy/',
    family.params(options.initialPolicy),
    options.dir,
  );
  const policy = family.withParams(options.initialPolicy, policyParams);
  const priorKind = (config.prior ?? 'adaptive') as PriorKind;
  if (priorKind !== 'adaptive' && priorKind !== 'moment-matched' && priorKind !== 'reference') {
    throw new Error(`${options.dir}: unknown prior ${JSON.stringify(priorKind)} in the model`);
  }
  const final = gridKernels(family.forwardSde(policy), [1]);
  const prior = statePrior(
    family,
    priorKind,
    final.mean[0]!,
    final.cov[0]!,
    config.moments as unknown as DataMoments | undefined,
  );
  const D = family.stateDim;
  const d = family.dataDim;
  const raw = (z: tf.Tensor2D, t: number) =>
    tf.tidy(() => apply(config.graph, params, z, tf.fill([z.shape[0]], t) as tf.Tensor1D) as tf.Tensor2D);
  const parameterization = (config.parameterization ?? 'score') as Parameterization;
  if (parameterization !== 'score' && parameterization !== 'noise') {
    throw new Error(
      `${options.dir}: unknown parameterization ${JSON.stringify(parameterization)} in the model`,
    );
  }
  const zhat: BackwardPolicy = backwardPolicy(family, parameterization, raw, kernelLookup(family, policy));
  /** The data block of each state row (x of (x, v) for VSMD), as it is: the prior's coordinates. */
  const dataBlock = (flat: Float32Array, rows: number): Float32Array => {
    const out = new Float32Array(rows * d);
    for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) out[i * d + j] = flat[i * D + j]!;
    return out;
  };
  const project = (flat: Float32Array, rows: number): Float32Array =>
    denormalize(dataBlock(flat, rows), d, config.normalization);
  return {
    method: config.method,
    dim: d,
    policy,
    async sample(request: SampleRequest): Promise<SampleResult> {
      const { nfe, paths } = checkSampleRequest(request, options.defaultNfe);
      if (request.solver !== undefined && request.solver !== 'sde' && request.solver !== 'ode') {
        throw new RangeError(`solver must be 'sde' or 'ode', got ${JSON.stringify(request.solver)}`);
      }
      const rng = new Rng(request.seed);
      const start = samplePrior(prior, request.n, rng.fork('prior'));
      // Heun spends 2 evaluations per step: nfe evaluations buy ⌈nfe/2⌉ steps.
      const heun = request.solver === 'ode' && family.odeSolver === 'heun';
      const grid = uniformGrid(1, config.t0, heun ? Math.max(1, Math.ceil(nfe / 2)) : nfe);
      const onStep =
        request.onProgress === undefined
          ? undefined
          : (s: { step: number; steps: number }) =>
              request.onProgress?.({ phase: 'sample', done: s.step + 1, total: s.steps });
      const common = { ...(paths > 0 ? { record: true } : {}), ...(onStep === undefined ? {} : { onStep }) };
      const x0 = tf.tensor2d(start, [request.n, D]);
      try {
        const result =
          request.solver === 'ode'
            ? (heun ? heunOde : eulerOde)(probabilityFlowOde(family, policy, zhat), x0, grid, common)
            : eulerMaruyama(backwardSde(family, zhat), x0, grid, { ...common, rng: rng.fork('noise') });
        const samples = project(result.x.dataSync() as Float32Array, request.n);
        result.x.dispose();
        const out: SampleResult = {
          samples,
          dim: d,
          nfe: result.nfe,
          ...(request.pairs ? { starts: dataBlock(start, request.n) } : {}),
        };
        if (paths > 0 && result.trajectory !== undefined) {
          return {
            ...out,
            trajectories: {
              t: Array.from(result.trajectory.t),
              states: result.trajectory.states.map((s) => project(s.subarray(0, paths * D), paths)),
            },
          };
        }
        return out;
      } finally {
        x0.dispose();
      }
    },
    dispose() {
      for (const t of Object.values(params)) t.dispose();
    },
  };
}

/** Reads `<dir>/model/` (or a checkpoint directory) and checks it holds a `method` model. */
export async function readVariationalModel(
  dir: string,
  method: string,
): Promise<{ config: VariationalModelConfig; tensors: Record<string, NamedArray> }> {
  const model = await loadModel(dir);
  const config = model.config as unknown as VariationalModelConfig;
  if (config?.method !== method) {
    throw new Error(`${model.dir} holds a '${String(config?.method)}' model, not '${method}'`);
  }
  return { config, tensors: model.tensors };
}
