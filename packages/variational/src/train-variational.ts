import { prepareData } from '@bridgekit/baselines';
import type { JsonValue } from '@bridgekit/checkpoint';
import { type Graph, mlp } from '@bridgekit/nn';
import { powerSchedule, type Schedule } from '@bridgekit/sde';
import { runTrainingLoop, type TrainRequest, type TrainSummary } from '@bridgekit/train';
import type { VariationalFamily } from './family.js';
import { policyOptimizerOf, stageLayout } from './method-options.js';
import { checkPolicyOptimizer } from './policy-optimizer.js';
import { dataMoments, type PriorKind } from './prior.js';
import { variationalSession } from './variational-session.js';

/** Smallest training and sampling time (VSDM t₀). */
export const T0 = 1e-3;

type Options = Readonly<Record<string, number | string | boolean>>;

/** The schedule config saved with a model. */
export interface ScheduleConfig {
  betaMin: number;
  betaMax: number;
  r: number;
}

export function scheduleConfig(options: Options): ScheduleConfig {
  return { betaMin: Number(options.betaMin), betaMax: Number(options.betaMax), r: Number(options.r) };
}

export function scheduleOf(c: ScheduleConfig): Schedule {
  return powerSchedule({ betaMin: c.betaMin, betaMax: c.betaMax, r: c.r });
}

/** The backward network: an MLP on [z, t] (D + 1 inputs) to ẑ on the noisy coordinates. */
export function backwardNetwork(stateDim: number, outputDim: number, options: Options): Graph {
  return mlp({
    inputDim: stateDim,
    outputDim,
    hidden: Array.from({ length: Number(options.depth) }, () => Number(options.width)),
    activation: String(options.activation) as 'silu',
    timeEmbedding: { kind: 'raw' },
  });
}

/**
 * Trains a variational method through the shared resumable loop. `makeFamily` builds the family from
 * the normalised data's dimension; the model config records everything `load` needs.
 */
export async function trainVariational<P>(
  method: string,
  request: TrainRequest,
  build: (dim: number) => {
    family: VariationalFamily<P>;
    initialPolicy: P;
    modelConfig: { readonly [key: string]: JsonValue };
  },
): Promise<TrainSummary> {
  const { points, dim, normalization } = prepareData(request);
  const o = request.options;
  const layout = stageLayout(request.steps, o);
  const policyOptimizer = policyOptimizerOf(o);
  checkPolicyOptimizer(policyOptimizer);
  const { family, initialPolicy, modelConfig } = build(dim);
  const graph = backwardNetwork(family.stateDim, family.noisy.length, o);
  const options = {
    family,
    initialPolicy,
    graph,
    data: points,
    seed: request.seed,
    grid: Number(o.grid),
    parameterization: o.parameterization === 'score' ? ('score' as const) : ('noise' as const),
    prior: o.prior as PriorKind,
    trajectoryPrior: o.trajectoryPrior as PriorKind,
    moments: dataMoments(points, dim),
    t0: T0,
    dsmSteps: layout.dsmSteps,
    saSteps: layout.saSteps,
    batch: request.batch,
    samplePaths: Number(o.samplePaths),
    saBatch: Number(o.saBatch),
    zeta: Number(o.zeta),
    lr: Number(o.lr),
    weightDecay: Number(o.weightDecay),
    emaDecay: Number(o.emaDecay),
    policyOptimizer,
    modelConfig: {
      ...modelConfig,
      method,
      dim,
      normalization: { ...normalization },
      t0: T0,
      stages: layout.stages,
    },
  };
  const result = await runTrainingLoop({
    out: request.out,
    method,
    steps: request.steps,
    checkpointEvery: request.checkpointEvery,
    resume: request.resume,
    fingerprint: { options: { ...o }, batch: request.batch, seed: request.seed, data: request.data.source },
    create: () => variationalSession(options),
    restore: (state, tensors) => variationalSession(options, { state, tensors }),
    ...(request.onProgress === undefined
      ? {}
      : {
          onProgress: (p) => {
            const stage = Math.min(
              layout.stages,
              Math.floor((p.done - 1) / (layout.dsmSteps + layout.saSteps)) + 1,
            );
            request.onProgress?.({ ...p, phase: `stage ${stage}/${layout.stages} ${p.phase}` });
          },
        }),
  });
  return { method, ...result };
}
