import { basename } from 'node:path';
import { tf } from '@bridgekit/core';
import { importUserModule } from './import-user-module.js';
import type { Reward } from './reward.js';
import { rewardFromValue } from './reward-from-value.js';
import { describe, requireBatch } from './validate.js';

/** Options of {@link loadReward}. */
export interface LoadRewardOptions {
  /** The directory a relative specifier is resolved against (default `process.cwd()`). */
  readonly cwd?: string;
}

const WHAT =
  'a Reward { name, value(x: Tensor2D): Tensor1D, gradient?(x: Tensor2D): Tensor2D } as its default export or as `reward`';

/**
 * A user's {@link Reward} from a module file: `specifier` is a path (relative to `cwd`, or absolute) to a
 * JS module — or a TS module when running under tsx — whose default export, or else its export named
 * `reward`, is an object with `value(x)` and optionally `name` (default: the file name) and
 * `gradient(x)` (default: autodiff of `value`, see {@link rewardFromValue}).
 *
 * The returned reward checks every call's output shape ([B] for value, [B, D] for gradient) and names
 * the file when one is wrong. Errors on loading are one line naming the resolved path.
 */
export async function loadReward(specifier: string, options: LoadRewardOptions = {}): Promise<Reward> {
  const { value: candidate, path } = await importUserModule(
    'loadReward',
    specifier,
    options.cwd ?? process.cwd(),
    ['default', 'reward'],
    isRewardLike,
    WHAT,
  );
  const name =
    typeof candidate.name === 'string' && candidate.name.length > 0 ? candidate.name : basename(path);
  const value = checkedValue(name, path, candidate.value.bind(candidate));
  const gradient = candidate.gradient;
  if (typeof gradient !== 'function') return rewardFromValue(name, value);
  return { name, value, gradient: checkedGradient(name, path, gradient.bind(candidate)) };
}

interface RewardLike {
  name?: unknown;
  value: (x: tf.Tensor2D) => tf.Tensor1D;
  gradient?: (x: tf.Tensor2D) => tf.Tensor2D;
}

function isRewardLike(value: unknown): value is RewardLike {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.value === 'function' && (r.gradient === undefined || typeof r.gradient === 'function');
}

/** A user's value function that reports a wrong output shape with the module's path. */
function checkedValue(
  name: string,
  path: string,
  value: (x: tf.Tensor2D) => tf.Tensor1D,
): (x: tf.Tensor2D) => tf.Tensor1D {
  return (x) => {
    requireBatch(`reward ${name}`, 'x', x);
    const r = value(x);
    if (!(r instanceof tf.Tensor) || r.rank !== 1 || r.shape[0] !== x.shape[0]) {
      throw new RangeError(
        `reward ${name} (${path}): value(x) must return a [${x.shape[0]}] tensor (one reward per row), got ${describe(r)}`,
      );
    }
    return r;
  };
}

/** A user's gradient function that reports a wrong output shape with the module's path. */
function checkedGradient(
  name: string,
  path: string,
  gradient: (x: tf.Tensor2D) => tf.Tensor2D,
): (x: tf.Tensor2D) => tf.Tensor2D {
  return (x) => {
    requireBatch(`reward ${name}`, 'x', x);
    const g = gradient(x);
    if (!(g instanceof tf.Tensor) || g.rank !== 2 || g.shape[0] !== x.shape[0] || g.shape[1] !== x.shape[1]) {
      throw new RangeError(
        `reward ${name} (${path}): gradient(x) must return a [${x.shape.join(', ')}] tensor (x's shape), got ${describe(g)}`,
      );
    }
    return g;
  };
}
