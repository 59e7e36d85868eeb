import { Rng } from '@bridgekit/core';
import type { Method, MethodOption, TrainedModel, TrainRequest, TrainSummary } from '@bridgekit/train';
import {
  type ForwardPolicy,
  type ForwardPolicyConfig,
  type ForwardStructure,
  forwardPolicyConfig,
  initForwardPolicy,
} from './forward-policy.js';
import { variationalOptions } from './method-options.js';
import { type ScheduleConfig, scheduleConfig, scheduleOf, trainVariational } from './train-variational.js';
import { readVariationalModel, variationalModel } from './variational-model.js';
import { vsdmFamily } from './vsdm-family.js';

const VSDM_OPTIONS: readonly MethodOption[] = [
  ...variationalOptions({ betaMax: 10, r: 1.7, zeta: 0.75 }),
  {
    name: 'structure',
    flag: 'structure',
    description: "A = U·diag(s)·Vᵀ ('full') or diag(a) ('diagonal')",
    type: 'string',
    default: 'full',
    choices: ['full', 'diagonal'],
  },
  {
    name: 'timeVarying',
    flag: 'time-varying',
    description: 'A_t = exp(h(t))·A with a small network h (official default) instead of a static A',
    type: 'boolean',
    default: false,
  },
];

/**
 * VSDM (Deng et al., ICML 2024; algorithms.md §2): a VP-SDE whose forward drift gains a learned linear
 * term, dx = −½β_t(I − 2A_t)x dt + √β_t dW. The backward network trains simulation-free on the
 * closed-form target √β_t(−L_t^{−T}ε − A_t x_t); A_t adapts by stochastic approximation on simulated
 * backward trajectories; sampling starts from the adaptive prior N(0, Σ_1).
 */
/** A loaded VSDM model: samples, and the forward policy A_t it was trained with. */
export type VsdmModel = TrainedModel & { readonly policy: ForwardPolicy };

export const vsdmMethod: Omit<Method, 'load'> & { load(dir: string): Promise<VsdmModel> } = {
  name: 'vsdm',
  description:
    'Variational Schrödinger diffusion (adaptive linear forward SDE, simulation-free backward score)',
  options: VSDM_OPTIONS,
  train(request: TrainRequest): Promise<TrainSummary> {
    return trainVariational('vsdm', request, (dim) => {
      const schedule = scheduleConfig(request.options);
      const policyConfig = forwardPolicyConfig({
        dim,
        structure: String(request.options.structure) as ForwardStructure,
        timeVarying: request.options.timeVarying === true,
      });
      return {
        family: vsdmFamily(scheduleOf(schedule), dim),
        initialPolicy: initForwardPolicy(policyConfig, new Rng(request.seed).fork('forward-init')),
        modelConfig: { schedule: { ...schedule }, policy: { ...policyConfig } },
      };
    });
  },
  async load(dir: string): Promise<VsdmModel> {
    const { config, tensors } = await readVariationalModel(dir, 'vsdm');
    const policyConfig = forwardPolicyConfig(config.policy as unknown as ForwardPolicyConfig);
    return variationalModel({
      dir,
      config,
      tensors,
      family: vsdmFamily(scheduleOf(config.schedule as unknown as ScheduleConfig), config.dim),
      initialPolicy: initForwardPolicy(policyConfig, new Rng(0)),
      defaultNfe: 100,
    });
  },
};
