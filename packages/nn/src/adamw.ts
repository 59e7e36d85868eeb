import {
  type AdamOptions,
  type AdamState,
  adamUpdate,
  type NamedTensors,
  type OptimizerUpdate,
} from './adam.js';

/**
 * One AdamW update (Loshchilov & Hutter 2019, as PyTorch's `torch.optim.AdamW`): weight decay is
 * decoupled from the gradient, p ← p(1 − lr·λ) − lr·m̂/(√v̂ + ε), with m and v the Adam moments of
 * the raw gradient and float64 bias corrections. Pure: returns new tensors, disposes nothing.
 */
export function adamw(
  params: NamedTensors,
  grads: NamedTensors,
  state: AdamState,
  options: AdamOptions,
): OptimizerUpdate {
  return adamUpdate(params, grads, state, options, 'decoupled');
}
