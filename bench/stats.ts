/** Mean of a non-empty list. */
export function mean(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}

/** Sample standard deviation (n − 1); 0 for a single value. */
export function std(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
}

/** 'm ± s' over seeds, or just 'm' for one value, with `digits` decimals after scaling. */
export function meanStd(v: readonly number[], digits: number, scale = 1): string {
  const s = v.map((x) => x * scale);
  return s.length > 1 ? `${mean(s).toFixed(digits)} ± ${std(s).toFixed(digits)}` : mean(s).toFixed(digits);
}
