export type { AdjointPath, AdjointSolution } from './adjoint-path.js';
export type { AdjointMatchingRowsOptions } from './am-targets.js';
export { adjointMatchingRows, subsampleTimesteps } from './am-targets.js';
// ASBS / ASBM: references, energies, the controlled forward SDE, bridge targets, the session and the method.
export type { AsbmModel, AsbmModelConfig } from './asbm-method.js';
export { ASBM_DEFAULTS, asbmMethod, asbmModel } from './asbm-method.js';
export type { AsbmStepPlan } from './asbm-plan.js';
export { asbmStepPlan } from './asbm-plan.js';
export type { AsbmFields, AsbmPhase, AsbmSession, AsbmSessionOptions, AsbmSettings } from './asbm-session.js';
export { asbmSession, fieldsFromArrays } from './asbm-session.js';
export type { BridgeMatchingRows, EndpointPairs } from './bridge-targets.js';
export { bridgeMatchingRows, correctorRows, reciprocalAdjointRows } from './bridge-targets.js';
export type { BuiltInReward, ResolveRewardOptions } from './built-in-rewards.js';
export { BUILT_IN_REWARDS, DEFAULT_MODE_WEIGHTS, resolveReward } from './built-in-rewards.js';
export type { Control, ControlledPath, SimulateControlledOptions } from './controlled-sde.js';
export { simulateControlled } from './controlled-sde.js';
export type { DiscreteAdjointOptions, StepMap } from './discrete-adjoint.js';
export { discreteAdjoint } from './discrete-adjoint.js';
export type { EamRegressionRowsOptions, EamTerminalGradientOptions, RegressionRows } from './eam-targets.js';
export { eamRegressionRows, eamTerminalGradient, tweedieScore } from './eam-targets.js';
export type { Energy, GaussianEnergyOptions } from './energy.js';
export { gaussianEnergy } from './energy.js';
export type { CouplingEstimate } from './estimate-coupling.js';
export { estimateCoupling } from './estimate-coupling.js';
export { evaluateField } from './evaluate-field.js';
export type { FinetuneMethod, FinetuneRequest, FinetuneSummary } from './finetune-method.js';
export {
  adjointMatchingMethod,
  efficientAdjointMatchingMethod,
  FINETUNABLE_METHODS,
  finetuneMethods,
} from './finetune-method.js';
export type {
  FinetuneCost,
  FinetuneMethodName,
  FinetuneSession,
  FinetuneSessionOptions,
  FinetuneSettings,
} from './finetune-session.js';
export { finetuneSession } from './finetune-session.js';
export type { FitTerminalScoreOptions, FittedScore } from './fit-terminal-score.js';
export { evaluateFittedScore, fitTerminalScore } from './fit-terminal-score.js';
export type { DiagonalGaussian, GaussianTiltOptions } from './gaussian-tilt.js';
export { gaussianTilt } from './gaussian-tilt.js';
export type { GaussianTiltReward, GaussianTiltRewardOptions } from './gaussian-tilt-reward.js';
export { gaussianTiltReward } from './gaussian-tilt-reward.js';
export type { GaussianTiltedMixtureOptions } from './gaussian-tilted-mixture.js';
export { gaussianTiltedMixture } from './gaussian-tilted-mixture.js';
export type { DriftFn, LeanAdjointEulerOptions } from './lean-adjoint-euler.js';
export { leanAdjointEuler } from './lean-adjoint-euler.js';
export type { LinearAdjointOptions, LinearAdjointSde, LinearAdjointSolution } from './linear-adjoint.js';
export { adjointPropagator, linearAdjoint } from './linear-adjoint.js';
export { loadEnergy } from './load-energy.js';
export type { LoadRewardOptions } from './load-reward.js';
export { loadReward } from './load-reward.js';
export type { MemorylessStepCoefficients, SampleMemorylessFlowOptions, Velocity } from './memoryless-flow.js';
export {
  linearBaseGain,
  linearBasePhi,
  linearBaseSpread,
  memorylessFlowStep,
  memorylessSigma2,
  memorylessStepCoefficients,
  sampleMemorylessFlow,
} from './memoryless-flow.js';
export type { ModeReweightReward, ModeReweightRewardOptions } from './mode-reweight-reward.js';
export { modeReweightReward } from './mode-reweight-reward.js';
export { rewardInModelCoordinates } from './normalized-reward.js';
export { pathFromTrajectory } from './path-from-trajectory.js';
export type { ReferenceConfig, ReferenceProcess } from './reference-process.js';
export {
  brownianReference,
  referenceFromConfig,
  veReference,
  vpReference,
} from './reference-process.js';
export type { Reward } from './reward.js';
export { rewardFromValue } from './reward-from-value.js';
export { tiltedMixture } from './tilted-mixture.js';
export { vectorJacobianProduct } from './vjp.js';

import { asbmMethod } from './asbm-method.js';

/** The training methods of this package, as the CLI's method table lists them (`bridgekit train --method asbm`). */
export const adjointMethods = [asbmMethod] as const;
