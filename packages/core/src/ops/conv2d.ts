import * as tf from '@tensorflow/tfjs';
import { customOp } from './custom-grad.js';

export type Conv2dPadding = 'same' | 'valid';

/**
 * 2-D convolution (NHWC input, HWIO filter) whose filter gradient is itself a convolution.
 *
 * The wasm backend has no Conv2DBackpropFilter kernel, so tf.conv2d cannot be trained there. The
 * filter gradient dW[i,j,c,o] = Σ_{n,h,w} x̃[n, h·s+i, w·s+j, c]·dy[n,h,w,o] (x̃ the padded input)
 * is a valid convolution of x̃ᵀ (channels as batch, batch as channels) with dy as filter dilated by
 * the stride; the input gradient uses the Conv2DBackpropInput kernel that every backend has.
 *
 * Second-order gradients (a gradient inside a loss) work for stride 1; with stride > 1 the filter
 * gradient is a dilated convolution that TensorFlow.js cannot differentiate again.
 */
export function conv2d(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  stride = 1,
  padding: Conv2dPadding = 'same',
): tf.Tensor4D {
  if (x.rank !== 4) throw new RangeError(`conv2d: x must be NHWC (rank 4), got rank ${x.rank}`);
  if (w.rank !== 4) throw new RangeError(`conv2d: w must be HWIO (rank 4), got rank ${w.rank}`);
  if (!Number.isInteger(stride) || stride < 1) {
    throw new RangeError(`conv2d: stride must be a positive integer, got ${stride}`);
  }
  if (padding !== 'same' && padding !== 'valid') {
    throw new RangeError(`conv2d: padding must be 'same' or 'valid', got '${String(padding)}'`);
  }
  if (x.shape[3] !== w.shape[2]) {
    throw new RangeError(`conv2d: x has ${x.shape[3]} channels but w expects ${w.shape[2]}`);
  }
  const [, h, wd] = x.shape;
  const [kh, kw] = w.shape;
  const pads = paddingFor(h, wd, kh, kw, stride, padding);
  const op = customOp<tf.Tensor4D>(([xi, wi], save) => {
    const x4 = xi as tf.Tensor4D;
    const w4 = wi as tf.Tensor4D;
    save([x4, w4]);
    const xp = tf.pad(x4, [[0, 0], pads.h, pads.w, [0, 0]]);
    return {
      value: tf.conv2d(xp, w4, stride, 'valid'),
      gradFunc: (dy4, saved) => {
        const [sx, sw] = saved as [tf.Tensor4D, tf.Tensor4D];
        const [, ho, wo] = dy4.shape;
        const xpad = tf.pad(sx, [[0, 0], pads.h, pads.w, [0, 0]]);
        // Rows/columns that no output position reads (stride leftovers) are cropped away.
        const used = tf.slice(xpad, [0, 0, 0, 0], [-1, (ho - 1) * stride + kh, (wo - 1) * stride + kw, -1]);
        const xT = tf.transpose(used, [3, 1, 2, 0]) as tf.Tensor4D;
        const dyT = tf.transpose(dy4, [1, 2, 0, 3]) as tf.Tensor4D;
        // Stride 1 recurses into this op, so second-order gradients stay wasm-safe; a stride > 1
        // needs a dilated filter, whose own gradient TensorFlow.js does not implement.
        const dwT =
          stride === 1 ? conv2d(xT, dyT, 1, 'valid') : tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', stride);
        const dw = tf.transpose(dwT, [1, 2, 0, 3]);
        const dxPadded = tf.conv2dTranspose(
          dy4,
          sw,
          xpad.shape as [number, number, number, number],
          stride,
          'valid',
        );
        const dx = tf.slice(dxPadded, [0, pads.h[0], pads.w[0], 0], sx.shape);
        return [dx, dw];
      },
    };
  });
  return op(x, w);
}

/** TensorFlow's 'same' padding: total = max((out − 1)·s + k − in, 0), the extra row at the end. */
function paddingFor(
  h: number,
  w: number,
  kh: number,
  kw: number,
  stride: number,
  padding: Conv2dPadding,
): { h: [number, number]; w: [number, number] } {
  if (padding === 'valid') return { h: [0, 0], w: [0, 0] };
  const axis = (size: number, k: number): [number, number] => {
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + k - size, 0);
    const before = Math.floor(total / 2);
    return [before, total - before];
  };
  return { h: axis(h, kh), w: axis(w, kw) };
}
