import type { Rng } from '@bridgekit/core';
import { tf } from '@bridgekit/core';
import { eulerMaruyama, eulerOde, uniformGrid } from '@bridgekit/samplers';
import {
  linearSchedule,
  powerSchedule,
  probabilityFlow,
  reverseTimeSde,
  type Schedule,
  vpSde,
} from '@bridgekit/sde';
import type { Method, MethodOption, TrainedModel, TrainRequest, TrainSummary } from '@bridgekit/train';
import { checkSampleRequest, loadBaseline, runSampler } from './loaded-model.js';
import { baselineNetwork, networkOptions } from './network.js';
import { prepareData } from './prepare-data.js';
import { trainRegression } from './regression-session.js';

/** Smallest time used in training and sampling: the score is singular at t = 0. */
const T0 = 1e-3;

const VP_OPTIONS: readonly MethodOption[] = [
  ...networkOptions('silu'),
  {
    name: 'betaMin',
    flag: 'beta-min',
    description: 'β_min of the noise schedule',
    type: 'number',
    default: 0.1,
    min: 0,
  },
  {
    name: 'betaMax',
    flag: 'beta-max',
    description: 'β_max of the noise schedule',
    type: 'number',
    default: 20,
    min: 0,
  },
  {
    name: 'schedule',
    flag: 'schedule',
    description: "'linear' β(t) = β_min + t(β_max − β_min), or VSDM's 'power' β_min + t^1.7(β_max − β_min)",
    type: 'string',
    default: 'linear',
    choices: ['linear', 'power'],
  },
];

interface VpConfig {
  betaMin: number;
  betaMax: number;
  schedule: 'linear' | 'power';
}

function scheduleOf(c: VpConfig): Schedule {
  return c.schedule === 'power'
    ? powerSchedule({ betaMin: c.betaMin, betaMax: c.betaMax, r: 1.7 })
    : linearSchedule({ betaMin: c.betaMin, betaMax: c.betaMax });
}

/**
 * VP-SDE score model (Song et al. 2021) trained by denoising score matching in the ε form:
 * x_t = α_t x₀ + σ_t ε with α_t = e^{−B(t)/2}, σ_t² = 1 − e^{−B(t)}, t ~ U(t₀, 1), and the network
 * regresses ε, so the score is −ε_θ(x, t)/σ_t. Sampled by reverse-time Euler–Maruyama ('sde') or
 * Euler on the probability-flow ODE ('ode') from N(0, I) at t = 1 down to t₀ = 1e-3.
 */
export const vpMethod: Method = {
  name: 'vp',
  description: 'VP-SDE denoising score matching (score-based diffusion baseline)',
  options: VP_OPTIONS,
  async train(request: TrainRequest): Promise<TrainSummary> {
    const { points, dim, normalization } = prepareData(request);
    const n = points.length / dim;
    const vp: VpConfig = {
      betaMin: Number(request.options.betaMin),
      betaMax: Number(request.options.betaMax),
      schedule: request.options.schedule === 'power' ? 'power' : 'linear',
    };
    const schedule = scheduleOf(vp);
    const config = {
      graph: baselineNetwork(dim, request.options),
      seed: request.seed,
      lr: Number(request.options.lr),
      weightDecay: Number(request.options.weightDecay),
      modelConfig: { method: 'vp', dim, normalization: { ...normalization }, vp: { ...vp }, t0: T0 },
      makeBatch: (_step: number, rng: Rng) => {
        const b = request.batch;
        const index = rng.randint(b, n);
        const u = rng.uniform(b);
        const eps = rng.normalFloat32(b * dim);
        const t = new Float32Array(b);
        const x = new Float32Array(b * dim);
        for (let i = 0; i < b; i++) {
          const ti = T0 + (1 - T0) * u[i]!;
          const bt = schedule.integral(ti);
          const alpha = Math.exp(-bt / 2);
          const sigma = Math.sqrt(-Math.expm1(-bt));
          t[i] = ti;
          for (let k = 0; k < dim; k++) {
            const j = i * dim + k;
            x[j] = alpha * points[index[i]! * dim + k]! + sigma * eps[j]!;
          }
        }
        return { x, t, target: eps };
      },
    };
    return trainRegression('vp', request, config);
  },
  async load(dir: string): Promise<TrainedModel> {
    const model = await loadBaseline(dir, 'vp');
    const sde = vpSde({ schedule: scheduleOf(model.config.vp as unknown as VpConfig) });
    const score = (x: tf.Tensor2D, t: number) =>
      tf.tidy(
        () => tf.mul(model.net(x, t), -1 / Math.sqrt(-Math.expm1(-sde.schedule.integral(t)))) as tf.Tensor2D,
      );
    return {
      method: 'vp',
      dim: model.config.dim,
      async sample(request) {
        const { nfe, paths } = checkSampleRequest(request, 100);
        const grid = uniformGrid(1, T0, nfe);
        const onStep =
          request.onProgress === undefined
            ? undefined
            : (s: { step: number; steps: number }) =>
                request.onProgress?.({ phase: 'sample', done: s.step + 1, total: s.steps });
        const common = {
          ...(paths > 0 ? { record: true } : {}),
          ...(onStep === undefined ? {} : { onStep }),
        };
        return runSampler(model, request, paths, (x, rng) =>
          request.solver === 'ode'
            ? eulerOde(probabilityFlow(sde, score), x, grid, common)
            : eulerMaruyama(reverseTimeSde(sde, score), x, grid, { ...common, rng }),
        );
      },
      dispose() {
        for (const t of Object.values(model.params)) t.dispose();
      },
    };
  },
};
