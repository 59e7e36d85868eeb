import { eightGaussiansMixture } from '@bridgekit/data';
import { gaussianTiltReward } from './gaussian-tilt-reward.js';
import { loadReward } from './load-reward.js';
import { modeReweightReward } from './mode-reweight-reward.js';
import type { Reward } from './reward.js';
import { describe } from './validate.js';

/** A reward bridgekit ships, made from JSON parameters. */
export interface BuiltInReward {
  readonly name: string;
  /** One line: what it rewards and its parameters with their defaults. */
  readonly description: string;
  create(params: Readonly<Record<string, unknown>>, context: { readonly lambda: number }): Reward;
}

/** The default target weights of '8gaussians-modes': modes 0 (+x) and 2 (+y) four times the others. */
export const DEFAULT_MODE_WEIGHTS: readonly number[] = [4, 1, 4, 1, 1, 1, 1, 1];

export const BUILT_IN_REWARDS: readonly BuiltInReward[] = [
  {
    name: 'gaussian-tilt',
    description: 'r(x) = −(a/2)‖x − c‖²; params {"a": 1, "c": 0 or [c₁, …, c_D]}',
    create(params) {
      checkKeys('gaussian-tilt', params, ['a', 'c']);
      const a = params.a ?? 1;
      const c = params.c ?? 0;
      if (typeof a !== 'number')
        throw new RangeError(`reward gaussian-tilt: "a" must be a number > 0, got ${describe(a)}`);
      if (typeof c !== 'number' && !(Array.isArray(c) && c.every((v) => typeof v === 'number'))) {
        throw new RangeError(
          `reward gaussian-tilt: "c" must be a number or an array of numbers, got ${describe(c)}`,
        );
      }
      return gaussianTiltReward({ a, c: c as number | number[] });
    },
  },
  {
    name: '8gaussians-modes',
    description:
      're-weights the 8 modes of the 8gaussians dataset to "weights" (8 numbers > 0, default [4,1,4,1,1,1,1,1]); exact target Σρ_k N(μ_k, C_k) at the --lambda it is built for; flat inside each mode, so gradient-driven fine-tuning moves mass slowly',
    create(params, { lambda }) {
      checkKeys('8gaussians-modes', params, ['weights']);
      const weights = params.weights ?? DEFAULT_MODE_WEIGHTS;
      if (
        !Array.isArray(weights) ||
        weights.length !== 8 ||
        !weights.every((w) => typeof w === 'number' && w > 0)
      ) {
        throw new RangeError(
          `reward 8gaussians-modes: "weights" must be 8 numbers > 0, got ${describe(weights)}`,
        );
      }
      if (!(lambda > 0)) {
        throw new RangeError(
          `reward 8gaussians-modes needs --lambda > 0 (it is built for that λ), got ${lambda}`,
        );
      }
      const reward = modeReweightReward({ base: eightGaussiansMixture(), weights, lambda });
      return { ...reward, name: `8gaussians-modes(${reward.name})` };
    },
  },
];

function checkKeys(
  name: string,
  params: Readonly<Record<string, unknown>>,
  allowed: readonly string[],
): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) {
      throw new RangeError(`reward ${name} has no parameter "${key}"; its parameters: ${allowed.join(', ')}`);
    }
  }
}

/** Options of {@link resolveReward}. */
export interface ResolveRewardOptions {
  /** Parameters of a built-in reward (refused for a module). */
  readonly params?: Readonly<Record<string, unknown>>;
  /** λ of the run (a mode re-weighting reward is built for it). */
  readonly lambda: number;
  /** Directory a module path is resolved against (default `process.cwd()`). */
  readonly cwd?: string;
}

/**
 * A reward from a command-line spec: a built-in name ({@link BUILT_IN_REWARDS}) with JSON `params`, or a
 * path to a module file for {@link loadReward} (anything with a path separator or a .js/.mjs/.cjs/.ts
 * extension). An unknown name is refused with the list of built-ins.
 */
export async function resolveReward(spec: string, options: ResolveRewardOptions): Promise<Reward> {
  if (typeof spec !== 'string' || spec.length === 0) {
    throw new RangeError(`--reward must be a built-in reward name or a module path, got ${describe(spec)}`);
  }
  const builtIn = BUILT_IN_REWARDS.find((r) => r.name === spec);
  if (builtIn !== undefined) return builtIn.create(options.params ?? {}, { lambda: options.lambda });
  if (/[\\/]/.test(spec) || /\.(c|m)?[jt]s$/.test(spec)) {
    if (options.params !== undefined && Object.keys(options.params).length > 0) {
      throw new RangeError(`--reward ${spec} is a module; reward parameters apply only to built-in rewards`);
    }
    return loadReward(spec, options.cwd === undefined ? {} : { cwd: options.cwd });
  }
  throw new RangeError(
    `--reward '${spec}' is neither a built-in reward (${BUILT_IN_REWARDS.map((r) => r.name).join(', ')}) nor a module path (./my-reward.mjs)`,
  );
}
