import { join } from 'node:path';
import {
  type JsonValue,
  latestCheckpoint,
  loadCheckpoint,
  type NamedArray,
  saveCheckpoint,
  saveModel,
} from '@bridgekit/checkpoint';
import type { Progress } from './method.js';

/** What a session hands to a checkpoint: JSON state plus named arrays. */
export interface SessionSnapshot {
  readonly state: JsonValue;
  readonly tensors: Record<string, NamedArray>;
}

/**
 * What a step returns when a session alternates between objectives (VSDM's stages: backward
 * score matching, then forward updates): its loss and the name of its phase. The loss curve keeps
 * one series per phase.
 */
export interface PhasedLoss {
  readonly loss: number;
  readonly phase: string;
}

/** A point of a loss curve: the mean loss of the steps since the previous point of the same phase. */
export interface LossPoint {
  step: number;
  loss: number;
  /** Set when the session reports phases ({@link PhasedLoss}). */
  phase?: string;
}

/**
 * One method's training in progress. `step(k)` does optimisation step k (0-based) and returns its
 * loss (or a {@link PhasedLoss}); `snapshot()` captures everything needed to continue exactly (parameters, optimiser moments,
 * EMA, RNG state); `model()` is what inference needs.
 */
export interface TrainingSession {
  step(step: number): number | PhasedLoss;
  snapshot(): SessionSnapshot;
  model(): { readonly config: JsonValue; readonly tensors: Record<string, NamedArray> };
  dispose(): void;
}

export interface TrainingLoopOptions {
  /** Run directory: `<out>/checkpoints/…` and `<out>/model/`. */
  readonly out: string;
  readonly method: string;
  readonly steps: number;
  readonly checkpointEvery: number;
  readonly resume: boolean;
  /**
   * What must be the same for a checkpoint to be resumed (method options, data source, batch,
   * seed, …); a resume with a different fingerprint is refused, naming the first differing key.
   */
  readonly fingerprint: { readonly [key: string]: JsonValue };
  create(): TrainingSession;
  restore(state: JsonValue, tensors: Record<string, NamedArray>): TrainingSession;
  readonly onProgress?: (p: Progress) => void;
  /**
   * For a phased session: the phase whose last loss is the run's `finalLoss` (default: the first phase
   * the session reports). ASBM names its last stage, 'bridge'.
   */
  readonly mainPhase?: string;
  /** Loss-curve resolution: one averaged point per this many steps (default: steps/200, ≥ 1). */
  readonly logEvery?: number;
}

export interface TrainingLoopResult {
  readonly steps: number;
  /** The loss of the last step (of the main phase's last step, for a phased session). */
  readonly finalLoss: number;
  readonly lossCurve: LossPoint[];
  readonly seconds: number;
  readonly modelDir: string;
  readonly resumedFrom?: number;
}

interface LoopCheckpointConfig {
  kind: 'bridgekit-training';
  method: string;
  fingerprint: { [key: string]: JsonValue };
  step: number;
  lossCurve: LossPoint[];
  seconds: number;
  session: JsonValue;
}

/**
 * Runs `steps` optimisation steps with a checkpoint every `checkpointEvery` steps and at the end,
 * then saves the inference model under `<out>/model/`. With `resume`, continues from the latest
 * complete checkpoint in `out` (a run killed at any moment loses at most the steps since its last
 * checkpoint); without it, refuses to overwrite a run directory that already has checkpoints.
 */
export async function runTrainingLoop(options: TrainingLoopOptions): Promise<TrainingLoopResult> {
  checkPositiveInteger('steps', options.steps);
  checkPositiveInteger('checkpointEvery', options.checkpointEvery);
  const logEvery = options.logEvery ?? Math.max(1, Math.floor(options.steps / 200));
  checkPositiveInteger('logEvery', logEvery);

  let session: TrainingSession;
  let start = 0;
  let lossCurve: LossPoint[] = [];
  let secondsBefore = 0;
  const existing = await latestCheckpoint(options.out);
  if (options.resume) {
    if (existing === undefined) {
      throw new Error(`--resume: no checkpoint in ${join(options.out, 'checkpoints')} to resume from`);
    }
    const checkpoint = await loadCheckpoint(options.out);
    const config = checkpoint.config as unknown as LoopCheckpointConfig;
    if (config?.kind !== 'bridgekit-training' || config.method !== options.method) {
      throw new Error(
        `--resume: ${checkpoint.dir} was written by method '${String(config?.method)}', not '${options.method}'`,
      );
    }
    const differing = firstDifference(config.fingerprint, options.fingerprint);
    if (differing !== undefined) {
      throw new Error(
        `--resume: the checkpoint in ${options.out} was trained with ${differing.key} = ${JSON.stringify(differing.was)}, ` +
          `now ${JSON.stringify(differing.now)}; resume with the same settings or train into a new --out directory`,
      );
    }
    if (config.step > options.steps) {
      throw new Error(
        `--resume: the checkpoint is at step ${config.step}, beyond the requested ${options.steps} steps`,
      );
    }
    session = options.restore(config.session, checkpoint.tensors);
    start = config.step;
    lossCurve = config.lossCurve;
    secondsBefore = config.seconds;
  } else {
    if (existing !== undefined) {
      throw new Error(
        `${options.out} already holds a training run (${existing}); pass --resume to continue it or choose a new --out`,
      );
    }
    session = options.create();
  }

  const started = performance.now();
  const elapsed = () => secondsBefore + (performance.now() - started) / 1000;
  const save = async (step: number) => {
    const snap = session.snapshot();
    const config: LoopCheckpointConfig = {
      kind: 'bridgekit-training',
      method: options.method,
      fingerprint: { ...options.fingerprint },
      step,
      lossCurve,
      seconds: elapsed(),
      session: snap.state,
    };
    await saveCheckpoint(options.out, {
      step,
      config: config as unknown as JsonValue,
      tensors: snap.tensors,
    });
  };

  let finalLoss = Number.NaN;
  let mainPhase: string | undefined =
    options.mainPhase ?? lossCurve.find((p) => p.phase !== undefined)?.phase;
  // One averaging window per phase ('' for sessions without phases).
  const windows = new Map<string, { sum: number; count: number }>();
  try {
    for (let k = start; k < options.steps; k++) {
      const result = session.step(k);
      const loss = typeof result === 'number' ? result : result.loss;
      const phase = typeof result === 'number' ? undefined : result.phase;
      if (!Number.isFinite(loss)) {
        throw new Error(
          `training diverged: the ${phase ?? 'loss'}${phase === undefined ? '' : ' loss'} at step ${k} is ${loss}; lower the learning rate or check the data`,
        );
      }
      mainPhase ??= phase;
      if (phase === mainPhase) finalLoss = loss;
      const key = phase ?? '';
      const w = windows.get(key) ?? { sum: 0, count: 0 };
      w.sum += loss;
      w.count++;
      windows.set(key, w);
      const done = k + 1;
      if (done % logEvery === 0 || done === options.steps) {
        for (const [name, win] of windows) {
          if (win.count === 0) continue;
          lossCurve.push({ step: done, loss: win.sum / win.count, ...(name === '' ? {} : { phase: name }) });
          win.sum = 0;
          win.count = 0;
        }
      }
      options.onProgress?.({ phase: phase ?? 'train', done, total: options.steps, loss });
      if (done % options.checkpointEvery === 0 || done === options.steps) {
        await save(done);
      }
    }
    // No step of the main phase ran here (a resume at the end, or past the main phase's last step, as
    // in a phased run's final phase): the final loss is the curve's last point of that phase.
    if (Number.isNaN(finalLoss)) {
      finalLoss = lossCurve.filter((p) => p.phase === mainPhase).at(-1)?.loss ?? Number.NaN;
    }
    const model = session.model();
    const modelDir = await saveModel(options.out, { config: model.config, tensors: model.tensors });
    const result: TrainingLoopResult = {
      steps: options.steps,
      finalLoss,
      lossCurve,
      seconds: elapsed(),
      modelDir,
    };
    return options.resume ? { ...result, resumedFrom: start } : result;
  } finally {
    session.dispose();
  }
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

function firstDifference(
  was: { [key: string]: JsonValue } | undefined,
  now: { readonly [key: string]: JsonValue },
): { key: string; was: JsonValue | undefined; now: JsonValue | undefined } | undefined {
  const keys = new Set([...Object.keys(was ?? {}), ...Object.keys(now)]);
  for (const key of [...keys].sort()) {
    const a = was?.[key];
    const b = now[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) return { key, was: a, now: b };
  }
  return undefined;
}
