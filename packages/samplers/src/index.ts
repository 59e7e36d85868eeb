export { eulerMaruyama, eulerMaruyamaSolver } from './euler-maruyama.js';
export { eulerOde, eulerOdeSolver } from './euler-ode.js';
export type {
  ExponentialIntegratorOptions,
  ExponentialStepCoefficients,
  LinearScoreModel,
} from './exponential-integrator.js';
export {
  exponentialIntegrator,
  exponentialIntegratorSolver,
  exponentialStepCoefficients,
} from './exponential-integrator.js';
export { heunOde, heunOdeSolver } from './heun-ode.js';
export { rk4Ode, rk4OdeSolver } from './rk4-ode.js';
export type {
  NoiseFn,
  SampleOptions,
  SampleResult,
  Sampler,
  SolverKind,
  StepContext,
  StepInfo,
  StepResult,
  StepSolver,
  Trajectory,
} from './sampler.js';
export { defineSampler, NonFiniteStateError } from './sampler.js';
export { checkTimeGrid, cosineGrid, quadraticGrid, uniformGrid } from './time-grid.js';
