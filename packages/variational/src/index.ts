import type { Method } from '@bridgekit/train';
import { vsdmMethod } from './vsdm-method.js';
import { vsmdMethod } from './vsmd-method.js';

export type { BackwardPolicy } from './backward-dynamics.js';
export { applyMatrix, backwardSde, probabilityFlowOde } from './backward-dynamics.js';
export type { VariationalFamily } from './family.js';
export { linearPolicyObjective, staticOptimalMatrix } from './forward-objective.js';
export type { ForwardPolicy, ForwardPolicyConfig, ForwardStructure, PolicyParams } from './forward-policy.js';
export {
  checkPolicyParams,
  clonePolicy,
  forwardPolicyConfig,
  fullFactors,
  initForwardPolicy,
  policyGradient,
  policyMatrix,
  policyMatrixAt,
  policyShapes,
  timeFactor,
} from './forward-policy.js';
export type { GridKernels } from './grid-kernels.js';
export { gridKernels } from './grid-kernels.js';
export type { Parameterization, TimeKernel } from './parameterization.js';
export { backwardPolicy, kernelLookup, timeKernel } from './parameterization.js';
export type { PolicyOptimizerConfig, PolicyOptimizerState } from './policy-optimizer.js';
export {
  checkPolicyOptimizer,
  initPolicyOptimizer,
  policyLearningRate,
  policyOptimizerStep,
} from './policy-optimizer.js';
export type { DataMoments, PriorKind, StatePrior } from './prior.js';
export { dataMoments, samplePrior, statePrior } from './prior.js';
export type { TrajectoryStatistics } from './trajectory-statistics.js';
export { trajectoryStatistics } from './trajectory-statistics.js';
export type { VariationalModelConfig } from './variational-model.js';
export { variationalModel } from './variational-model.js';
export type { VariationalTrainingOptions } from './variational-session.js';
export { stagePosition, trainingGrid, variationalSession } from './variational-session.js';
export { vsdmFamily } from './vsdm-family.js';
export type { VsdmModel } from './vsdm-method.js';
export type { MomentumPolicy, MomentumPolicyConfig } from './vsmd-family.js';
export {
  baseDamping,
  initMomentumPolicy,
  momentumPolicyConfig,
  stiffnessAndDamping,
  vsmdFamily,
} from './vsmd-family.js';
export type { VsmdModel } from './vsmd-method.js';
export { vsdmMethod, vsmdMethod };

/** The variational methods, as the CLI's method table lists them. */
export const variationalMethods: readonly Method[] = [vsdmMethod, vsmdMethod];
