export { philox4x32 } from './philox.js';
export type { RngState } from './rng.js';
export { Rng } from './rng.js';
