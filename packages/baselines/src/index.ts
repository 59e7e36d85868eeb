import type { Method } from '@bridgekit/train';
import { cfmMethod, otCfmMethod } from './flow-matching.js';
import { vpMethod } from './vp.js';

export type { BaselineModelConfig, LoadedBaseline } from './loaded-model.js';
export { checkSampleRequest, loadBaseline, runSampler } from './loaded-model.js';
export {
  arraysToParams,
  fromCheckpointArrays,
  paramsToArrays,
  toCheckpointArrays,
} from './named-arrays.js';
export { baselineNetwork, networkOptions } from './network.js';
export { otPair } from './ot-pairing.js';
export { prepareData } from './prepare-data.js';
export { cfmMethod, otCfmMethod, vpMethod };

/** The baseline methods, as the CLI's method table lists them. */
export const baselineMethods: readonly Method[] = [vpMethod, cfmMethod, otCfmMethod];
