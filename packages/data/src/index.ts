export type { CheckerboardOptions } from './datasets/checkerboard.js';
export { checkerboard } from './datasets/checkerboard.js';
export type { EightGaussiansMixture, EightGaussiansOptions } from './datasets/eight-gaussians.js';
export {
  EIGHT_GAUSSIANS_VARIANCE,
  eightGaussians,
  eightGaussiansMixture,
} from './datasets/eight-gaussians.js';
export type { GaussianOptions } from './datasets/gaussian.js';
export { gaussian } from './datasets/gaussian.js';
export type { GmmOptions } from './datasets/gmm.js';
export { gmm } from './datasets/gmm.js';
export type { MoonsNoiseModel, MoonsOptions, MoonsPlacement } from './datasets/moons.js';
export { moons } from './datasets/moons.js';
export type {
  DatasetEntry,
  DatasetName,
  DatasetSpec,
  DrawOptions,
  SampleDatasetOptions,
} from './datasets/registry.js';
export { DATASETS, datasetNames, parseDatasetSpec, sampleDataset } from './datasets/registry.js';
export type { ScurveOptions } from './datasets/scurve.js';
export { scurve } from './datasets/scurve.js';
export type { SpiralOptions } from './datasets/spiral.js';
export { spiral } from './datasets/spiral.js';
export type { StretchOptions } from './datasets/stretch.js';
export type { CsvData } from './files/csv.js';
export { readCsv, writeCsv } from './files/csv.js';
export type { NpyData } from './files/npy.js';
export { decodeNpy, encodeNpy, readNpy, writeNpy } from './files/npy.js';
export type { LoadDataOptions, LoadedData } from './load-data.js';
export { loadData } from './load-data.js';
export type { IdxArray } from './mnist/idx.js';
export { parseIdx } from './mnist/idx.js';
export type { MnistData, MnistOptions } from './mnist/load-mnist.js';
export { loadMnist } from './mnist/load-mnist.js';
export type { Normalization } from './normalization.js';
export { denormalize, fitNormalization, normalize, STD_FLOOR } from './normalization.js';
export { validatePoints } from './validate-points.js';
