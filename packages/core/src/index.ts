export type {
  BackendAttempt,
  BackendInfo,
  BackendName,
  BackendRequest,
  InitBackendOptions,
} from './backend/select.js';
export {
  activeBackend,
  BACKEND_ENV,
  BACKEND_NAMES,
  initBackend,
  parseBackendRequest,
} from './backend/select.js';
export { cholesky } from './linalg/cholesky.js';
export { eigSym } from './linalg/eig-sym.js';
export { expm } from './linalg/expm.js';
export type { LuFactorization } from './linalg/lu.js';
export { det, inv, luFactor, solve } from './linalg/lu.js';
export { solveLyapunov } from './linalg/lyapunov.js';
export { Matrix } from './linalg/matrix.js';
export { sqrtmPsd } from './linalg/sqrtm.js';
export { solveTriangular } from './linalg/triangular.js';
export type { ActivationName } from './ops/activations.js';
export { ACTIVATIONS, activation, gelu, sigmoid, silu, softplus, tanh } from './ops/activations.js';
export { applyBlockMatrix } from './ops/block-matrix.js';
export type { Conv2dPadding } from './ops/conv2d.js';
export { conv2d } from './ops/conv2d.js';
export type { CustomOpResult } from './ops/custom-grad.js';
export { customOp } from './ops/custom-grad.js';
export { dense, matmul } from './ops/matmul.js';
export { philox4x32 } from './random/philox.js';
export type { RngState } from './random/rng.js';
export { Rng } from './random/rng.js';
export { normalTensor, uniformTensor } from './random/tensor.js';
export { tf } from './tf.js';
