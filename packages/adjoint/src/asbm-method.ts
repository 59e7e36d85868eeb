import { resolve } from 'node:path';
import {
  baselineNetwork,
  checkSampleRequest,
  networkOptions,
  prepareData,
  runSampler,
} from '@bridgekit/baselines';
import { type JsonValue, loadModel } from '@bridgekit/checkpoint';
import { Rng, tf } from '@bridgekit/core';
import { type Normalization, normalize } from '@bridgekit/data';
import type { Graph } from '@bridgekit/nn';
import { eulerMaruyama, eulerOde, uniformGrid } from '@bridgekit/samplers';
import {
  type Method,
  type MethodOption,
  runTrainingLoop,
  type SampleRequest,
  type SampleResult,
  type TrainedModel,
  type TrainRequest,
  type TrainSummary,
} from '@bridgekit/train';
import { asbmStepPlan } from './asbm-plan.js';
import { type AsbmFields, type AsbmSettings, asbmSession, fieldsFromArrays } from './asbm-session.js';
import { simulateControlled } from './controlled-sde.js';
import { type Energy, gaussianEnergy } from './energy.js';
import { evaluateField } from './evaluate-field.js';
import { loadEnergy } from './load-energy.js';
import {
  type ReferenceConfig,
  type ReferenceProcess,
  referenceFromConfig,
  vpReference,
} from './reference-process.js';

/** Defaults of the ASBM options (2-D toys; algorithms.md §7.5 has no published values to follow). */
export const ASBM_DEFAULTS = {
  betaMin: 0.1,
  betaMax: 6,
  priorStd: 1,
  rounds: 4,
  bridgeFraction: 0.6,
  correctorShare: 1 / 3,
  paths: 512,
  resampleEvery: 20,
  bufferSize: 4096,
  forwardNfe: 20,
  gradClip: 100,
} as const;

/** Stage 2's times lie in [T0, 1 − T0]; sampling integrates from 1 down to T0. */
const T0 = 1e-3;

const ASBM_OPTIONS: readonly MethodOption[] = [
  ...networkOptions('silu'),
  {
    name: 'betaMin',
    flag: 'beta-min',
    description: 'β_min of the VP reference dX = −½βX dt + √β dW',
    type: 'number',
    default: ASBM_DEFAULTS.betaMin,
    min: 0,
  },
  {
    name: 'betaMax',
    flag: 'beta-max',
    description:
      'β_max of the VP reference: its degree of memorylessness (large: independent coupling, as diffusion)',
    type: 'number',
    default: ASBM_DEFAULTS.betaMax,
    min: 1e-6,
  },
  {
    name: 'prior',
    flag: 'prior',
    description:
      "the energy-defined prior: 'gaussian' (E = ‖x‖²/(2σ_p²)) or the path of an energy module exporting value(x), optionally gradient(x), and sample(n, dim, rng), which generation needs",
    type: 'string',
    default: 'gaussian',
  },
  {
    name: 'priorStd',
    flag: 'prior-std',
    description: "σ_p of the 'gaussian' prior E(x) = ‖x‖²/(2σ_p²)",
    type: 'number',
    default: ASBM_DEFAULTS.priorStd,
    min: 1e-6,
  },
  {
    name: 'rounds',
    flag: 'rounds',
    description: 'stage 1: alternations of corrector matching and adjoint matching',
    type: 'integer',
    default: ASBM_DEFAULTS.rounds,
    min: 1,
  },
  {
    name: 'bridgeFraction',
    flag: 'bridge-fraction',
    description: 'share of --steps given to stage 2 (bridge matching); stage 1 gets the rest',
    type: 'number',
    default: ASBM_DEFAULTS.bridgeFraction,
    min: 0.01,
    max: 0.99,
  },
  {
    name: 'correctorShare',
    flag: 'corrector-share',
    description: 'share of each stage-1 round spent on corrector matching (the rest on adjoint matching)',
    type: 'number',
    default: ASBM_DEFAULTS.correctorShare,
    min: 0.01,
    max: 0.99,
  },
  {
    name: 'paths',
    flag: 'paths',
    description: 'forward paths simulated per replay-buffer refresh',
    type: 'integer',
    default: ASBM_DEFAULTS.paths,
    min: 1,
  },
  {
    name: 'resampleEvery',
    flag: 'resample-every',
    description: 'gradient steps between replay-buffer refreshes',
    type: 'integer',
    default: ASBM_DEFAULTS.resampleEvery,
    min: 1,
  },
  {
    name: 'bufferSize',
    flag: 'buffer-size',
    description: 'endpoint pairs the replay buffer keeps',
    type: 'integer',
    default: ASBM_DEFAULTS.bufferSize,
    min: 1,
  },
  {
    name: 'forwardNfe',
    flag: 'forward-nfe',
    description: 'steps (network evaluations) of the forward controlled SDE simulation',
    type: 'integer',
    default: ASBM_DEFAULTS.forwardNfe,
    min: 1,
  },
  {
    name: 'gradClip',
    flag: 'grad-clip',
    description: 'rows of the energy gradient ∇E longer than this are scaled down to it',
    type: 'number',
    default: ASBM_DEFAULTS.gradClip,
    min: 1e-6,
  },
];

/** The JSON an ASBM model is saved with. */
export interface AsbmModelConfig {
  method: 'asbm';
  dim: number;
  normalization: Normalization;
  reference: ReferenceConfig;
  /** The built-in Gaussian prior, or an energy module (its absolute path, reloaded with the model). */
  prior: { kind: 'gaussian'; std: number } | { kind: 'module'; path: string; name: string };
  graph: Graph;
  t0: number;
  plan: { rounds: number; correctorSteps: number; adjointSteps: number; bridgeSteps: number };
}

/** A loaded ASBM model: samples from the prior, and simulates the learned forward coupling from data. */
export interface AsbmModel extends TrainedModel {
  readonly config: AsbmModelConfig;
  readonly reference: ReferenceProcess;
  /** The four trained fields (control, corrector, velocity, score); owned by the model. */
  readonly fields: AsbmFields;
  /**
   * The stage-1 coupling: X₁ of the controlled forward SDE from each row of `data` (data coordinates,
   * [n × dim]), with `steps` steps; returns X₁ in the prior's coordinates.
   */
  forward(data: Float32Array, options: { seed: number; steps?: number }): Float32Array;
  /**
   * The probability-flow field in the model's (normalised) coordinates: 'velocity' (the stage-2
   * velocity head, what `sample` integrates; one network evaluation) or 'stage-fields' (§7.3 as
   * written: a(t)x + ½g(t)²(û(x, t) − s(x, t)) from the stage-1 control and the stage-2 score; two).
   * Integrate it from t = 1 down to `config.t0` with any ODE sampler of @bridgekit/samplers.
   */
  probabilityFlow(kind: 'velocity' | 'stage-fields'): {
    readonly name: string;
    velocity(x: tf.Tensor2D, t: number): tf.Tensor2D;
  };
}

function settingsOf(request: TrainRequest): AsbmSettings {
  const o = request.options;
  const plan = asbmStepPlan(request.steps, {
    rounds: Number(o.rounds),
    bridgeFraction: Number(o.bridgeFraction),
    correctorShare: Number(o.correctorShare),
  });
  return {
    ...plan,
    paths: Number(o.paths),
    resampleEvery: Number(o.resampleEvery),
    bufferSize: Number(o.bufferSize),
    batch: request.batch,
    forwardSteps: Number(o.forwardNfe),
    lr: Number(o.lr),
    weightDecay: Number(o.weightDecay),
    gradClip: Number(o.gradClip),
    t0: T0,
  };
}

/**
 * ASBM (Shin et al. 2026; algorithms.md §7, reconstructed — see the package README): stage 1 learns
 * the forward Schrödinger bridge from the data to the energy-defined prior N(0, σ_p²I) by ASBS
 * (corrector and adjoint matching on a VP reference); stage 2 learns the generative direction by
 * bridge matching on the coupling stage 1 induces. `--steps` is split by {@link asbmStepPlan}.
 */
export const asbmMethod: Omit<Method, 'load'> & { load(dir: string): Promise<AsbmModel> } = {
  name: 'asbm',
  description:
    'Adjoint Schrödinger Bridge Matching (ASBS forward bridge to a Gaussian energy, then bridge matching)',
  options: ASBM_OPTIONS,
  async train(request: TrainRequest): Promise<TrainSummary> {
    const { points, dim, normalization } = prepareData(request);
    const settings = settingsOf(request);
    const reference = vpReference({
      betaMin: Number(request.options.betaMin),
      betaMax: Number(request.options.betaMax),
    });
    const { energy, config: priorConfig } = await resolvePrior(
      String(request.options.prior),
      Number(request.options.priorStd),
    );
    const graph = baselineNetwork(dim, request.options);
    const sessionOptions = {
      reference,
      energy,
      source: points,
      dim,
      graph,
      settings,
      seed: request.seed,
    };
    const modelConfig = {
      method: 'asbm',
      dim,
      normalization: { ...normalization },
      reference: { ...reference.config },
      prior: priorConfig,
      t0: T0,
      plan: {
        rounds: settings.rounds,
        correctorSteps: settings.correctorSteps,
        adjointSteps: settings.adjointSteps,
        bridgeSteps: settings.bridgeSteps,
      },
    } as unknown as { [key: string]: JsonValue };
    const result = await runTrainingLoop({
      out: request.out,
      method: 'asbm',
      mainPhase: 'bridge',
      steps: request.steps,
      checkpointEvery: request.checkpointEvery,
      resume: request.resume,
      fingerprint: {
        // --steps fixes the phase plan (asbmStepPlan), so a resume to another --steps would continue
        // on a different plan and match no uninterrupted run: refused, naming steps.
        steps: request.steps,
        options: { ...request.options },
        batch: request.batch,
        seed: request.seed,
        data: request.data.source,
      },
      create: () => asbmSession({ ...sessionOptions, modelConfig }),
      restore: (state, tensors) => asbmSession({ ...sessionOptions, modelConfig }, { state, tensors }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
    });
    return { method: 'asbm', ...result };
  },
  async load(dir: string): Promise<AsbmModel> {
    const model = await loadModel(dir);
    const config = model.config as unknown as AsbmModelConfig;
    if (config?.method !== 'asbm') {
      throw new Error(`${model.dir} holds a '${String(config?.method)}' model, not 'asbm'`);
    }
    const reference = referenceFromConfig(config.reference);
    const prior =
      config.prior.kind === 'module'
        ? await loadPriorModule(
            config.prior.path,
            `the model in ${model.dir} was trained with the prior module`,
          )
        : gaussianEnergy({ std: config.prior.std });
    const fields = fieldsFromArrays(config.graph, model.tensors, model.dir);
    return asbmModel(config, reference, fields, prior);
  },
};

/** The prior of an ASBM run: the built-in Gaussian, or a user's energy module (which must sample). */
async function resolvePrior(
  prior: string,
  std: number,
): Promise<{ energy: Energy; config: AsbmModelConfig['prior'] }> {
  if (prior === 'gaussian') return { energy: gaussianEnergy({ std }), config: { kind: 'gaussian', std } };
  const path = resolve(prior);
  const energy = await loadPriorModule(path, '--prior');
  return { energy, config: { kind: 'module', path, name: energy.name } };
}

/** An energy module usable as a prior: loadEnergy, and `sample` required. */
async function loadPriorModule(path: string, what: string): Promise<Energy> {
  let energy: Energy;
  try {
    energy = await loadEnergy(path);
  } catch (error) {
    throw new Error(`${what} ${path}: ${(error as Error).message}`);
  }
  if (energy.sample === undefined) {
    throw new Error(
      `${what} ${path}: the energy must also export sample(n, dim, rng) returning [n, dim] draws from e^{−E}; ASBM generates from its prior`,
    );
  }
  return energy;
}

/**
 * Sampling and the forward coupling of a trained (or in-training) ASBM model. `prior` is the energy
 * generation starts from; it defaults to the config's Gaussian, and a model with a module prior needs it.
 */
export function asbmModel(
  config: AsbmModelConfig,
  reference: ReferenceProcess,
  fields: AsbmFields,
  prior?: Energy,
): AsbmModel {
  const { dim, normalization, graph } = config;
  const start =
    prior ?? (config.prior.kind === 'gaussian' ? gaussianEnergy({ std: config.prior.std }) : undefined);
  if (start?.sample === undefined) {
    throw new Error(
      `asbmModel: the prior ${start?.name ?? `module ${(config.prior as { path: string }).path}`} must be given as an Energy with sample(n, dim, rng)`,
    );
  }
  const velocity = (x: tf.Tensor2D, t: number) => evaluateField(graph, fields.velocity, x, t);
  const score = (x: tf.Tensor2D, t: number) =>
    tf.tidy(
      () =>
        tf.mul(
          evaluateField(graph, fields.score, x, t),
          1 / Math.sqrt(reference.transitionVariance(0, t)),
        ) as tf.Tensor2D,
    );
  return {
    method: 'asbm',
    dim,
    config,
    reference,
    fields,
    async sample(request: SampleRequest): Promise<SampleResult> {
      const { nfe, paths } = checkSampleRequest(request, 100);
      const grid = uniformGrid(1, config.t0, nfe);
      const common = {
        ...(paths > 0 ? { record: true } : {}),
        ...(request.onProgress === undefined
          ? {}
          : {
              onStep: (s: { step: number; steps: number }) =>
                request.onProgress?.({ phase: 'sample', done: s.step + 1, total: s.steps }),
            }),
      };
      return runSampler(
        { config },
        request,
        paths,
        (x1, noise) =>
          request.solver === 'sde'
            ? eulerMaruyama(
                {
                  name: 'asbm reverse SDE',
                  timeDirection: 'backward',
                  drift: (x: tf.Tensor2D, t: number) =>
                    tf.tidy(
                      () =>
                        tf.sub(
                          tf.mul(x, reference.driftCoefficient(t)),
                          tf.mul(score(x, t), reference.diffusion(t) ** 2),
                        ) as tf.Tensor2D,
                    ),
                  diffusion: (t: number) => reference.diffusion(t),
                } as never,
                x1,
                grid,
                { ...common, rng: noise },
              )
            : eulerOde({ name: 'asbm probability flow', velocity } as never, x1, grid, common),
        (rng, n) => start.sample!(n, dim, rng),
      );
    },
    probabilityFlow(kind) {
      if (kind === 'velocity') return { name: 'asbm probability flow (velocity head)', velocity };
      if (kind !== 'stage-fields') {
        throw new RangeError(
          `probabilityFlow: kind must be 'velocity' or 'stage-fields', got ${JSON.stringify(kind)}`,
        );
      }
      return {
        name: 'asbm probability flow (control − score)',
        velocity: (x: tf.Tensor2D, t: number) =>
          tf.tidy(() => {
            const u = evaluateField(graph, fields.control, x, t);
            const drift = tf.mul(x, reference.driftCoefficient(t));
            return tf.add(
              drift,
              tf.mul(tf.sub(u, score(x, t)), 0.5 * reference.diffusion(t) ** 2),
            ) as tf.Tensor2D;
          }),
      };
    },
    forward(data, options) {
      const n = data.length / dim;
      if (!Number.isSafeInteger(n) || n < 1) {
        throw new RangeError(`forward: data must hold n·dim values (dim = ${dim}), got ${data.length}`);
      }
      const steps = options.steps ?? 20;
      const x0 = tf.tensor2d(normalize(data, dim, normalization), [n, dim]);
      const path = simulateControlled({
        reference,
        control: (x, t) => evaluateField(graph, fields.control, x, t),
        x0,
        steps,
        rng: new Rng(options.seed),
      });
      x0.dispose();
      const x1 = Float32Array.from(path.x1.dataSync());
      path.x1.dispose();
      return x1;
    },
    dispose() {
      for (const group of [fields.control, fields.corrector, fields.velocity, fields.score]) {
        tf.dispose(Object.values(group));
      }
    },
  };
}
