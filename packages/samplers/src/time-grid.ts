/**
 * Time grids: plain, strictly monotone number arrays of steps + 1 times from t0 to t1 (both
 * included). Either direction is allowed: a decreasing grid integrates backward in time, which is
 * how reverse-time SDEs and probability-flow ODEs generate data at t ≈ 0 from noise at t = 1.
 */

/** Cosine offset s of Nichol & Dhariwal (2021), as in the DDS / ASBS cos⁴ discretisation. */
const COSINE_OFFSET = 0.008;

/** steps + 1 equally spaced times t_k = t0 + (t1 − t0)·k/steps (`linspace`, algorithms.md §1.4). */
export function uniformGrid(t0: number, t1: number, steps: number): number[] {
  checkEnds('uniformGrid', t0, t1, steps);
  const grid = new Array<number>(steps + 1);
  for (let k = 0; k < steps; k++) grid[k] = t0 + (t1 - t0) * (k / steps);
  grid[steps] = t1;
  return checked('uniformGrid', grid);
}

/**
 * The "quad" grid of ASBS (algorithms.md §1.4): the square root of a uniform grid on t²,
 * t_k = √(t0² + (t1² − t0²)·k/steps), for times t0, t1 ≥ 0.
 *
 * Spacing is ∝ 1/t, so the grid is dense near the endpoint with the LARGER time, whichever of t0
 * and t1 that is (ASBS runs 0 → 1 with its target at t = 1). In the data-at-t = 0 convention
 * (VP/VSDM generation from 1 down to t0) it is therefore dense at the noise end; use
 * {@link cosineGrid}(1, t0, steps) for a grid that is dense at the data end.
 */
export function quadraticGrid(t0: number, t1: number, steps: number): number[] {
  checkEnds('quadraticGrid', t0, t1, steps);
  if (t0 < 0 || t1 < 0) {
    throw new RangeError(
      `quadraticGrid: t0 and t1 must both be ≥ 0 (the grid is √ of a uniform grid on t²), got t0 = ${t0}, t1 = ${t1}`,
    );
  }
  const a = t0 * t0;
  const b = t1 * t1;
  const grid = new Array<number>(steps + 1);
  grid[0] = t0;
  for (let k = 1; k < steps; k++) grid[k] = Math.sqrt(a + (b - a) * (k / steps));
  grid[steps] = t1;
  return checked('quadraticGrid', grid);
}

/**
 * The DDS cos⁴ grid (Vargas et al. 2023, as in the ASBS code; algorithms.md §1.4): step k has length
 * ∝ cos⁴(π/2 · (k/steps + s)/(1 + s)), s = 0.008, k = 0 … steps − 1, scaled to sum to t1 − t0.
 *
 * Steps shrink like ((steps − k)/steps)⁴ towards t1, so the grid is dense near t1 (the end the
 * integration runs to): cosineGrid(1, 1e-3, n) is dense at the data end of a reverse-time run.
 * DDS evaluates the phase at k/(steps − 1), which makes the last step exactly 0 (cos(π/2)); using
 * k/steps keeps every step positive, so the grid is strictly monotone. Past a few thousand steps
 * the last steps fall below float64 resolution and the grid is rejected as not strictly monotone.
 */
export function cosineGrid(t0: number, t1: number, steps: number): number[] {
  checkEnds('cosineGrid', t0, t1, steps);
  const weights = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    const phase = ((k / steps + COSINE_OFFSET) / (1 + COSINE_OFFSET)) * (Math.PI / 2);
    weights[k] = Math.cos(phase) ** 4;
  }
  // Accumulate from the t1 end, where steps are tiny, so they are not lost against a large sum.
  const tail = new Float64Array(steps + 1);
  for (let k = steps - 1; k >= 0; k--) tail[k] = tail[k + 1]! + weights[k]!;
  const total = tail[0]!;
  const grid = new Array<number>(steps + 1);
  grid[0] = t0;
  for (let k = 1; k < steps; k++) grid[k] = t1 - (t1 - t0) * (tail[k]! / total);
  grid[steps] = t1;
  return checked('cosineGrid', grid);
}

/**
 * Throws unless `grid` is an array of at least 2 finite numbers, strictly increasing or strictly
 * decreasing. Messages name `where` and `name` (the argument), the bad entry and what is valid.
 */
export function checkTimeGrid(where: string, name: string, grid: readonly number[]): void {
  if (!Array.isArray(grid) && !(ArrayBuffer.isView(grid) && !(grid instanceof DataView))) {
    throw new TypeError(`${where}: ${name} must be an array of times, got ${String(grid)}`);
  }
  if (grid.length < 2) {
    throw new RangeError(
      `${where}: ${name} must hold at least 2 times (steps + 1 for steps ≥ 1), got length ${grid.length}`,
    );
  }
  for (let k = 0; k < grid.length; k++) {
    const t = grid[k];
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new RangeError(`${where}: ${name}[${k}] must be a finite number, got ${String(t)}`);
    }
  }
  const increasing = grid[1]! > grid[0]!;
  for (let k = 1; k < grid.length; k++) {
    const ok = increasing ? grid[k]! > grid[k - 1]! : grid[k]! < grid[k - 1]!;
    if (!ok) {
      throw new RangeError(
        `${where}: ${name} must be strictly ${increasing ? 'increasing' : 'decreasing'} (as its first step is), ` +
          `got ${name}[${k - 1}] = ${grid[k - 1]} then ${name}[${k}] = ${grid[k]}`,
      );
    }
  }
}

function checkEnds(where: string, t0: number, t1: number, steps: number): void {
  if (typeof t0 !== 'number' || !Number.isFinite(t0)) {
    throw new RangeError(`${where}: t0 must be a finite number, got ${String(t0)}`);
  }
  if (typeof t1 !== 'number' || !Number.isFinite(t1)) {
    throw new RangeError(`${where}: t1 must be a finite number, got ${String(t1)}`);
  }
  if (t0 === t1) throw new RangeError(`${where}: t0 and t1 must differ, got both = ${t0}`);
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 1) {
    throw new RangeError(`${where}: steps must be an integer ≥ 1, got ${String(steps)}`);
  }
}

function checked(where: string, grid: number[]): number[] {
  checkTimeGrid(where, 'the generated grid', grid);
  return grid;
}
