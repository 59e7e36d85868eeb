import type { NamedArray } from '@bridgekit/checkpoint';
import { initBackend, Rng, tf } from '@bridgekit/core';
import { apply, initParams, mlp, type Params } from '@bridgekit/nn';
import { gaussianFlowVelocity } from '@bridgekit/sde';
import type { SessionSnapshot } from '@bridgekit/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FinetuneMethodName,
  type FinetuneSession,
  type FinetuneSettings,
  finetuneSession,
} from './finetune-session.js';
import { gaussianTiltReward } from './gaussian-tilt-reward.js';
import type { Reward } from './reward.js';

// A tiny flow network and a small problem: 32 paths, 8 SDE steps (AM) or 4 Heun steps (EAM).
const graph = mlp({
  inputDim: 2,
  outputDim: 2,
  hidden: [16, 16],
  activation: 'silu',
  timeEmbedding: { kind: 'raw' },
});
let baseParams: Params;
const reward = gaussianTiltReward({ a: 1, c: [1, 0] });

beforeAll(async () => {
  await initBackend('cpu');
  baseParams = initParams(graph, new Rng(7));
});

afterAll(() => {
  for (const t of Object.values(baseParams)) t.dispose();
});

function settings(method: FinetuneMethodName, over: Partial<FinetuneSettings> = {}): FinetuneSettings {
  return {
    method,
    lambda: 1,
    paths: 32,
    timesPerPath: 4,
    passes: 1,
    lr: 1e-2,
    weightDecay: 0,
    sdeSteps: 8,
    clip: false,
    odeSteps: 4,
    odeSolver: 'heun',
    delta: 0.1,
    terminalScore: 'tweedie',
    ...over,
  };
}

function session(s: FinetuneSettings, restored?: SessionSnapshot): FinetuneSession {
  return finetuneSession({ graph, baseParams, reward, settings: s, seed: 11 }, restored);
}

/** A snapshot as it comes back from disk: JSON state re-parsed, every array copied. */
function roundTrip(snapshot: SessionSnapshot): SessionSnapshot {
  const tensors: Record<string, NamedArray> = {};
  for (const [name, a] of Object.entries(snapshot.tensors)) {
    tensors[name] = { ...a, shape: [...a.shape], data: a.data.slice() } as NamedArray;
  }
  return { state: JSON.parse(JSON.stringify(snapshot.state)), tensors };
}

/** The model's parameters as raw float32 bits, by name. */
function paramBits(s: FinetuneSession): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, a] of Object.entries(s.model().tensors)) {
    const data = a.data as Float32Array;
    out[name] = Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
  }
  return out;
}

function lossOf(value: ReturnType<FinetuneSession['step']>): number {
  return typeof value === 'number' ? value : value.loss;
}

describe('finetuneSession', () => {
  for (const method of ['am', 'eam'] as const) {
    for (const passes of [1, 2]) {
      it(`${method}, passes = ${passes}: 6 steps straight equal 3 steps, snapshot, restore, 3 more — bit for bit${passes === 2 ? ' (snapshot mid-buffer)' : ''}`, () => {
        // AM with clipping on, so the running clip threshold must survive the snapshot too.
        const s = settings(method, { passes, clip: method === 'am' });
        const straight = session(s);
        const straightLosses = [0, 1, 2, 3, 4, 5].map((k) => lossOf(straight.step(k)));
        const straightBits = paramBits(straight);
        const straightCost = straight.cost();
        straight.dispose();

        const first = session(s);
        const losses = [0, 1, 2].map((k) => lossOf(first.step(k)));
        const snapshot = roundTrip(first.snapshot());
        first.dispose();
        if (passes === 2) expect(snapshot.tensors['buffer/x']).toBeDefined(); // step 3 reuses step 2's buffer
        const resumed = session(s, snapshot);
        losses.push(...[3, 4, 5].map((k) => lossOf(resumed.step(k))));
        expect(losses).toEqual(straightLosses);
        expect(paramBits(resumed)).toEqual(straightBits);
        expect(resumed.cost()).toEqual(straightCost);
        // … and fine-tuning did move the parameters.
        const fresh = session(s);
        expect(paramBits(resumed)).not.toEqual(paramBits(fresh));
        fresh.dispose();
        resumed.dispose();
      });
    }
  }

  it('T12: AM with λ = 0 and no clipping has loss exactly 0 at the base model and leaves the parameters unchanged', () => {
    const s = session(settings('am', { lambda: 0, passes: 2 }));
    const before = paramBits(s);
    for (let k = 0; k < 4; k++) expect(lossOf(s.step(k))).toBe(0);
    expect(paramBits(s)).toEqual(before);
    s.dispose();
  });

  it('cost() counts row-evaluations as documented: AM 3·K·n + rows per collection, EAM nfe·n + n; training 2·rows per step', () => {
    const n = 32;
    const am = session(settings('am', { passes: 2 }));
    const amRows = n * 4; // 4 of the 7 interior steps per path
    const amCollect = 3 * 8 * n + amRows;
    expect(am.cost()).toEqual({ sampling: 0, training: 0 });
    am.step(0);
    expect(am.cost()).toEqual({ sampling: amCollect, training: 2 * amRows });
    am.step(1); // replays the buffer: no sampling
    expect(am.cost()).toEqual({ sampling: amCollect, training: 4 * amRows });
    am.step(2);
    expect(am.cost()).toEqual({ sampling: 2 * amCollect, training: 6 * amRows });
    am.dispose();

    // Clipping evaluates the network once more on every row of every step.
    const clipped = session(settings('am', { passes: 2, clip: true }));
    clipped.step(0);
    clipped.step(1);
    expect(clipped.cost()).toEqual({ sampling: amCollect + 2 * amRows, training: 4 * amRows });
    clipped.dispose();

    const eam = session(settings('eam', { passes: 2 }));
    const eamCollect = 2 * 4 * n + n; // Heun: 2 evaluations × 4 steps per endpoint, + the Tweedie score
    const eamRows = n * 4; // every endpoint re-noised at 4 times
    eam.step(0);
    expect(eam.cost()).toEqual({ sampling: eamCollect, training: 2 * eamRows });
    eam.step(1);
    eam.step(2);
    expect(eam.cost()).toEqual({ sampling: 2 * eamCollect, training: 6 * eamRows });
    eam.dispose();
    const euler = session(settings('eam', { odeSolver: 'euler' }));
    euler.step(0);
    expect(euler.cost().sampling).toBe(4 * n + n);
    euler.dispose();
  });

  it('baseVelocity replaces the network in the adjoint and the targets: with v_lin and a linear reward, AM rows are v_lin + ((1−t)/t)·Φ(1, t)·λb (T11)', () => {
    // r(x) = ⟨b, x⟩: ã_K = −λb for every path, and the exact discrete adjoint of the exponential step of
    // the linear base (x′ = Φ(t′, t)x) is ã_k = Φ(1, t_k)·ã_K: the targets are known row by row.
    const b = [0.5, -2];
    const lambda = 1.5;
    const linear: Reward = {
      name: 'linear',
      value: (x) => tf.tidy(() => tf.sum(tf.mul(x, tf.tensor2d([b])), 1) as tf.Tensor1D),
      gradient: (x) => tf.tidy(() => tf.tile(tf.tensor2d([b]), [x.shape[0], 1]) as tf.Tensor2D),
    };
    const s = finetuneSession({
      graph,
      baseParams,
      baseVelocity: gaussianFlowVelocity({ mean: 0, std: 1 }),
      reward: linear,
      settings: settings('am', { lambda }),
      seed: 3,
    });
    s.step(0);
    const { tensors } = s.snapshot();
    s.dispose();
    const x = tensors['buffer/x']!.data as Float32Array;
    const t = tensors['buffer/t']!.data as Float32Array;
    const target = tensors['buffer/target']!.data as Float32Array;
    expect(t.length).toBe(32 * 4);
    t.forEach((ti, i) => {
      const c = (2 * ti - 1) / (ti * ti + (1 - ti) ** 2);
      const phi = ti / (ti * ti + (1 - ti) ** 2);
      for (let j = 0; j < 2; j++) {
        const want = c * x[2 * i + j]! + ((1 - ti) / ti) * phi * lambda * b[j]!;
        expect(Math.abs(target[2 * i + j]! - want)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want)));
      }
    });
  });

  it('EAM: baseVelocity gives the Tweedie term of ∇g = −λ∇r − s₁^base − x, and every step re-noises the endpoints afresh', () => {
    const lambda = 2;
    const delta = 0.1;
    const s = finetuneSession({
      graph,
      baseParams,
      baseVelocity: gaussianFlowVelocity({ mean: 0, std: 1 }),
      reward,
      settings: settings('eam', { lambda, delta, passes: 2, lr: 0 }),
      seed: 4,
    });
    const loss0 = lossOf(s.step(0));
    const { tensors } = s.snapshot();
    // Endpoints x and ∇g are the buffer; with the N(0, I) base, s₁ ≈ −(1−δ)²x/n(1−δ) and ∇r = −(x − c).
    const x = tensors['buffer/x']!.data as Float32Array;
    const g = tensors['buffer/target']!.data as Float32Array;
    const n = (1 - delta) ** 2 + delta ** 2;
    const c = [1, 0];
    x.forEach((xi, i) => {
      const want = lambda * (xi - c[i % 2]!) + ((1 - delta) ** 2 * xi) / n - xi;
      expect(Math.abs(g[i]! - want)).toBeLessThan(1e-4 * Math.max(1, Math.abs(want)));
    });
    // lr = 0 keeps the network fixed and step 1 reuses the buffer: only fresh times and noise change the loss.
    const loss1 = lossOf(s.step(1));
    expect(loss1).not.toBe(loss0);
    s.dispose();
  });

  it('clipping: rows whose √loss exceeds the EMA of the 0.9-quantile are scaled down to it — the loss changes', () => {
    // passes = 2: both steps regress the same buffer. Step 0 only sets the threshold (no clipping yet).
    const on = session(settings('am', { passes: 2, clip: true }));
    const off = session(settings('am', { passes: 2, clip: false }));
    expect(lossOf(on.step(0))).toBe(lossOf(off.step(0)));
    const snap = on.snapshot();
    const q0 = (snap.state as { clipThreshold: number }).clipThreshold;
    const tensors = snap.tensors;
    const b = tensors['buffer/t']!.shape[0]!;
    const rows = {
      x: tf.tensor2d(tensors['buffer/x']!.data as Float32Array, [b, 2]),
      t: tf.tensor1d(tensors['buffer/t']!.data as Float32Array),
      target: tf.tensor2d(tensors['buffer/target']!.data as Float32Array, [b, 2]),
    };
    const weight = tensors['buffer/weight']!.data as Float32Array;
    const perRow = (params: Params) =>
      tf.tidy(() =>
        tf.mean(tf.square(tf.sub(apply(graph, params, rows.x, rows.t), rows.target)), 1).dataSync(),
      );
    // The threshold after step 0 is the 0.9-quantile of √(w·loss) at the base parameters.
    const roots0 = Float64Array.from(perRow(baseParams), (l, i) => Math.sqrt(l * weight[i]!)).sort();
    expect(q0).toBeCloseTo(roots0[Math.floor(0.9 * b)]!, 6);
    // Step 1, from the parameters after step 0 (identical in both sessions): clipped loss on the host.
    const params: Params = {};
    for (const [name, a] of Object.entries(on.model().tensors)) {
      params[name.replace(/^params\//, '')] = tf.tensor(a.data as Float32Array, a.shape);
    }
    const losses = perRow(params);
    let unclipped = 0;
    let clipped = 0;
    let outliers = 0;
    losses.forEach((l, i) => {
      const w = weight[i]!;
      const root = Math.sqrt(l * w);
      unclipped += w * l;
      if (root > q0) outliers++;
      clipped += root > q0 ? w * l * (q0 / root) ** 2 : w * l;
    });
    expect(outliers).toBeGreaterThan(0);
    const lossOn = lossOf(on.step(1));
    const lossOff = lossOf(off.step(1));
    expect(lossOff).toBeCloseTo(unclipped / b, 5);
    expect(lossOn).toBeCloseTo(clipped / b, 5);
    expect(lossOn).toBeLessThan(lossOff * (1 - 1e-3));
    tf.dispose([rows.x, rows.t, rows.target, ...Object.values(params)]);
    on.dispose();
    off.dispose();
  });
});

describe('finetuneSession settings', () => {
  it('names a bad setting and what would be valid', () => {
    expect(() => session(settings('am', { passes: 0 }))).toThrow(
      /settings\.passes must be an integer ≥ 1, got 0/,
    );
    expect(() => session(settings('eam', { delta: 1 }))).toThrow(
      /settings\.delta must be in \(0, 1\), got 1/,
    );
    expect(() => session(settings('am', { lambda: -1 }))).toThrow(
      /settings\.lambda must be a finite number ≥ 0/,
    );
    expect(() => session({ ...settings('am'), method: 'x' as 'am' })).toThrow(
      /settings\.method must be 'am' or 'eam'/,
    );
  });
});

describe("finetuneSession with EAM's fitted terminal score", () => {
  const fit = { samples: 256, steps: 20 };
  const fittedSession = (restored?: SessionSnapshot) =>
    finetuneSession(
      {
        graph,
        baseParams,
        reward,
        settings: settings('eam', { terminalScore: 'fitted' }),
        seed: 11,
        scoreFit: fit,
      },
      restored,
    );

  it('fits once on creation (its cost counted), saves the score network and resumes bit for bit', () => {
    const straight = fittedSession();
    expect(straight.cost().sampling).toBe(100 * fit.samples + 2 * fit.steps * 512);
    const straightLosses = [0, 1, 2, 3].map((k) => lossOf(straight.step(k)));
    const straightBits = paramBits(straight);
    straight.dispose();
    const first = fittedSession();
    const losses = [0, 1].map((k) => lossOf(first.step(k)));
    const snapshot = roundTrip(first.snapshot());
    first.dispose();
    expect(Object.keys(snapshot.tensors).some((n) => n.startsWith('score/'))).toBe(true);
    const resumed = fittedSession(snapshot);
    losses.push(...[2, 3].map((k) => lossOf(resumed.step(k))));
    expect(losses).toEqual(straightLosses);
    expect(paramBits(resumed)).toEqual(straightBits);
    resumed.dispose();
  });

  it('uses the fitted score instead of Tweedie: the rows differ from the Tweedie run', () => {
    const a = fittedSession();
    const b = session(settings('eam', { terminalScore: 'tweedie' }));
    expect(lossOf(a.step(0))).not.toBe(lossOf(b.step(0)));
    a.dispose();
    b.dispose();
  });
});
