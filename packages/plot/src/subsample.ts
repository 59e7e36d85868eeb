/**
 * Deterministic, evenly strided subset of `0..n-1` with at most `max` indices: index `floor(k * n / max)`
 * for k = 0..max-1 (all of them when n <= max). Same inputs, same output: no random generator involved,
 * so plots are reproducible; for i.i.d. samples a stride keeps the distribution.
 */
export function strideIndices(n: number, max: number): number[] {
  const count = Math.min(n, Math.max(0, Math.floor(max)));
  const out = new Array<number>(count);
  if (count === n) {
    for (let k = 0; k < n; k++) out[k] = k;
    return out;
  }
  for (let k = 0; k < count; k++) out[k] = Math.floor((k * n) / count);
  return out;
}
