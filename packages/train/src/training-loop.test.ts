import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, loadModel, type NamedArray } from '@bridgekit/checkpoint';
import { afterEach, describe, expect, it } from 'vitest';
import { runTrainingLoop, type TrainingSession } from './training-loop.js';

/** A session whose state is x ← x·0.9 + step: every step's loss depends on all earlier steps. */
function toySession(initial = 1): TrainingSession & { x: number } {
  const s = {
    x: initial,
    step(k: number) {
      s.x = s.x * 0.9 + k;
      return s.x;
    },
    snapshot() {
      const tensors: Record<string, NamedArray> = {
        x: { dtype: 'F64', shape: [1], data: Float64Array.of(s.x) },
      };
      return { state: { note: 'toy' }, tensors };
    },
    model() {
      return {
        config: { kind: 'toy' },
        tensors: { x: { dtype: 'F64', shape: [1], data: Float64Array.of(s.x) } },
      };
    },
    dispose() {},
  };
  return s as TrainingSession & { x: number };
}

const restore = (_state: unknown, tensors: Record<string, NamedArray>) =>
  toySession(Number(tensors.x!.data[0]));

let dirs: string[] = [];
const tempRun = () => {
  const d = mkdtempSync(join(tmpdir(), 'bridgekit-loop-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const base = { method: 'toy', fingerprint: { seed: 1 }, create: () => toySession(), restore };

describe('runTrainingLoop', () => {
  it('checkpoints every N steps and at the end, and saves the model', async () => {
    const out = tempRun();
    const progress: number[] = [];
    const r = await runTrainingLoop({
      ...base,
      out,
      steps: 10,
      checkpointEvery: 4,
      resume: false,
      logEvery: 5,
      onProgress: (p) => progress.push(p.done),
    });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.lossCurve.map((p) => p.step)).toEqual([5, 10]);
    expect((await loadCheckpoint(out)).step).toBe(10);
    const model = await loadModel(out);
    let x = 1;
    for (let k = 0; k < 10; k++) x = x * 0.9 + k;
    expect(model.tensors.x!.data[0]).toBeCloseTo(x, 12);
    expect(r.finalLoss).toBeCloseTo(x, 12);
  });

  it('a resumed run ends exactly where an uninterrupted one does', async () => {
    const whole = tempRun();
    const a = await runTrainingLoop({ ...base, out: whole, steps: 12, checkpointEvery: 3, resume: false });
    const split = tempRun();
    await runTrainingLoop({ ...base, out: split, steps: 7, checkpointEvery: 3, resume: false });
    const b = await runTrainingLoop({ ...base, out: split, steps: 12, checkpointEvery: 3, resume: true });
    expect(b.resumedFrom).toBe(7);
    expect(b.finalLoss).toBe(a.finalLoss);
    expect(b.lossCurve).toEqual(a.lossCurve);
  });

  it('refuses to overwrite a run, to resume nothing, and to resume with other settings', async () => {
    const out = tempRun();
    await expect(
      runTrainingLoop({ ...base, out, steps: 3, checkpointEvery: 1, resume: true }),
    ).rejects.toThrow(/--resume: no checkpoint in .*checkpoints to resume from/);
    await runTrainingLoop({ ...base, out, steps: 3, checkpointEvery: 1, resume: false });
    await expect(
      runTrainingLoop({ ...base, out, steps: 3, checkpointEvery: 1, resume: false }),
    ).rejects.toThrow(/already holds a training run .*pass --resume/);
    await expect(
      runTrainingLoop({ ...base, fingerprint: { seed: 2 }, out, steps: 5, checkpointEvery: 1, resume: true }),
    ).rejects.toThrow(/trained with seed = 1, now 2/);
    await expect(
      runTrainingLoop({ ...base, method: 'other', out, steps: 5, checkpointEvery: 1, resume: true }),
    ).rejects.toThrow(/written by method 'toy', not 'other'/);
  });

  it('stops with the step number when the loss is not finite', async () => {
    const out = tempRun();
    const session = toySession();
    session.step = (k: number) => (k === 2 ? Number.NaN : 1);
    await expect(
      runTrainingLoop({ ...base, create: () => session, out, steps: 5, checkpointEvery: 1, resume: false }),
    ).rejects.toThrow('training diverged: the loss at step 2 is NaN');
  });

  it('keeps one loss series per phase for phased sessions, and reports the first phase as final', async () => {
    const out = tempRun();
    const session = toySession();
    // Steps 0–2 'dsm' (loss 1, 2, 3), 3–4 'sa' (loss −10, −20), then again.
    session.step = (k: number) =>
      k % 5 < 3 ? { loss: (k % 5) + 1, phase: 'dsm' } : { loss: -10 * ((k % 5) - 2), phase: 'sa' };
    const phases: string[] = [];
    const r = await runTrainingLoop({
      ...base,
      create: () => session,
      out,
      steps: 10,
      checkpointEvery: 10,
      resume: false,
      logEvery: 5,
      onProgress: (p) => phases.push(p.phase),
    });
    expect(r.lossCurve).toEqual([
      { step: 5, loss: 2, phase: 'dsm' },
      { step: 5, loss: -15, phase: 'sa' },
      { step: 10, loss: 2, phase: 'dsm' },
      { step: 10, loss: -15, phase: 'sa' },
    ]);
    expect(r.finalLoss).toBe(3);
    expect(phases.slice(0, 5)).toEqual(['dsm', 'dsm', 'dsm', 'sa', 'sa']);
    session.step = () => ({ loss: Number.POSITIVE_INFINITY, phase: 'sa' });
    await expect(
      runTrainingLoop({
        ...base,
        create: () => session,
        out: tempRun(),
        steps: 2,
        checkpointEvery: 1,
        resume: false,
      }),
    ).rejects.toThrow('training diverged: the sa loss at step 0 is Infinity');
  });

  it('a phased run resumed after its first phase ended reports that phase’s last loss, not NaN', async () => {
    // Steps 0–2 'corrector' (loss 1, 2, 3), then 'bridge' (loss −1, −2, …): resumed at step 5.
    const phased = () => {
      const session = toySession();
      session.step = (k: number) =>
        k < 3 ? { loss: k + 1, phase: 'corrector' } : { loss: 2 - k, phase: 'bridge' };
      return session;
    };
    const options = { ...base, create: phased, restore: () => phased(), checkpointEvery: 5 };
    const whole = await runTrainingLoop({ ...options, out: tempRun(), steps: 8, resume: false });
    const split = tempRun();
    await runTrainingLoop({ ...options, out: split, steps: 5, resume: false });
    const resumed = await runTrainingLoop({ ...options, out: split, steps: 8, resume: true });
    expect(resumed.resumedFrom).toBe(5);
    expect(whole.finalLoss).toBe(3);
    expect(resumed.finalLoss).toBe(3);
  });

  it('reports the named main phase as final, also after a resume inside an earlier phase', async () => {
    const phased = () => {
      const session = toySession();
      session.step = (k: number) =>
        k < 3 ? { loss: k + 1, phase: 'corrector' } : { loss: 2 - k, phase: 'bridge' };
      return session;
    };
    const options = {
      ...base,
      create: phased,
      restore: () => phased(),
      checkpointEvery: 2,
      mainPhase: 'bridge',
    };
    const whole = await runTrainingLoop({ ...options, out: tempRun(), steps: 8, resume: false });
    expect(whole.finalLoss).toBe(-5);
    const split = tempRun();
    await runTrainingLoop({ ...options, out: split, steps: 2, resume: false });
    const resumed = await runTrainingLoop({ ...options, out: split, steps: 8, resume: true });
    expect(resumed.finalLoss).toBe(-5);
    // A run that ends before the main phase starts has no final loss of that phase.
    const early = await runTrainingLoop({ ...options, out: tempRun(), steps: 3, resume: false });
    expect(early.finalLoss).toBeNaN();
  });

  it('validates its counts', async () => {
    await expect(
      runTrainingLoop({ ...base, out: tempRun(), steps: 0, checkpointEvery: 1, resume: false }),
    ).rejects.toThrow('steps must be a positive integer, got 0');
  });
});
