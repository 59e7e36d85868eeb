import { tf } from '@bridgekit/core';
import type { NamedTensors } from './adam.js';

/**
 * Exponential moving average of parameters: ema ← decay·ema + (1 − decay)·params, per name
 * (VSDM uses decay 0.99, updated after every optimiser step). Returns new tensors; the caller
 * disposes the old average.
 */
export function emaUpdate(ema: NamedTensors, params: NamedTensors, decay: number): NamedTensors {
  if (!(decay >= 0 && decay <= 1)) throw new RangeError(`emaUpdate: decay must be in [0, 1], got ${decay}`);
  for (const name of Object.keys(ema)) {
    if (params[name] === undefined) throw new RangeError(`emaUpdate: params has no entry for '${name}'`);
  }
  const out: NamedTensors = {};
  tf.tidy(() => {
    const d = tf.scalar(decay);
    const oneMinusD = tf.scalar(1 - decay);
    for (const [name, e] of Object.entries(ema)) {
      out[name] = tf.keep(tf.add(tf.mul(d, e), tf.mul(oneMinusD, params[name]!)));
    }
  });
  return out;
}
