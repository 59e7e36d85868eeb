import { describeValue } from '../describe-value.js';

/** Throws unless `n` is a non-negative safe integer (the number of points a dataset function draws). */
export function checkSampleCount(fn: string, n: unknown): asserts n is number {
  if (typeof n !== 'number') throw new TypeError(`${fn}: n must be a number, got ${describeValue(n)}`);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(
      `${fn}: n must be a non-negative integer (number of points), got ${describeValue(n)}`,
    );
  }
}
