import type { NamedArray } from '@bridgekit/checkpoint';
import { initBackend, Rng, tf } from '@bridgekit/core';
import { mlp } from '@bridgekit/nn';
import type { SessionSnapshot } from '@bridgekit/train';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type AsbmPhase,
  type AsbmSession,
  type AsbmSessionOptions,
  type AsbmSettings,
  asbmSession,
} from './asbm-session.js';
import { gaussianEnergy } from './energy.js';
import { evaluateField } from './evaluate-field.js';
import { vpReference } from './reference-process.js';

// A tiny ASBM run: 2 rounds of 3 corrector + 4 adjoint steps, then 5 bridge steps (19 in all), 32 paths
// per refresh, a refresh every 2 steps and a buffer of 48 pairs, so the buffer fills, overflows and is
// emptied at every phase start within the run.
const graph = mlp({
  inputDim: 2,
  outputDim: 2,
  hidden: [16],
  activation: 'silu',
  timeEmbedding: { kind: 'raw' },
});
const settings: AsbmSettings = {
  rounds: 2,
  correctorSteps: 3,
  adjointSteps: 4,
  bridgeSteps: 5,
  paths: 32,
  resampleEvery: 2,
  bufferSize: 48,
  batch: 16,
  forwardSteps: 5,
  lr: 1e-3,
  weightDecay: 0,
  gradClip: 100,
  t0: 1e-3,
};
const source = new Rng(5).normalFloat32(40 * 2).map((v, i) => v * 0.5 + (i % 2 === 0 ? 1 : -0.5));
const options: AsbmSessionOptions = {
  reference: vpReference({ betaMin: 0.1, betaMax: 5 }),
  energy: gaussianEnergy(),
  source,
  dim: 2,
  graph,
  settings,
  seed: 13,
};
const TOTAL = 19;

beforeAll(async () => {
  await initBackend('cpu');
});

/** A snapshot as it comes back from disk: JSON state re-parsed, every array copied. */
function roundTrip(snapshot: SessionSnapshot): SessionSnapshot {
  const tensors: Record<string, NamedArray> = {};
  for (const [name, a] of Object.entries(snapshot.tensors)) {
    tensors[name] = { ...a, shape: [...a.shape], data: a.data.slice() } as NamedArray;
  }
  return { state: JSON.parse(JSON.stringify(snapshot.state)), tensors };
}

/** The model's tensors as raw float32 bits, by name. */
function modelBits(s: AsbmSession): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, a] of Object.entries(s.model().tensors)) {
    const data = a.data as Float32Array;
    out[name] = Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
  }
  return out;
}

function lossOf(value: ReturnType<AsbmSession['step']>): number {
  return typeof value === 'number' ? value : value.loss;
}

describe('asbmSession', () => {
  it('lays the steps out as corrector ×3, adjoint ×4, corrector ×3, adjoint ×4, bridge ×5', () => {
    const s = asbmSession(options);
    try {
      expect(s.totalSteps).toBe(TOTAL);
      const expected: [AsbmPhase, number, number][] = [
        ...Array.from({ length: 3 }, () => ['corrector', 0, 0] as [AsbmPhase, number, number]),
        ...Array.from({ length: 4 }, () => ['adjoint', 3, 0] as [AsbmPhase, number, number]),
        ...Array.from({ length: 3 }, () => ['corrector', 7, 1] as [AsbmPhase, number, number]),
        ...Array.from({ length: 4 }, () => ['adjoint', 10, 1] as [AsbmPhase, number, number]),
        ...Array.from({ length: 5 }, () => ['bridge', 14, 2] as [AsbmPhase, number, number]),
      ];
      const got = Array.from({ length: TOTAL }, (_, k) => {
        const p = s.phaseOf(k);
        return [p.phase, p.start, p.round];
      });
      expect(got).toEqual(expected);
      expect(() => s.step(TOTAL)).toThrow(/step must be an integer in \[0, 19\), got 19/);
      expect(() => s.step(-1)).toThrow(/got -1/);
    } finally {
      s.dispose();
    }
  });

  it('starts from the reference: the control is exactly 0 before any step', () => {
    const s = asbmSession(options);
    try {
      const x = tf.tensor2d(new Rng(1).normalFloat32(20 * 2), [20, 2]);
      for (const t of [0, 0.3, 1]) {
        const u = evaluateField(graph, s.fields().control, x, t);
        expect(Array.from(u.dataSync()).every((v) => v === 0)).toBe(true);
        u.dispose();
      }
      // The other fields are initialised as usual (not zero).
      const h = evaluateField(graph, s.fields().corrector, x, 1);
      expect(Array.from(h.dataSync()).some((v) => v !== 0)).toBe(true);
      tf.dispose([x, h]);
    } finally {
      s.dispose();
    }
  });

  it('has a finite first corrector loss, keeps at most bufferSize pairs, and empties the buffer per phase', () => {
    const s = asbmSession(options);
    try {
      expect(s.snapshot().tensors['buffer/x0']).toBeUndefined();
      const first = s.step(0);
      expect(first).toMatchObject({ phase: 'corrector' });
      expect(Number.isFinite(lossOf(first))).toBe(true);
      // Refreshes of 32 pairs at a phase's steps 0, 2, 4 (every 2 steps): 32, then 48 (the cap, oldest dropped).
      const rows: number[] = [];
      const adjoint: boolean[] = [];
      for (let k = 0; k < TOTAL; k++) {
        if (k > 0) expect(Number.isFinite(lossOf(s.step(k)))).toBe(true);
        const { tensors } = s.snapshot();
        const x0 = tensors['buffer/x0']!;
        expect(tensors['buffer/x1']!.shape).toEqual(x0.shape);
        expect(x0.shape[1]).toBe(2);
        expect(x0.shape[0]).toBeLessThanOrEqual(48);
        rows.push(x0.shape[0]!);
        adjoint.push(tensors['buffer/adjoint'] !== undefined);
      }
      expect(rows).toEqual([32, 32, 48, 32, 32, 48, 48, 32, 32, 48, 32, 32, 48, 48, 32, 32, 48, 48, 48]);
      // ã₁ is kept for the adjoint phases only.
      expect(adjoint).toEqual(Array.from({ length: TOTAL }, (_, k) => s.phaseOf(k).phase === 'adjoint'));
    } finally {
      s.dispose();
    }
  });

  it('resumed from a snapshot after any step, continues with the same losses and ends with the same model', () => {
    const whole = asbmSession(options);
    const losses: number[] = [];
    const snapshots: SessionSnapshot[] = [roundTrip(whole.snapshot())];
    for (let k = 0; k < TOTAL; k++) {
      const step = whole.step(k);
      expect(step).toMatchObject({ phase: whole.phaseOf(k).phase });
      losses.push(lossOf(step));
      snapshots.push(roundTrip(whole.snapshot()));
    }
    const final = modelBits(whole);
    whole.dispose();
    expect(losses.every(Number.isFinite)).toBe(true);

    // Every k: inside every phase, at its first step and mid-buffer (k − start odd, so the batch is
    // drawn from the restored buffer without a refresh), and at the very start and end.
    for (let k = 0; k <= TOTAL; k++) {
      const resumed = asbmSession(options, snapshots[k]!);
      try {
        const rest: number[] = [];
        for (let j = k; j < TOTAL; j++) rest.push(lossOf(resumed.step(j)));
        expect(rest, `resumed at step ${k}`).toEqual(losses.slice(k));
        expect(modelBits(resumed), `resumed at step ${k}`).toEqual(final);
      } finally {
        resumed.dispose();
      }
    }
  }, 60_000);

  it('leaks no tensors across steps and frees them all on dispose', () => {
    const before = tf.memory().numTensors;
    const s = asbmSession(options);
    s.step(0);
    const held = tf.memory().numTensors;
    for (let k = 1; k < TOTAL; k++) s.step(k);
    expect(tf.memory().numTensors).toBe(held);
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad settings, naming the setting', () => {
    const bad = (over: Partial<AsbmSettings>) => () =>
      asbmSession({ ...options, settings: { ...settings, ...over } });
    expect(bad({ paths: 0 })).toThrow(/settings\.paths must be an integer ≥ 1, got 0/);
    expect(bad({ t0: 0.6 })).toThrow(/settings\.t0 must lie in \(0, 0\.5\), got 0\.6/);
    expect(bad({ t0: 0 })).toThrow(/settings\.t0 must lie in \(0, 0\.5\), got 0/);
    expect(bad({ resampleEvery: 0 })).toThrow(/settings\.resampleEvery must be an integer ≥ 1/);
    expect(bad({ bufferSize: 1.5 })).toThrow(/settings\.bufferSize must be an integer ≥ 1, got 1\.5/);
    expect(bad({ batch: 0 })).toThrow(/settings\.batch must be an integer ≥ 1/);
    expect(bad({ lr: -1 })).toThrow(/settings\.lr must be a finite number ≥ 0, got -1/);
    expect(bad({ gradClip: 0 })).toThrow(/settings\.gradClip must be a number > 0/);
    expect(bad({ rounds: 0, bridgeSteps: 0 })).toThrow(/must be ≥ 1, got 0 steps/);
  });

  it('refuses a graph that does not map R^dim to R^dim, and a source that is not n·dim values', () => {
    const wide = mlp({ inputDim: 3, outputDim: 2, hidden: [8] });
    expect(() => asbmSession({ ...options, graph: wide })).toThrow(
      /graph must map R\^2 \(and t\) to R\^2, got inputDim 3, outputDim 2/,
    );
    const narrow = mlp({ inputDim: 2, outputDim: 1, hidden: [8] });
    expect(() => asbmSession({ ...options, graph: narrow })).toThrow(/got inputDim 2, outputDim 1/);
    expect(() => asbmSession({ ...options, source: new Float32Array(5) })).toThrow(
      /source must hold n·dim values with n ≥ 1 \(dim = 2\), got 5/,
    );
    expect(() => asbmSession({ ...options, source: new Float32Array(0) })).toThrow(/got 0/);
  });
});
