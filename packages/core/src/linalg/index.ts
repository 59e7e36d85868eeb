export { cholesky } from './cholesky.js';
export { eigSym } from './eig-sym.js';
export { expm } from './expm.js';
export { det, inv, type LuFactorization, luFactor, solve } from './lu.js';
export { solveLyapunov } from './lyapunov.js';
export { Matrix } from './matrix.js';
export { sqrtmPsd } from './sqrtm.js';
export { solveTriangular } from './triangular.js';
