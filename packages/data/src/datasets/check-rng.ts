import type { Rng } from '@bridgekit/core';
import { describeValue } from '../describe-value.js';

/** True when `value` looks like an `Rng` from @bridgekit/core (has the methods the samplers call). */
export function isRng(value: unknown): value is Rng {
  const r = value as Partial<Record<keyof Rng, unknown>> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.uniform === 'function' &&
    typeof r.normal === 'function' &&
    typeof r.randint === 'function' &&
    typeof r.permutation === 'function' &&
    typeof r.choice === 'function'
  );
}

/** Throws a TypeError naming `fn` unless `rng` is an {@link Rng}. */
export function checkRng(fn: string, rng: unknown): asserts rng is Rng {
  if (!isRng(rng)) {
    throw new TypeError(
      `${fn}: rng must be a seeded Rng from @bridgekit/core (new Rng(seed)), got ${describeValue(rng)}`,
    );
  }
}
