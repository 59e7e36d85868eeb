export { GRAPH_ACTIVATIONS, graphActivation, selu } from './activations.js';
export type { AdamOptions, AdamState, NamedTensors, OptimizerUpdate } from './adam.js';
export { adam, adamBiasCorrections, initAdamState } from './adam.js';
export { adamw } from './adamw.js';
export { addBias } from './add-bias.js';
export type { Params } from './apply.js';
export { apply, checkParams } from './apply.js';
export { avgPool2 } from './avg-pool2.js';
export { clipGradNorm } from './clip-grad-norm.js';
export { conv2dStride1 } from './conv2d-stride1.js';
export { countParams } from './count-params.js';
export { emaUpdate } from './ema.js';
export { fourierFeatures, linspace } from './fourier-features.js';
export type { FourierMlpOptions } from './fourier-mlp.js';
export { fourierMlp } from './fourier-mlp.js';
export type { StepResult } from './gradient-step.js';
export { gradientStep } from './gradient-step.js';
export type {
  ActivationNode,
  AddChannelBiasNode,
  AddNode,
  AvgPool2Node,
  ConcatNode,
  Conv2dNode,
  DenseNode,
  FourierNode,
  Graph,
  GraphActivation,
  GraphNode,
  GraphOp,
  GraphPadding,
  GroupNormNode,
  MulNode,
  ParamInit,
  ParamSpec,
  ReshapeNode,
  ScaleNode,
  SinusoidalNode,
  TNode,
  Upsample2Node,
  XNode,
} from './graph.js';
export { GRAPH_OPS, nodeInputs, nodeParams } from './graph.js';
export type { LayerInit } from './graph-builder.js';
export { GraphBuilder } from './graph-builder.js';
export { groupNorm } from './group-norm.js';
export { initialValues, initParams } from './init-params.js';
export type { LrSchedule } from './lr-schedule.js';
export { checkLrSchedule, constantLr, cosineLr, lrAt, stepLr, warmup } from './lr-schedule.js';
export type { MlpOptions, MlpTimeEmbedding } from './mlp.js';
export { mlp } from './mlp.js';
export type { PredictOptions } from './predict.js';
export { predict } from './predict.js';
export type { RegressionBatch } from './regression-step.js';
export { regressionLoss, regressionStep } from './regression-step.js';
export { sinusoidalEmbedding } from './sinusoidal-embedding.js';
export type { NamedArray, TrainStateJson } from './state-arrays.js';
export { STATE_PREFIXES, stateFromNamedArrays, stateToNamedArrays } from './state-arrays.js';
export type { ToyResNetOptions } from './toy-resnet.js';
export { toyResNet } from './toy-resnet.js';
export type { OptimizerConfig, OptimizerOptions, TrainState } from './train-state.js';
export { createTrainState, disposeTrainState, optimizerConfig } from './train-state.js';
export type { Unet28Options } from './unet28.js';
export { unet28 } from './unet28.js';
export { upsample2 } from './upsample2.js';
export type { GraphAnalysis } from './validate-graph.js';
export { GraphValidationError, inferNodeShape, validateGraph } from './validate-graph.js';
export type { VjpBatch } from './vjp-step.js';
export { vjpLoss, vjpStep } from './vjp-step.js';
