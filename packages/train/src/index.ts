export type {
  Method,
  MethodOption,
  Progress,
  SampleRequest,
  SampleResult,
  TrainedModel,
  TrainingData,
  TrainRequest,
  TrainSummary,
} from './method.js';
export type { OptionValue } from './options.js';
export { resolveMethodOptions } from './options.js';
export type {
  LossPoint,
  PhasedLoss,
  SessionSnapshot,
  TrainingLoopOptions,
  TrainingLoopResult,
  TrainingSession,
} from './training-loop.js';
export { runTrainingLoop } from './training-loop.js';
