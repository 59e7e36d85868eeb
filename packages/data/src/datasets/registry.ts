import type { Rng } from '@bridgekit/core';
import { describeValue } from '../describe-value.js';
import { checkerboard } from './checkerboard.js';
import { eightGaussians } from './eight-gaussians.js';
import { gaussian } from './gaussian.js';
import { gmm } from './gmm.js';
import { moons } from './moons.js';
import { scurve } from './scurve.js';
import { spiral } from './spiral.js';
import type { StretchOptions } from './stretch.js';

/** Options of a registry draw: the stretch, and whether to draw i.i.d. where the reference stratifies. */
export interface DrawOptions extends StretchOptions {
  readonly iid?: boolean;
}

/** Names of the built-in 2-D datasets. */
export type DatasetName = 'spiral' | 'checkerboard' | 'gmm' | 'gaussian' | '8gaussians' | 'moons' | 'scurve';

/** A registered 2-D dataset: its definition, where the definition comes from, and its sampler. */
export interface DatasetEntry {
  /** The distribution in one line. */
  readonly definition: string;
  /** The code the definition is reproduced from. */
  readonly source: string;
  /**
   * Draws n points, row-major n×2 float32, with an optional per-axis stretch. `iid: true` asks for
   * independent draws where the reference stratifies (moons' angle grid, gmm's equal counts).
   */
  readonly sample: (n: number, rng: Rng, options?: DrawOptions) => Float32Array;
}

/**
 * The built-in 2-D datasets by name. VSDM's (algorithms.md §1.9): spiral, checkerboard, gmm, gaussian;
 * TorchCFM's 2-D protocol: 8gaussians, moons, scurve. Each entry's `source` names the reference code.
 */
export const DATASETS: Readonly<Record<DatasetName, DatasetEntry>> = {
  spiral: {
    definition: 'θ = √U·3π − π/2, r = θ + π, 0.4·((r cos θ, r sin θ) + 0.25·N(0, I))',
    source: 'VSDM official code, data.py class Spiral (WayneDW/Variational_Schrodinger_Diffusion_Model)',
    sample: spiral,
  },
  checkerboard: {
    definition: 'uniform on the cells of [−2π, 2π]² where sin(x)·sin(y) < 0 (3n draws, first n kept)',
    source: 'VSDM official code, data.py class CheckerBoard',
    sample: checkerboard,
  },
  gmm: {
    definition: '8 equal-weight N(μ_k, I), μ_k = 12·(cos 2πk/8, sin 2πk/8)',
    source: 'VSDM official code, data.py class MixMultiVariateNormal',
    sample: (n, rng, o) => gmm(n, rng, { ...o, components: o?.iid === true ? 'iid' : 'stratified' }),
  },
  gaussian: {
    definition: 'N((−8, 2), [[1, 1], [1, 5]])',
    source: "VSDM official code, data.py build_data_sampler, problem 'gaussian'",
    sample: gaussian,
  },
  '8gaussians': {
    definition: '5·c_k + N(0, √0.1·I), c_k uniform over (±1, 0), (0, ±1), (±1/√2, ±1/√2)',
    source: 'TorchCFM torchcfm/utils.py sample_8gaussians (atong01/conditional-flow-matching)',
    sample: eightGaussians,
  },
  moons: {
    definition: '3·p − 1, p on the two half-circles (linspace angles) plus (u, u), u ~ Unif[0, 0.2)',
    source: 'TorchCFM torchcfm/utils.py sample_moons = torchdyn generate_moons(n, noise=0.2)·3 − 1',
    sample: (n, rng, o) => moons(n, rng, { ...o, placement: o?.iid === true ? 'iid' : 'grid' }),
  },
  scurve: {
    definition: '1.5·(sin t + 0.05 z₁, sign(t)(cos t − 1) + 0.05 z₂), t = 3π(U − ½)',
    source: 'TorchCFM runner SKLearnDataModule: sklearn make_s_curve(noise=0.05)[:, [0, 2]]·1.5',
    sample: scurve,
  },
};

const NAMES = Object.keys(DATASETS) as DatasetName[];
const FACTOR = '(\\d+(?:\\.\\d*)?|\\.\\d+)';
const SUFFIX = new RegExp(`^(?:x${FACTOR})?(?:y${FACTOR})?$`);
const SYNTAX =
  "append -x<k>, -y<k> or -x<k>y<m> (k, m numbers > 0) to stretch an axis, e.g. 'spiral-y8', 'checkerboard-x6'";

/** The built-in dataset names, in registry order. */
export function datasetNames(): DatasetName[] {
  return [...NAMES];
}

/** A dataset name with its stretch factors, as parsed from e.g. 'spiral-y8'. */
export interface DatasetSpec {
  readonly name: DatasetName;
  readonly xScalar: number;
  readonly yScalar: number;
}

/**
 * Parses `<name>`, `<name>-x<k>`, `<name>-y<k>` or `<name>-x<k>y<m>` ('spiral-y8' → spiral with
 * yScalar 8; 'checkerboard-x6' → xScalar 6). Throws a RangeError listing the valid names and the
 * suffix syntax for anything else.
 */
export function parseDatasetSpec(spec: string): DatasetSpec {
  if (typeof spec !== 'string') {
    throw new TypeError(`dataset name must be a string, got ${describeValue(spec)}`);
  }
  const dash = spec.indexOf('-');
  const base = dash < 0 ? spec : spec.slice(0, dash);
  if (!(NAMES as string[]).includes(base)) {
    throw new RangeError(
      `unknown dataset ${describeValue(spec)}: valid names are ${NAMES.join(', ')}; ${SYNTAX}`,
    );
  }
  if (dash < 0) return { name: base as DatasetName, xScalar: 1, yScalar: 1 };
  const suffix = spec.slice(dash + 1);
  const match = SUFFIX.exec(suffix);
  const x = match?.[1] === undefined ? 1 : Number(match[1]);
  const y = match?.[2] === undefined ? 1 : Number(match[2]);
  if (suffix === '' || match === null || !(x > 0) || !(y > 0)) {
    throw new RangeError(`bad stretch suffix '-${suffix}' in dataset ${describeValue(spec)}: ${SYNTAX}`);
  }
  return { name: base as DatasetName, xScalar: x, yScalar: y };
}

/** Options of {@link sampleDataset}. */
export interface SampleDatasetOptions {
  /**
   * Draw i.i.d. where the reference generator stratifies (moons' evenly spaced angles, gmm's equal
   * component counts); default false (the reference). Use it for a noise floor: the W2 between two
   * stratified draws is lower than what any sampler of the law can reach.
   */
  readonly iid?: boolean;
}

/**
 * Draws n points of a built-in dataset by name, with an optional stretch suffix (see
 * {@link parseDatasetSpec}): `sampleDataset('spiral-y8', 2000, rng)` is VSDM's 8× anisotropic spiral.
 */
export function sampleDataset(
  name: string,
  n: number,
  rng: Rng,
  options?: SampleDatasetOptions,
): { points: Float32Array; dim: 2 } {
  const spec = parseDatasetSpec(name);
  const iid = options?.iid ?? false;
  if (typeof iid !== 'boolean') {
    throw new TypeError(`sampleDataset: options.iid must be a boolean, got ${describeValue(iid)}`);
  }
  const points = DATASETS[spec.name].sample(n, rng, { xScalar: spec.xScalar, yScalar: spec.yScalar, iid });
  return { points, dim: 2 };
}
