import type { Rng } from '@bridgekit/core';
import { describeValue } from '../describe-value.js';
import { checkRng } from './check-rng.js';
import { checkSampleCount } from './sample-count.js';
import { positiveFactor, resolveStretch, type StretchOptions } from './stretch.js';

/** Options of {@link scurve}. */
export interface ScurveOptions extends StretchOptions {
  /** Standard deviation of the Gaussian noise before scaling (sklearn `noise`); default 0.05. */
  readonly noise?: number;
  /** Factor applied after the noise; default 1.5 (TorchCFM's runner). */
  readonly scale?: number;
}

/**
 * TorchCFM's S-curve, as its experiment runner builds the 'scurve' data module
 * (`runner/src/datamodules/distribution_datamodule.py`, `SKLearnDataModule`, config
 * `runner/configs/datamodule/scurve.yaml`): sklearn `make_s_curve(n, noise=0.05)`, columns [0, 2],
 * times 1.5. `torchcfm/utils.py` itself has no S-curve. sklearn's definition: t = 3π(U − ½) with
 * U ~ Unif[0, 1), X₀ = sin t, X₂ = sign(t)(cos t − 1), plus noise·N(0, 1) on each column. So the
 * point is 1.5·(sin t + 0.05 z₁, sign(t)(cos t − 1) + 0.05 z₂): two unit-circle arcs of 3/4 turn
 * meeting at the origin, spanning [−1.5, 1.5] × [−3, 3]. Then x ← x·xScalar, y ← y·yScalar.
 *
 * sklearn also draws the discarded middle column (2·U′); it is skipped here, which leaves the law of
 * the returned columns unchanged. Draws t (n uniforms), then the noise (2n normals). Returns n×2
 * row-major float32.
 */
export function scurve(n: number, rng: Rng, options?: ScurveOptions): Float32Array {
  checkSampleCount('scurve', n);
  checkRng('scurve', rng);
  const { xs, ys } = resolveStretch('scurve', options);
  const noise = options?.noise ?? 0.05;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw new RangeError(`scurve: options.noise must be a finite number >= 0, got ${describeValue(noise)}`);
  }
  const scale = positiveFactor('scurve', 'scale', options?.scale, 1.5);
  const u = rng.uniform(n);
  const z = rng.normal(2 * n);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const t = 3 * Math.PI * (u[i]! - 0.5);
    out[2 * i] = scale * (Math.sin(t) + noise * z[2 * i]!) * xs;
    out[2 * i + 1] = scale * (Math.sign(t) * (Math.cos(t) - 1) + noise * z[2 * i + 1]!) * ys;
  }
  return out;
}
