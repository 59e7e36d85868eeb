import type { JsonValue, NamedArray } from '@bridgekit/checkpoint';
import { initBackend, Rng, tf } from '@bridgekit/core';
import { mlp } from '@bridgekit/nn';
import { powerSchedule } from '@bridgekit/sde';
import type { PhasedLoss, TrainingSession } from '@bridgekit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VariationalFamily } from './family.js';
import { forwardPolicyConfig, initForwardPolicy } from './forward-policy.js';
import type { PolicyOptimizerConfig } from './policy-optimizer.js';
import { gaussianPoints } from './test-support.test-helper.js';
import {
  stagePosition,
  trainingGrid,
  type VariationalTrainingOptions,
  variationalSession,
} from './variational-session.js';
import { vsdmFamily } from './vsdm-family.js';
import { initMomentumPolicy, momentumPolicyConfig, vsmdFamily } from './vsmd-family.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const schedule = powerSchedule({ betaMin: 0.1, betaMax: 10, r: 1.7 });
const ADAMW: PolicyOptimizerConfig = {
  kind: 'adamw',
  lr: 1e-2,
  lrOrthogonal: 2e-3,
  weightDecay: 0,
  stepEvery: 1000,
  gamma: 0.99,
};
const RM: PolicyOptimizerConfig = { kind: 'robbins-monro', lr: 0.05, k0: 10, alpha: 0.75 };

function options<P>(
  family: VariationalFamily<P>,
  initialPolicy: P,
  policyOptimizer: PolicyOptimizerConfig,
  parameterization?: 'score' | 'noise',
): VariationalTrainingOptions<P> {
  return {
    family,
    initialPolicy,
    ...(parameterization === undefined ? {} : { parameterization }),
    graph: mlp({
      inputDim: family.stateDim,
      outputDim: family.noisy.length,
      hidden: [16],
      timeEmbedding: { kind: 'raw' },
    }),
    data: gaussianPoints(new Rng(1), 256, [1.5, -2], 0.5),
    seed: 3,
    grid: 10,
    t0: 1e-3,
    dsmSteps: 3,
    saSteps: 2,
    batch: 32,
    samplePaths: 64,
    saBatch: 32,
    zeta: 0.75,
    lr: 1e-3,
    weightDecay: 0,
    emaDecay: 0.99,
    policyOptimizer,
    modelConfig: { method: 'test' },
  };
}

type AnyOptions = VariationalTrainingOptions<unknown>;

const CASES: readonly (readonly [string, () => AnyOptions])[] = [
  [
    'vsdm (full, time-varying, AdamW, score parameterisation)',
    () =>
      options<unknown>(
        vsdmFamily(schedule, 2),
        initForwardPolicy(
          forwardPolicyConfig({ dim: 2, timeVarying: true, embedDim: 8, hidden: 4 }),
          new Rng(0),
        ),
        ADAMW,
        'score',
      ),
  ],
  [
    'vsdm (diagonal, Robbins–Monro, default noise parameterisation)',
    () =>
      options<unknown>(
        vsdmFamily(schedule, 2),
        initForwardPolicy(forwardPolicyConfig({ dim: 2, structure: 'diagonal' }), new Rng(0)),
        RM,
      ),
  ],
  [
    'vsmd (ζ_d = 0.7, AdamW, noise parameterisation)',
    () => {
      const config = momentumPolicyConfig({ dim: 2, dampingRatio: 0.7 });
      return options<unknown>(vsmdFamily(schedule, config), initMomentumPolicy(config), ADAMW, 'noise');
    },
  ],
];

const PHASES = ['backward', 'backward', 'backward', 'forward', 'forward'];

/** A checkpoint round trip: the JSON state re-parsed, every array copied. */
function roundTrip(snapshot: { state: JsonValue; tensors: Record<string, NamedArray> }) {
  const tensors: Record<string, NamedArray> = {};
  for (const [name, a] of Object.entries(snapshot.tensors)) {
    tensors[name] = { ...a, shape: [...a.shape], data: a.data.slice() } as NamedArray;
  }
  return { state: JSON.parse(JSON.stringify(snapshot.state)) as JsonValue, tensors };
}

function policyArrays(tensors: Record<string, NamedArray>, prefix: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, a] of Object.entries(tensors)) {
    if (!name.startsWith(prefix)) continue;
    expect(a.dtype, name).toBe('F64');
    out[name.slice(prefix.length)] = Array.from(a.data as Float64Array);
  }
  return out;
}

function expectSameTensors(a: Record<string, NamedArray>, b: Record<string, NamedArray>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const [name, x] of Object.entries(a)) {
    const y = b[name]!;
    expect(y.dtype, name).toBe(x.dtype);
    expect(y.shape, name).toEqual(x.shape);
    // Bit-identical: compare the bytes (distinguishes −0 from 0 and every NaN payload).
    const bytes = (t: NamedArray) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    expect(bytes(y), name).toEqual(bytes(x));
  }
}

function run(session: TrainingSession, from: number, to: number): PhasedLoss[] {
  const out: PhasedLoss[] = [];
  for (let k = from; k < to; k++) out.push(session.step(k) as PhasedLoss);
  return out;
}

describe('stagePosition and trainingGrid', () => {
  it('splits global steps into stages of dsmSteps backward then saSteps forward steps', () => {
    expect(stagePosition(0, 3, 2)).toEqual({ stage: 0, phase: 'backward', index: 0 });
    expect(stagePosition(2, 3, 2)).toEqual({ stage: 0, phase: 'backward', index: 2 });
    expect(stagePosition(3, 3, 2)).toEqual({ stage: 0, phase: 'forward', index: 0 });
    expect(stagePosition(4, 3, 2)).toEqual({ stage: 0, phase: 'forward', index: 1 });
    expect(stagePosition(5, 3, 2)).toEqual({ stage: 1, phase: 'backward', index: 0 });
    expect(stagePosition(13, 3, 2)).toEqual({ stage: 2, phase: 'forward', index: 0 });
    expect(stagePosition(1004, 500, 100)).toEqual({ stage: 1, phase: 'backward', index: 404 });
    expect(stagePosition(1150, 500, 100)).toEqual({ stage: 1, phase: 'forward', index: 50 });
  });

  it('trainingGrid is linspace(t0, 1, K)', () => {
    const grid = trainingGrid(5, 0.2);
    expect(grid.length).toBe(5);
    [0.2, 0.4, 0.6, 0.8, 1].forEach((t, k) => {
      expect(grid[k]).toBeCloseTo(t, 15);
    });
    const official = trainingGrid(100, 1e-3);
    expect(official[0]).toBe(1e-3);
    expect(official[99]).toBe(1);
    expect(official[1]! - official[0]!).toBeCloseTo(0.999 / 99, 15);
  });
});

describe.each(CASES)('variationalSession: %s', (_label, make) => {
  it('alternates phases, updates the policy only in forward steps, and resumes bit-identically', () => {
    const opts = make();
    const numTensors = tf.memory().numTensors;
    const session = variationalSession(opts);
    const snapshots = new Map<number, ReturnType<typeof roundTrip>>();
    const losses: PhasedLoss[] = [];
    for (let k = 0; k < 10; k++) {
      losses.push(session.step(k) as PhasedLoss);
      snapshots.set(k, roundTrip(session.snapshot()));
    }
    expect(losses.map((l) => l.phase)).toEqual([...PHASES, ...PHASES]);
    for (const l of losses) expect(Number.isFinite(l.loss)).toBe(true);
    // The first forward step sees the initial policy: A = 0 (VSDM) / Ã = 0 (VSMD at K = I) ⇒ loss 0.
    expect(losses[3]!.loss).toBe(0);
    expect(losses[4]!.loss).not.toBe(0);

    const initial = Object.fromEntries(
      Object.entries(opts.family.params(opts.initialPolicy)).map(([k, v]) => [k, Array.from(v)]),
    );
    const at = (k: number, prefix: string) => policyArrays(snapshots.get(k)!.tensors, prefix);
    // Backward steps leave every policy copy alone.
    for (const prefix of ['policy/', 'policy-ema/', 'policy-stage/']) expect(at(2, prefix)).toEqual(initial);
    // The first forward step changes the live policy and its EMA, not the stage's frozen policy.
    expect(at(3, 'policy/')).not.toEqual(initial);
    expect(at(4, 'policy/')).not.toEqual(at(3, 'policy/'));
    expect(at(4, 'policy-ema/')).not.toEqual(initial);
    expect(at(4, 'policy-stage/')).toEqual(initial);
    // EMA: e ← 0.99 e + 0.01 p after each forward step.
    const live4 = at(4, 'policy/');
    const ema3 = at(3, 'policy-ema/');
    for (const [name, values] of Object.entries(at(4, 'policy-ema/'))) {
      values.forEach((v, i) => {
        expect(v).toBeCloseTo(0.99 * ema3[name]![i]! + 0.01 * live4[name]![i]!, 14);
      });
    }
    // Stage 1 freezes the EMA policy of the end of stage 0; its backward steps keep the live policy.
    expect(at(5, 'policy-stage/')).toEqual(at(4, 'policy-ema/'));
    expect(at(7, 'policy/')).toEqual(live4);
    expect(at(9, 'policy/')).not.toEqual(live4);

    // Resume after step 6 (inside a backward phase) and after step 8 (inside a forward phase: the
    // stage's trajectories must be re-simulated from the saved EMA network).
    const final = snapshots.get(9)!;
    for (const after of [6, 8]) {
      const restored = variationalSession(opts, snapshots.get(after)!);
      const resumed = run(restored, after + 1, 10);
      expect(resumed).toEqual(losses.slice(after + 1));
      const end = restored.snapshot();
      expect(end.state).toEqual(final.state);
      expectSameTensors(end.tensors, final.tensors);
      restored.dispose();
    }

    // The inference model: EMA network weights and the policy they were trained against (the
    // stage's frozen EMA policy, not the EMA that has moved on during the forward phase).
    const model = session.model();
    const config = model.config as { method: string; graph: unknown; parameterization: string };
    expect(config.method).toBe('test');
    expect(config.graph).toEqual(opts.graph);
    expect(config.parameterization).toBe(opts.parameterization ?? 'noise');
    expect(policyArrays(model.tensors, 'policy/')).toEqual(at(9, 'policy-stage/'));
    expect(at(9, 'policy-stage/')).not.toEqual(at(9, 'policy-ema/'));
    expect(Object.keys(model.tensors).some((k) => k.startsWith('params/'))).toBe(true);
    session.dispose();
    expect(tf.memory().numTensors).toBe(numTensors);
  });

  it('depends on the seed', () => {
    const a = variationalSession(make());
    const opts = make();
    const b = variationalSession({ ...opts, seed: opts.seed + 1 });
    const la = run(a, 0, 5).map((l) => l.loss);
    const lb = run(b, 0, 5).map((l) => l.loss);
    expect(la).not.toEqual(lb);
    a.dispose();
    b.dispose();
  });
});
