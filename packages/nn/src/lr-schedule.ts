/**
 * A learning-rate schedule as JSON data; {@link lrAt} evaluates it. `step` counts the updates
 * already done (0 for the first update), as PyTorch schedulers stepped once per update.
 */
export type LrSchedule =
  | { kind: 'constant'; lr: number }
  | { kind: 'step'; lr: number; stepSize: number; gamma: number }
  | { kind: 'cosine'; lr: number; totalSteps: number; minLr: number }
  | { kind: 'warmup'; steps: number; schedule: LrSchedule };

/** A constant learning rate. */
export function constantLr(lr: number): LrSchedule {
  return checked({ kind: 'constant', lr });
}

/** PyTorch StepLR: lr·γ^⌊step/stepSize⌋ (VSDM: γ = 0.99 every 1000 steps). */
export function stepLr(options: { lr: number; stepSize: number; gamma: number }): LrSchedule {
  return checked({ kind: 'step', ...options });
}

/** Cosine annealing: minLr + (lr − minLr)·(1 + cos(π·min(step, totalSteps)/totalSteps))/2. */
export function cosineLr(options: { lr: number; totalSteps: number; minLr?: number }): LrSchedule {
  return checked({
    kind: 'cosine',
    lr: options.lr,
    totalSteps: options.totalSteps,
    minLr: options.minLr ?? 0,
  });
}

/** Linear warm-up: schedule(step)·min(1, (step + 1)/steps), so the first update uses 1/steps of it. */
export function warmup(schedule: LrSchedule, steps: number): LrSchedule {
  return checked({ kind: 'warmup', steps, schedule });
}

/** The learning rate of update number `step` (0-based) under `schedule`; a pure function. */
export function lrAt(schedule: LrSchedule, step: number): number {
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`lrAt: step must be a non-negative integer, got ${step}`);
  }
  switch (schedule.kind) {
    case 'constant':
      return schedule.lr;
    case 'step':
      return schedule.lr * schedule.gamma ** Math.floor(step / schedule.stepSize);
    case 'cosine': {
      const progress = Math.min(step, schedule.totalSteps) / schedule.totalSteps;
      return schedule.minLr + ((schedule.lr - schedule.minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
    case 'warmup':
      return lrAt(schedule.schedule, step) * Math.min(1, (step + 1) / schedule.steps);
    default:
      throw new RangeError(
        `schedule.kind must be one of constant, step, cosine, warmup; got '${(schedule as { kind: unknown }).kind}'`,
      );
  }
}

/**
 * Validates a schedule (for example one read from JSON) and returns it; a RangeError names the
 * field, the bad value and what is valid.
 */
export function checkLrSchedule(schedule: LrSchedule, where = 'schedule'): LrSchedule {
  const s = schedule as unknown as Record<string, unknown>;
  const nonNegative = (key: string) => {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new RangeError(`${where}.${key} must be a finite number ≥ 0, got ${String(v)}`);
    }
  };
  const positiveInt = (key: string) => {
    const v = s[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new RangeError(`${where}.${key} must be a positive integer, got ${String(v)}`);
    }
  };
  switch (s?.kind) {
    case 'constant':
      nonNegative('lr');
      break;
    case 'step':
      nonNegative('lr');
      positiveInt('stepSize');
      nonNegative('gamma');
      break;
    case 'cosine':
      nonNegative('lr');
      positiveInt('totalSteps');
      nonNegative('minLr');
      break;
    case 'warmup':
      positiveInt('steps');
      checkLrSchedule(s.schedule as LrSchedule, `${where}.schedule`);
      break;
    default:
      throw new RangeError(
        `${where}.kind must be one of constant, step, cosine, warmup; got ${JSON.stringify(s?.kind)}`,
      );
  }
  return schedule;
}

function checked(schedule: LrSchedule): LrSchedule {
  return checkLrSchedule(schedule);
}
