import { fitNormalization, type Normalization, normalize, validatePoints } from '@bridgekit/data';
import type { TrainRequest } from '@bridgekit/train';

/** Validates the training data and applies the method's `normalize` option. */
export function prepareData(request: TrainRequest): {
  points: Float32Array;
  dim: number;
  normalization: Normalization;
} {
  const { points, dim, source } = request.data;
  validatePoints(points, dim, source);
  if (points.length / dim < 2)
    throw new RangeError(`${source}: needs at least 2 points, got ${points.length / dim}`);
  if (!Number.isSafeInteger(request.batch) || request.batch < 1) {
    throw new RangeError(`batch must be a positive integer, got ${request.batch}`);
  }
  const kind = request.options.normalize === 'standard' ? 'standard' : 'none';
  const normalization = fitNormalization(points, dim, kind);
  return { points: normalize(points, dim, normalization), dim, normalization };
}
