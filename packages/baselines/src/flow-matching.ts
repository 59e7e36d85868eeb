import type { Rng } from '@bridgekit/core';
import { eulerOde, uniformGrid } from '@bridgekit/samplers';
import type { Method, MethodOption, TrainedModel, TrainRequest, TrainSummary } from '@bridgekit/train';
import { checkSampleRequest, loadBaseline, runSampler } from './loaded-model.js';
import { baselineNetwork, networkOptions } from './network.js';
import { otPair } from './ot-pairing.js';
import { prepareData } from './prepare-data.js';
import { trainRegression } from './regression-session.js';

const FLOW_OPTIONS: readonly MethodOption[] = [
  ...networkOptions('selu'),
  {
    name: 'sigma',
    flag: 'sigma',
    description: 'σ of the Gaussian probability path around the straight interpolant (I-CFM)',
    type: 'number',
    default: 0,
    min: 0,
  },
];

/**
 * Conditional flow matching (Lipman et al. 2023; Tong et al. 2024), flow-matching convention
 * (noise at t = 0, data at t = 1): x_t = (1 − t)x₀ + t x₁ + σε with x₀ ~ N(0, I), target velocity
 * x₁ − x₀; sampled by Euler on dx/dt = v_θ(x, t) from t = 0 to 1. With `ot`, each minibatch is
 * paired by exact optimal transport before interpolating (OT-CFM).
 */
function flowMatching(name: 'cfm' | 'ot-cfm', ot: boolean): Method {
  return {
    name,
    description: ot
      ? 'minibatch optimal-transport conditional flow matching (OT-CFM)'
      : 'independent conditional flow matching (I-CFM)',
    options: FLOW_OPTIONS,
    async train(request: TrainRequest): Promise<TrainSummary> {
      const { points, dim, normalization } = prepareData(request);
      const n = points.length / dim;
      const sigma = Number(request.options.sigma);
      const graph = baselineNetwork(dim, request.options);
      const config = {
        graph,
        seed: request.seed,
        lr: Number(request.options.lr),
        weightDecay: Number(request.options.weightDecay),
        modelConfig: { method: name, dim, normalization: { ...normalization }, sigma },
        makeBatch: (_step: number, rng: Rng) => {
          const b = request.batch;
          const index = rng.randint(b, n);
          const x1 = new Float32Array(b * dim);
          for (let i = 0; i < b; i++)
            x1.set(points.subarray(index[i]! * dim, (index[i]! + 1) * dim), i * dim);
          const x0 = rng.normalFloat32(b * dim);
          const target1 = ot ? otPair(x0, x1, dim) : x1;
          const t = rng.uniformFloat32(b);
          const eps = sigma > 0 ? rng.normalFloat32(b * dim) : undefined;
          const x = new Float32Array(b * dim);
          const target = new Float32Array(b * dim);
          for (let i = 0; i < b; i++) {
            const ti = t[i]!;
            for (let k = 0; k < dim; k++) {
              const j = i * dim + k;
              x[j] = (1 - ti) * x0[j]! + ti * target1[j]! + (eps === undefined ? 0 : sigma * eps[j]!);
              target[j] = target1[j]! - x0[j]!;
            }
          }
          return { x, t, target };
        },
      };
      return trainRegression(name, request, config);
    },
    async load(dir: string): Promise<TrainedModel> {
      const model = await loadBaseline(dir, name);
      return {
        method: name,
        dim: model.config.dim,
        async sample(request) {
          const { nfe, paths } = checkSampleRequest(request, 100);
          if (request.solver === 'sde') {
            throw new RangeError(
              `solver 'sde' is not available for ${name}: flow matching samples with the ODE (--solver ode)`,
            );
          }
          const field = { name: `${name} velocity`, velocity: model.net };
          return runSampler(model, request, paths, (x) =>
            eulerOde(field, x, uniformGrid(0, 1, nfe), {
              ...(paths > 0 ? { record: true } : {}),
              ...(request.onProgress === undefined
                ? {}
                : {
                    onStep: (s) =>
                      request.onProgress?.({ phase: 'sample', done: s.step + 1, total: s.steps }),
                  }),
            }),
          );
        },
        dispose() {
          for (const t of Object.values(model.params)) t.dispose();
        },
      };
    },
  };
}

export const cfmMethod: Method = flowMatching('cfm', false);
export const otCfmMethod: Method = flowMatching('ot-cfm', true);
