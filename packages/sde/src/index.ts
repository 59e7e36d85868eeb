// biome-ignore-all assist/source/organizeImports: two owners keep two blocks; each block is sorted by hand.

// Schedules, scalar SDEs, marginals, bridges, reverse-time / flow adapters, Gaussian-mixture scores.
export type { BridgeMarginal, GaussianBridge } from './bridge.js';
export { sampleBridgeMarginal, scalarBridgeMarginal } from './bridge.js';
export type { BrownianBridgeOptions } from './brownian-bridge.js';
export { brownianBridge } from './brownian-bridge.js';
export type { BrownianSde, BrownianSdeOptions } from './brownian-sde.js';
export { brownianSde } from './brownian-sde.js';
export { conditionalScore, scoreFromNoise } from './conditional-score.js';
export { constantSchedule } from './constant-schedule.js';
export type { CosineSchedule, CosineScheduleOptions } from './cosine-schedule.js';
export { cosineSchedule } from './cosine-schedule.js';
export type { EamLinearBaseSde } from './eam-linear-base-sde.js';
export { eamLinearBaseSde } from './eam-linear-base-sde.js';
export type { GaussianFlowVelocityOptions } from './gaussian-flow-velocity.js';
export { gaussianFlowVelocity } from './gaussian-flow-velocity.js';
export type { GaussianMixture } from './gaussian-mixture.js';
export { mixtureMoments, pushForwardMixture } from './gaussian-mixture.js';
export { gaussianMixtureSample } from './gaussian-mixture-sample.js';
export { gaussianMixtureLogDensity, gaussianMixtureScore } from './gaussian-mixture-score.js';
export { gaussianMixtureFlowVelocity } from './gaussian-mixture-flow-velocity.js';
export { geometricVeSde } from './geometric-ve-sde.js';
export { linearBridge } from './linear-bridge.js';
export type { LinearScheduleOptions } from './linear-schedule.js';
export { linearSchedule } from './linear-schedule.js';
export type { GaussianMarginal } from './marginal.js';
export { marginal } from './marginal.js';
export type { MemorylessFlowSde, MemorylessFlowSdeOptions, VelocityFn } from './memoryless-flow-sde.js';
export { memorylessFlowSde } from './memoryless-flow-sde.js';
export { perturb } from './perturb.js';
export type { PowerScheduleOptions } from './power-schedule.js';
export { powerSchedule } from './power-schedule.js';
export type { ProbabilityFlow } from './probability-flow.js';
export { probabilityFlow } from './probability-flow.js';
export type { ReverseTimeSde } from './reverse-time-sde.js';
export { reverseTimeSde } from './reverse-time-sde.js';
export type { RingMixtureOptions } from './ring-mixture.js';
export { ringMixture } from './ring-mixture.js';
export type { Schedule } from './schedule.js';
export type { GaussianTransition, LinearGaussianSde, ScoreFn, Sde, State, VectorField } from './sde.js';
export type { SubVpSde, SubVpSdeOptions } from './sub-vp-sde.js';
export { subVpSde } from './sub-vp-sde.js';
export { veBridge } from './ve-bridge.js';
export type { VeSde, VeSdeOptions } from './ve-sde.js';
export { veSde } from './ve-sde.js';
export type { VpBridgeOptions } from './vp-bridge.js';
export { vpBridge } from './vp-bridge.js';
export type { VpSde, VpSdeOptions } from './vp-sde.js';
export { vpSde } from './vp-sde.js';

// ---------------------------------------------------------------------------------------------------
// General linear SDEs and their kernels (linear-sde.ts, van-loan.ts, lyapunov-ode.ts, matrix-fraction.ts,
// cld.ts, vsdm-linear.ts) — maintained by the engineer who owns those files.
// ---------------------------------------------------------------------------------------------------
export type { CldOptions } from './cld.js';
export { cldSde, cldStationaryCov } from './cld.js';
export type {
  KernelMethod,
  LinearSdeBaseOptions,
  LinearSdeOptions,
  TimeChange,
  TransitionOptions,
} from './linear-sde.js';
export { DEFAULT_STEPS_PER_UNIT_TIME, LinearSde } from './linear-sde.js';
export { odeTransition } from './lyapunov-ode.js';
export { matrixFractionCov } from './matrix-fraction.js';
export { vanLoanStep, vanLoanTransition } from './van-loan.js';
export type { VariationalLinearSdeOptions } from './vsdm-linear.js';
export { variationalLinearSde } from './vsdm-linear.js';
export type { GaussianEnds } from './gaussian-schrodinger-bridge.js';
export { brownianBridgeCoupling, vpBridgeCoupling } from './gaussian-schrodinger-bridge.js';
