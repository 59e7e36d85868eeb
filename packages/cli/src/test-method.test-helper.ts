import { loadModel } from '@bridgekit/checkpoint';
import { Rng, type RngState } from '@bridgekit/core';
import type { Method, SampleRequest, SampleResult, TrainedModel, TrainingSession } from '@bridgekit/train';
import { runTrainingLoop } from '@bridgekit/train';

/**
 * A test-only method for the CLI's tests: fits a diagonal Gaussian N(μ, diag σ²) to the data from
 * random minibatches, through the real training loop (checkpoints, resume, model/ directory), so the CLI is exercised without a network. Sampling is
 * μ + σ·z with z from the seeded Rng; a "trajectory" is the straight path from z (t = 0) to the sample
 * (t = 1) in `nfe` steps, each reported as progress.
 */
export const TEST_METHOD_NAME = 'test-gauss';

export function testMethod(): Method {
  return {
    name: TEST_METHOD_NAME,
    description: 'diagonal Gaussian fitted to minibatch moments (tests only)',
    options: [
      {
        name: 'learningRate',
        flag: 'learning-rate',
        description: 'step towards the minibatch moments',
        type: 'number',
        default: 0.1,
        min: 0,
        max: 1,
      },
      {
        name: 'fixStd',
        flag: 'fix-std',
        description: 'keep σ = 1 and fit μ only',
        type: 'boolean',
        default: false,
      },
    ],
    async train(request) {
      const { points, dim } = request.data;
      const rows = points.length / dim;
      const lr = request.options.learningRate as number;
      const fixStd = request.options.fixStd as boolean;
      const session = (mean: Float64Array, logStd: Float64Array, rng: Rng): TrainingSession => ({
        step() {
          // Moves μ and σ² a fraction lr of the way to the minibatch mean and variance (a stochastic
          // fixed-point iteration that converges geometrically); the loss is the minibatch's mean
          // negative log-likelihood under the current parameters, up to a constant.
          const idx = rng.randint(request.batch, rows);
          const m = new Float64Array(dim);
          const v = new Float64Array(dim);
          let loss = 0;
          for (const i of idx) {
            for (let j = 0; j < dim; j++) {
              const x = points[i * dim + j]!;
              const r = (x - mean[j]!) / Math.exp(logStd[j]!);
              loss += 0.5 * r * r + logStd[j]!;
              m[j]! += x / request.batch;
            }
          }
          for (const i of idx) {
            for (let j = 0; j < dim; j++) v[j]! += (points[i * dim + j]! - m[j]!) ** 2 / request.batch;
          }
          for (let j = 0; j < dim; j++) {
            mean[j]! += lr * (m[j]! - mean[j]!);
            if (!fixStd) {
              const variance = Math.exp(2 * logStd[j]!);
              logStd[j] = 0.5 * Math.log(variance + lr * (v[j]! - variance));
            }
          }
          return loss / request.batch;
        },
        snapshot: () => ({
          state: { rng: rng.state() as unknown as Record<string, string> },
          tensors: {
            mean: { dtype: 'F64', shape: [dim], data: mean.slice() },
            logStd: { dtype: 'F64', shape: [dim], data: logStd.slice() },
          },
        }),
        model: () => ({
          config: { method: TEST_METHOD_NAME, dim },
          tensors: {
            mean: { dtype: 'F64', shape: [dim], data: mean.slice() },
            logStd: { dtype: 'F64', shape: [dim], data: logStd.slice() },
          },
        }),
        dispose() {},
      });
      const result = await runTrainingLoop({
        out: request.out,
        method: TEST_METHOD_NAME,
        steps: request.steps,
        checkpointEvery: request.checkpointEvery,
        resume: request.resume,
        fingerprint: { source: request.data.source, batch: request.batch, seed: request.seed, lr, fixStd },
        create: () => session(new Float64Array(dim), new Float64Array(dim), new Rng(request.seed)),
        restore: (state, tensors) =>
          session(
            Float64Array.from(tensors.mean!.data as Float64Array),
            Float64Array.from(tensors.logStd!.data as Float64Array),
            Rng.fromState((state as { rng: unknown }).rng as RngState),
          ),
        ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
      });
      return { method: TEST_METHOD_NAME, ...result };
    },
    async load(dir) {
      const model = await loadModel(dir, { onWarning: () => {} });
      const mean = model.tensors.mean!.data as Float64Array;
      const logStd = model.tensors.logStd!.data as Float64Array;
      const dim = mean.length;
      return gaussianModel(mean, logStd, dim);
    },
  };
}

function gaussianModel(mean: Float64Array, logStd: Float64Array, dim: number): TrainedModel {
  return {
    method: TEST_METHOD_NAME,
    dim,
    async sample(request: SampleRequest): Promise<SampleResult> {
      const nfe = request.nfe ?? 10;
      const z = new Rng(request.seed).normal(request.n * dim);
      const samples = new Float32Array(request.n * dim);
      for (let i = 0; i < samples.length; i++) {
        samples[i] = mean[i % dim]! + Math.exp(logStd[i % dim]!) * z[i]!;
      }
      const paths = request.trajectories ?? 0;
      const t: number[] = [];
      const states: Float32Array[] = [];
      for (let k = 0; k <= nfe; k++) {
        const tk = k / nfe;
        if (paths > 0) {
          t.push(tk);
          states.push(
            Float32Array.from({ length: paths * dim }, (_, i) => (1 - tk) * z[i]! + tk * samples[i]!),
          );
        }
        if (k > 0) request.onProgress?.({ phase: 'sample', done: k, total: nfe });
      }
      return { samples, dim, nfe, ...(paths > 0 ? { trajectories: { t, states } } : {}) };
    },
    dispose() {},
  };
}
