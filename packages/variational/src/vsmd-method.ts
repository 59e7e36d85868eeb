import type { Method, MethodOption, TrainedModel, TrainRequest, TrainSummary } from '@bridgekit/train';
import { variationalOptions } from './method-options.js';
import { type ScheduleConfig, scheduleConfig, scheduleOf, trainVariational } from './train-variational.js';
import { readVariationalModel, variationalModel } from './variational-model.js';
import {
  initMomentumPolicy,
  type MomentumPolicy,
  type MomentumPolicyConfig,
  momentumPolicyConfig,
  vsmdFamily,
} from './vsmd-family.js';

const VSMD_OPTIONS: readonly MethodOption[] = [
  // The VSCLD README's toy runs use a constant β = 5: r = 0 makes β(t) ≡ β_max.
  ...variationalOptions({ betaMax: 5, r: 0, zeta: 0.75 }),
  {
    name: 'dampingRatio',
    flag: 'damping-ratio',
    description: 'ζ_d: 1 critical damping, 0.7 underdamped',
    type: 'number',
    default: 1,
    min: 0.01,
  },
  {
    name: 'mass',
    flag: 'mass',
    description: 'mass M of the velocity',
    type: 'number',
    default: 0.25,
    min: 1e-6,
  },
  {
    name: 'gamma0',
    flag: 'gamma0',
    description: 'initial velocity scale: v₀ ~ N(0, γ₀M)',
    type: 'number',
    default: 0.04,
    min: 0,
  },
];

/**
 * VSMD (Rojas et al., AISTATS 2025; algorithms.md §3, partly reconstructed): the momentum version of
 * VSDM. Phase space (x, v), noise on the velocity only, a learned stiffness K with the damping set by
 * the critical-damping transform C = 2ζ_d(K/M)^{1/2}; the backward network predicts the velocity
 * score only. See the package README for which parts are reconstructions.
 */
/** A loaded VSMD model: samples, and the momentum policy (stiffness K) it was trained with. */
export type VsmdModel = TrainedModel & { readonly policy: MomentumPolicy };

export const vsmdMethod: Omit<Method, 'load'> & { load(dir: string): Promise<VsmdModel> } = {
  name: 'vsmd',
  description: 'Variational Schrödinger momentum diffusion (phase space, critical-damping transform)',
  options: VSMD_OPTIONS,
  train(request: TrainRequest): Promise<TrainSummary> {
    return trainVariational('vsmd', request, (dim) => {
      const schedule = scheduleConfig(request.options);
      const policyConfig = momentumPolicyConfig({
        dim,
        mass: Number(request.options.mass),
        dampingRatio: Number(request.options.dampingRatio),
        gamma0: Number(request.options.gamma0),
      });
      return {
        family: vsmdFamily(scheduleOf(schedule), policyConfig),
        initialPolicy: initMomentumPolicy(policyConfig),
        modelConfig: { schedule: { ...schedule }, policy: { ...policyConfig } },
      };
    });
  },
  async load(dir: string): Promise<VsmdModel> {
    const { config, tensors } = await readVariationalModel(dir, 'vsmd');
    const policyConfig = momentumPolicyConfig(config.policy as unknown as MomentumPolicyConfig);
    return variationalModel({
      dir,
      config,
      tensors,
      family: vsmdFamily(scheduleOf(config.schedule as unknown as ScheduleConfig), policyConfig),
      initialPolicy: initMomentumPolicy(policyConfig),
      defaultNfe: 100,
    });
  },
};
