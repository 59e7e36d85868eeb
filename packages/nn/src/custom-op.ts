import { tf } from '@bridgekit/core';

/** The forward value of a custom op and the vector–Jacobian products for each input. */
export interface CustomOpResult<R extends tf.Tensor> {
  value: R;
  gradFunc: (dy: R, saved: tf.Tensor[]) => tf.Tensor[];
}

/**
 * A typed front for tf.customGrad (core keeps its own private one): `forward(inputs, save)` returns
 * the value and a gradient function built from differentiable ops, which is what keeps second-order
 * gradients through the op correct.
 */
export function customOp<R extends tf.Tensor>(
  forward: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => CustomOpResult<R>,
): (...inputs: tf.Tensor[]) => R {
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    return forward(args.slice(0, -1) as tf.Tensor[], save);
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return (...inputs: tf.Tensor[]) => op(...inputs) as R;
}
