import { basename } from 'node:path';
import { tf } from '@bridgekit/core';
import type { Energy } from './energy.js';
import { importUserModule } from './import-user-module.js';
import { describe, requireBatch } from './validate.js';

const WHAT =
  'an Energy { name, value(x: Tensor2D): Tensor1D, gradient?(x: Tensor2D): Tensor2D, sample?(n, dim, rng): Tensor2D } as its default export or as `energy`';

interface EnergyLike {
  name?: unknown;
  value: (x: tf.Tensor2D) => tf.Tensor1D;
  gradient?: (x: tf.Tensor2D) => tf.Tensor2D;
  sample?: Energy['sample'];
}

function isEnergyLike(value: unknown): value is EnergyLike {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.value === 'function' &&
    (e.gradient === undefined || typeof e.gradient === 'function') &&
    (e.sample === undefined || typeof e.sample === 'function')
  );
}

/**
 * A user's {@link Energy} from a module file (a path relative to `cwd`, or absolute; a TS module when
 * running under tsx) whose default export, or else its export named `energy`, has `value(x)` and
 * optionally `name` (default: the file name), `gradient(x)` (default: autodiff of `value`) and
 * `sample(n, dim, rng)`. Every call's output shape is checked, and a wrong one names the file.
 */
export async function loadEnergy(specifier: string, options: { cwd?: string } = {}): Promise<Energy> {
  const { value: e, path } = await importUserModule(
    'loadEnergy',
    specifier,
    options.cwd ?? process.cwd(),
    ['default', 'energy'],
    isEnergyLike,
    WHAT,
  );
  const name = typeof e.name === 'string' && e.name.length > 0 ? e.name : basename(path);
  const where = `energy ${name} (${path})`;
  const value = (x: tf.Tensor2D): tf.Tensor1D => {
    requireBatch(where, 'x', x);
    const v = e.value.call(e, x);
    if (!(v instanceof tf.Tensor) || v.rank !== 1 || v.shape[0] !== x.shape[0]) {
      throw new RangeError(`${where}: value(x) must return a [${x.shape[0]}] tensor, got ${describe(v)}`);
    }
    return v;
  };
  const userGradient = e.gradient;
  const gradient = (x: tf.Tensor2D): tf.Tensor2D => {
    requireBatch(where, 'x', x);
    const g =
      userGradient === undefined
        ? tf.tidy(() => tf.grad((u: tf.Tensor) => tf.sum(value(u as tf.Tensor2D)))(x) as tf.Tensor2D)
        : userGradient.call(e, x);
    if (!(g instanceof tf.Tensor) || g.rank !== 2 || g.shape[0] !== x.shape[0] || g.shape[1] !== x.shape[1]) {
      throw new RangeError(
        `${where}: gradient(x) must return a [${x.shape.join(', ')}] tensor, got ${describe(g)}`,
      );
    }
    return g;
  };
  const sample = e.sample;
  return {
    name,
    value,
    gradient,
    ...(sample === undefined
      ? {}
      : {
          sample(n: number, dim: number, rng) {
            const s = sample.call(e, n, dim, rng);
            if (!(s instanceof tf.Tensor) || s.rank !== 2 || s.shape[0] !== n || s.shape[1] !== dim) {
              throw new RangeError(
                `${where}: sample(${n}, ${dim}, rng) must return a [${n}, ${dim}] tensor, got ${describe(s)}`,
              );
            }
            return s as tf.Tensor2D;
          },
        }),
  };
}
