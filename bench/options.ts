/** Options every suite receives from `npm run bench`. */
export interface SuiteOptions {
  /** Fewer seeds and steps: minutes instead of hours. */
  readonly quick: boolean;
  /** Progress lines (a no-op under --quiet). */
  readonly log: (s: string) => void;
  /** --tasks a,b: only these tasks (datasets), when the suite has several. */
  readonly tasks?: readonly string[];
  /** --methods a,b: only these methods, when the suite has several. */
  readonly methods?: readonly string[];
  /** --seeds N: seeds 0..N−1 instead of the suite's default. */
  readonly seeds?: number;
  /** --steps N: training steps for every method instead of the suite's defaults. */
  readonly steps?: number;
  /** --tag NAME: a narrowed run's name; its files (result and plots) carry it so the main ones stay. */
  readonly tag?: string;
}

/** Keeps the items of `all` named in `wanted` (all of them when `wanted` is undefined); refuses unknown names. */
export function selectNames<T extends string>(
  kind: string,
  all: readonly T[],
  wanted: readonly string[] | undefined,
): T[] {
  if (wanted === undefined) return [...all];
  for (const w of wanted) {
    if (!(all as readonly string[]).includes(w)) {
      throw new RangeError(`unknown ${kind} '${w}' for this suite; valid: ${all.join(', ')}`);
    }
  }
  return all.filter((a) => wanted.includes(a));
}
