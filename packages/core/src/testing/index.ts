export type { HostFn } from './finite-difference.js';
export { fdGradient, fdHessianVector, relativeError } from './finite-difference.js';
export { logLogSlope } from './log-log-slope.js';
