export type { AdjointPath, AdjointSolution } from './adjoint-path.js';
export type { AdjointMatchingRowsOptions } from './am-targets.js';
export { adjointMatchingRows, subsampleTimesteps } from './am-targets.js';
export type { BuiltInReward, ResolveRewardOptions } from './built-in-rewards.js';
export { BUILT_IN_REWARDS, DEFAULT_MODE_WEIGHTS, resolveReward } from './built-in-rewards.js';
export type { DiscreteAdjointOptions, StepMap } from './discrete-adjoint.js';
export { discreteAdjoint } from './discrete-adjoint.js';
export type { EamRegressionRowsOptions, EamTerminalGradientOptions, RegressionRows } from './eam-targets.js';
export { eamRegressionRows, eamTerminalGradient, tweedieScore } from './eam-targets.js';
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
export type { Reward } from './reward.js';
export { rewardFromValue } from './reward-from-value.js';
export { tiltedMixture } from './tilted-mixture.js';
export { vectorJacobianProduct } from './vjp.js';
