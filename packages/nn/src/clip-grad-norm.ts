import { tf } from '@bridgekit/core';
import type { NamedTensors } from './adam.js';

/**
 * Clips gradients by their global L2 norm, as PyTorch's `clip_grad_norm_`: with
 * ‖g‖ = √(Σ_i ‖g_i‖²) over all tensors, every gradient is multiplied by min(1, maxNorm/(‖g‖ + 1e-6)).
 * Returns new tensors (the caller owns them and still owns the inputs) and the norm before clipping.
 */
export function clipGradNorm(grads: NamedTensors, maxNorm: number): { grads: NamedTensors; norm: number } {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be positive, got ${maxNorm}`);
  const entries = Object.entries(grads);
  const norm =
    entries.length === 0
      ? 0
      : tf.tidy(() => Math.sqrt(tf.addN(entries.map(([, g]) => tf.sum(tf.square(g)))).dataSync()[0]!));
  const factor = Math.min(1, maxNorm / (norm + 1e-6));
  const out: NamedTensors = {};
  for (const [name, g] of entries) out[name] = factor === 1 ? tf.clone(g) : tf.tidy(() => tf.mul(g, factor));
  return { grads: out, norm };
}
