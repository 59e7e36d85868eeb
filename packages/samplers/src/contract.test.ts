// One contract suite, run unchanged over every sampler and on the cpu and wasm backends.
import { type BackendName, initBackend, Rng, tf } from '@bridgekit/core';
import {
  gaussianMixtureScore,
  type LinearGaussianSde,
  linearSchedule,
  type ScoreFn,
  type Sde,
  type VectorField,
  vpSde,
} from '@bridgekit/sde';
import { describe, expect, it } from 'vitest';
import {
  type ExponentialIntegratorOptions,
  eulerMaruyama,
  eulerOde,
  exponentialIntegrator,
  heunOde,
  NonFiniteStateError,
  rk4Ode,
  type SampleOptions,
  type Sampler,
  uniformGrid,
} from './index.js';
import {
  type Counted,
  countedField,
  countedLinear,
  countedSde,
  dampedRotation,
  ouSde,
} from './models.test-helper.js';

interface Case {
  readonly label: string;
  // biome-ignore lint/suspicious/noExplicitAny: the suite drives samplers of every model type alike.
  readonly sampler: Sampler<any, ExponentialIntegratorOptions>;
  readonly options: SampleOptions & { eta?: number };
  readonly grid: number[];
  readonly stochastic: boolean;
  /** A fresh counted model; with `poisonCall` the model returns NaN from that 1-based call on. */
  counted(poisonCall?: number): Counted<unknown>;
}

const vp = (): LinearGaussianSde => vpSde({ schedule: linearSchedule({ betaMin: 0.1, betaMax: 20 }) });
const gaussianData = {
  weights: [1],
  means: [[1, -2]],
  covs: [
    [
      [1, 0.6],
      [0.6, 0.5],
    ],
  ],
};

function poison<T extends tf.Tensor>(count: () => number, poisonCall: number | undefined, y: T): T {
  return poisonCall !== undefined && count() >= poisonCall ? (tf.mul(y, Number.NaN) as T) : y;
}

function poisonedSde(sde: Sde, poisonCall?: number): Counted<Sde> {
  let n = 0;
  const inner = countedSde({
    name: sde.name,
    drift: (x, t) => {
      n++;
      return poison(() => n, poisonCall, sde.drift(x, t));
    },
    diffusion: (t, x) => sde.diffusion(t, x),
  });
  return inner;
}

function poisonedField(field: VectorField, poisonCall?: number): Counted<VectorField> {
  let n = 0;
  return countedField({
    name: field.name,
    velocity: (x, t) => {
      n++;
      return poison(() => n, poisonCall, field.velocity(x, t));
    },
  });
}

function poisonedLinear(sde: LinearGaussianSde, score: ScoreFn, poisonCall?: number) {
  let n = 0;
  return countedLinear(sde, (x, t) => {
    n++;
    return poison(() => n, poisonCall, score(x, t));
  });
}

function cases(): Case[] {
  const rotation = dampedRotation(0.3, 1.5);
  const sde = vp();
  const score = gaussianMixtureScore(sde, gaussianData);
  return [
    {
      label: 'eulerMaruyama (forward OU)',
      sampler: eulerMaruyama,
      options: {},
      grid: uniformGrid(0, 1, 10),
      stochastic: true,
      counted: (p) => poisonedSde(ouSde(1, 0.5), p),
    },
    {
      label: 'eulerOde (forward)',
      sampler: eulerOde,
      options: {},
      grid: uniformGrid(0, 1, 10),
      stochastic: false,
      counted: (p) => poisonedField(rotation, p),
    },
    {
      label: 'heunOde (backward)',
      sampler: heunOde,
      options: {},
      grid: uniformGrid(1, 0, 10),
      stochastic: false,
      counted: (p) => poisonedField(rotation, p),
    },
    {
      label: 'rk4Ode (backward)',
      sampler: rk4Ode,
      options: {},
      grid: uniformGrid(1, 0, 10),
      stochastic: false,
      counted: (p) => poisonedField(rotation, p),
    },
    {
      label: 'exponentialIntegrator η=0',
      sampler: exponentialIntegrator,
      options: { eta: 0 },
      grid: uniformGrid(1, 0.05, 10),
      stochastic: false,
      counted: (p) => poisonedLinear(sde, score, p),
    },
    {
      label: 'exponentialIntegrator η=1',
      sampler: exponentialIntegrator,
      options: { eta: 1 },
      grid: uniformGrid(1, 0.05, 10),
      stochastic: true,
      counted: (p) => poisonedLinear(sde, score, p),
    },
  ];
}

function startState(batch = 8): tf.Tensor2D {
  return tf.tensor2d(new Rng(11).normalFloat32(batch * 2), [batch, 2]);
}

/** The options of a run: the case's own plus a seed when the sampler is stochastic. */
function seeded(c: Case, seed = 1): SampleOptions {
  return c.stochastic ? { ...c.options, seed } : c.options;
}

const BACKENDS: readonly BackendName[] = ['cpu', 'wasm'];

describe.each(BACKENDS)('sampler contract on %s', (backend) => {
  it('initialises the backend', async () => {
    await initBackend(backend);
    expect(tf.getBackend()).toBe(backend);
  });

  describe.each(cases())('$label', (c) => {
    const steps = c.grid.length - 1;

    it('declares its solver: name, kind, order, NFE per step', () => {
      const { solver } = c.sampler;
      expect(typeof solver.name).toBe('string');
      expect(c.sampler.name).toBe(solver.name);
      expect(['sde', 'ode', 'linear']).toContain(solver.kind);
      expect(solver.order).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(solver.nfePerStep) && solver.nfePerStep >= 1).toBe(true);
    });

    it('returns the input shape, the steps, and the NFE it actually made', () => {
      const counted = c.counted();
      const x = startState();
      const result = c.sampler(counted.model, x, c.grid, seeded(c));
      expect(result.x.shape).toEqual([8, 2]);
      expect(result.x.dtype).toBe('float32');
      expect(result.steps).toBe(steps);
      expect(result.nfe).toBe(steps * c.sampler.solver.nfePerStep);
      expect(counted.calls()).toBe(result.nfe);
      expect(result.trajectory).toBeUndefined();
      tf.dispose([x, result.x]);
    });

    it('calls onStep once per step with the grid times in order', () => {
      const x = startState();
      const seen: { step: number; steps: number; t: number; tNext: number; shape: number[] }[] = [];
      const result = c.sampler(c.counted().model, x, c.grid, {
        ...seeded(c),
        onStep: (info) => seen.push({ ...info, shape: info.x.shape }),
      });
      expect(seen.map((s) => s.step)).toEqual([...Array(steps).keys()]);
      expect(seen.every((s) => s.steps === steps)).toBe(true);
      expect(seen.map((s) => s.t)).toEqual(c.grid.slice(0, -1));
      expect(seen.map((s) => s.tNext)).toEqual(c.grid.slice(1));
      const direction = Math.sign(c.grid[1]! - c.grid[0]!);
      expect(seen.every((s) => Math.sign(s.tNext - s.t) === direction)).toBe(true);
      expect(seen.every((s) => s.shape[0] === 8 && s.shape[1] === 2)).toBe(true);
      tf.dispose([x, result.x]);
    });

    it('records steps + 1 states at the grid times, or every k-th with the last', () => {
      const x = startState();
      const full = c.sampler(c.counted().model, x, c.grid, { ...seeded(c), record: true });
      const trajectory = full.trajectory!;
      expect(trajectory.t).toBeInstanceOf(Float64Array);
      expect(Array.from(trajectory.t)).toEqual(c.grid);
      expect(trajectory.states).toHaveLength(steps + 1);
      expect(trajectory.shape).toEqual([8, 2]);
      expect(trajectory.states[0]).toEqual(x.dataSync());
      expect(trajectory.states[steps]).toEqual(full.x.dataSync());
      const sparse = c.sampler(c.counted().model, x, c.grid, { ...seeded(c), record: { every: 3 } });
      expect(Array.from(sparse.trajectory!.t)).toEqual([0, 3, 6, 9, 10].map((k) => c.grid[k]!));
      expect(sparse.trajectory!.states[4]).toEqual(full.x.dataSync());
      tf.dispose([x, full.x, sparse.x]);
    });

    it('neither disposes nor mutates x', () => {
      const x = startState();
      const before = x.dataSync().slice();
      const result = c.sampler(c.counted().model, x, c.grid, seeded(c));
      expect(x.isDisposed).toBe(false);
      expect(x.dataSync()).toEqual(before);
      tf.dispose([x, result.x]);
    });

    it('is bit-identical for the same seed (or Rng of that seed)', () => {
      const x = startState();
      const a = c.sampler(c.counted().model, x, c.grid, seeded(c, 7));
      const b = c.sampler(c.counted().model, x, c.grid, seeded(c, 7));
      expect(b.x.dataSync()).toEqual(a.x.dataSync());
      if (c.stochastic) {
        const viaRng = c.sampler(c.counted().model, x, c.grid, { ...c.options, rng: new Rng(7) });
        expect(viaRng.x.dataSync()).toEqual(a.x.dataSync());
        viaRng.x.dispose();
      }
      tf.dispose([x, a.x, b.x]);
    });

    it(c.stochastic ? 'differs between seeds' : 'ignores seeds and never asks for noise', () => {
      const x = startState();
      let noiseCalls = 0;
      const a = c.sampler(c.counted().model, x, c.grid, seeded(c, 1));
      const b = c.stochastic
        ? c.sampler(c.counted().model, x, c.grid, seeded(c, 2))
        : c.sampler(c.counted().model, x, c.grid, {
            ...c.options,
            seed: 2,
            noise: (shape) => {
              noiseCalls++;
              return tf.zeros(shape as [number, number]);
            },
          });
      const av = a.x.dataSync();
      const bv = b.x.dataSync();
      if (c.stochastic) expect(av.some((v, i) => v !== bv[i])).toBe(true);
      else {
        expect(bv).toEqual(av);
        expect(noiseCalls).toBe(0);
      }
      tf.dispose([x, a.x, b.x]);
    });

    it('leaks no tensor over a 200-step run (with onStep and record)', () => {
      const x = startState();
      const grid = uniformGrid(c.grid[0]!, c.grid[steps]!, 200);
      const warm = c.sampler(c.counted().model, x, grid.slice(0, 3), seeded(c));
      warm.x.dispose();
      const before = tf.memory().numTensors;
      const during: number[] = [];
      const result = c.sampler(c.counted().model, x, grid, {
        ...seeded(c),
        record: { every: 50 },
        onStep: () => during.push(tf.memory().numTensors),
      });
      // Inside the callback exactly one tensor exists beyond `before`: the current state.
      expect(Math.min(...during)).toBe(before + 1);
      expect(Math.max(...during)).toBe(before + 1);
      expect(tf.memory().numTensors).toBe(before + 1);
      result.x.dispose();
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });

    it('names the step and time where the state first became non-finite, and cleans up', () => {
      const x = startState();
      const nfe = c.sampler.solver.nfePerStep;
      const before = tf.memory().numTensors;
      let caught: unknown;
      try {
        // The first model call of step 3 returns NaN.
        c.sampler(c.counted(3 * nfe + 1).model, x, c.grid, seeded(c)).x.dispose();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NonFiniteStateError);
      const error = caught as NonFiniteStateError;
      expect(error.step).toBe(3);
      expect(error.t).toBe(c.grid[3]);
      expect(error.tNext).toBe(c.grid[4]);
      expect(error.message).toContain(`step 3 of ${steps}`);
      expect(error.message).toContain(`t = ${c.grid[3]}`);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });

    it('rejects bad arguments with errors that name them', () => {
      const model = c.counted().model;
      const x = startState();
      const run =
        (xx: unknown, grid: unknown, options: unknown = seeded(c), m: unknown = model) =>
        () =>
          c.sampler(m, xx as tf.Tensor2D, grid as number[], options as SampleOptions);
      const g = c.grid;
      expect(run(x, [g[0]])).toThrow(/timeGrid must hold at least 2 times.*length 1/);
      expect(run(x, [])).toThrow(RangeError);
      expect(run(x, [g[0], g[2], g[1], g[3]])).toThrow(
        /timeGrid must be strictly (in|de)creasing.*timeGrid\[2\]/,
      );
      expect(run(x, [g[0], Number.NaN, g[2]])).toThrow(/timeGrid\[1\] must be a finite number, got NaN/);
      expect(run(x, [g[0], g[1], Number.POSITIVE_INFINITY])).toThrow(/timeGrid\[2\] must be a finite number/);
      expect(run(x, 'abc')).toThrow(TypeError);
      const rank1 = tf.zeros([8]);
      const rank3 = tf.zeros([2, 4, 2]);
      expect(run(rank1, g)).toThrow(/x must be a rank-2 tensor \[batch, dim\], got rank 1/);
      expect(run(rank3, g)).toThrow(/x must be a rank-2 tensor.*shape \[2, 4, 2\]/);
      expect(run([[1, 2]], g)).toThrow(/x must be a tf.Tensor2D/);
      expect(run(x, g, seeded(c), {})).toThrow(/model must be/);
      expect(run(x, g, { ...seeded(c), record: { every: 0 } })).toThrow(/options.record must be/);
      expect(run(x, g, { ...seeded(c), finalStep: 'last' })).toThrow(
        /options.finalStep must be 'noise' or 'denoise'/,
      );
      expect(run(x, g, { ...c.options, seed: -1 })).toThrow(
        /options.seed must be a non-negative safe integer, got -1/,
      );
      expect(run(x, g, { ...c.options, rng: 42 })).toThrow(/options.rng must be an Rng/);
      expect(run(x, g, { ...c.options, onStep: 3 })).toThrow(/options.onStep must be a function/);
      if (c.stochastic) {
        expect(run(x, g, c.options)).toThrow(/pass options.seed .* or options.rng/);
        expect(run(x, g, { ...c.options, seed: 1, rng: new Rng(1) })).toThrow(
          /exactly one of options.rng and options.seed/,
        );
        expect(run(x, g, { ...c.options, noise: () => tf.zeros([3, 2]) })).toThrow(
          /options.noise must return .*\[8, 2\]/,
        );
      } else {
        c.sampler(model, x, g, c.options).x.dispose();
      }
      const disposed = startState();
      disposed.dispose();
      expect(run(disposed, g)).toThrow(/x has been disposed/);
      const nan = tf.tensor2d([[Number.NaN, 0]]);
      expect(run(nan, g)).toThrow(/x contains NaN/);
      tf.dispose([x, rank1, rank3, nan]);
    });

    if (c.stochastic) {
      it("uses injected noise once per step, and none on a 'denoise' last step", () => {
        const x = startState();
        const shapes: number[][] = [];
        const zeros = (shape: readonly [number, number]) => {
          shapes.push([...shape]);
          return tf.zeros(shape as [number, number]) as tf.Tensor2D;
        };
        const a = c.sampler(c.counted().model, x, c.grid, { ...c.options, noise: zeros });
        expect(shapes).toHaveLength(steps);
        expect(shapes.every((s) => s[0] === 8 && s[1] === 2)).toBe(true);
        shapes.length = 0;
        const b = c.sampler(c.counted().model, x, c.grid, {
          ...c.options,
          noise: zeros,
          finalStep: 'denoise',
        });
        expect(shapes).toHaveLength(steps - 1);
        // With zero noise, dropping the last step's noise changes nothing.
        expect(b.x.dataSync()).toEqual(a.x.dataSync());
        const seededDenoise = c.sampler(c.counted().model, x, c.grid, {
          ...c.options,
          seed: 3,
          finalStep: 'denoise',
        });
        const seededNoise = c.sampler(c.counted().model, x, c.grid, { ...c.options, seed: 3 });
        expect(seededDenoise.x.dataSync()).not.toEqual(seededNoise.x.dataSync());
        tf.dispose([x, a.x, b.x, seededDenoise.x, seededNoise.x]);
      });
    }
  });
});

describe('same seed, every backend', () => {
  it.each(cases().filter((c) => c.stochastic))('$label gives the same samples on cpu and wasm', async (c) => {
    const out: Float32Array[] = [];
    for (const backend of BACKENDS) {
      await initBackend(backend);
      const x = startState();
      const result = c.sampler(c.counted().model, x, c.grid, seeded(c, 5));
      out.push(result.x.dataSync() as Float32Array);
      tf.dispose([x, result.x]);
    }
    // Same host noise; only float32 kernel rounding may differ between backends.
    const [a, b] = out as [Float32Array, Float32Array];
    for (let i = 0; i < a.length; i++)
      expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(a[i]!)));
  });
});
