import { initBackend, Rng, tf } from '@bridgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Control, simulateControlled } from './controlled-sde.js';
import { brownianReference, type ReferenceProcess, veReference, vpReference } from './reference-process.js';

beforeAll(async () => {
  await initBackend('wasm');
});

// Monte-Carlo checks use 4 standard errors with 10⁵ samples per coordinate: for N(μ, V) the sample mean
// has SE √(V/n) and the sample variance SE V√(2/n) (≈ 0.0045·V at n = 10⁵).
const vpStiff = vpReference({ betaMin: 0.1, betaMax: 20 });
const vpMild = vpReference({ betaMin: 0.5, betaMax: 3, sigma: 0.8 });
const bm = brownianReference({ sigma: 0.3 });
const ve = veReference({ sigmaMin: 0.05, sigmaMax: 1.5 });

/** Per-column mean and (biased) variance of a row-major [n × dim] array, in float64. */
function columnMoments(data: ArrayLike<number>, dim: number): { mean: number[]; variance: number[] } {
  const n = data.length / dim;
  const mean = new Array<number>(dim).fill(0);
  const variance = new Array<number>(dim).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) mean[k]! += data[i * dim + k]! / n;
  for (let i = 0; i < n; i++)
    for (let k = 0; k < dim; k++) variance[k]! += (data[i * dim + k]! - mean[k]!) ** 2 / n;
  return { mean, variance };
}

/** [n, 2] rows all equal to `x`. */
const fixedStart = (n: number, x: readonly number[]) =>
  tf.tensor2d(
    Float32Array.from({ length: n * x.length }, (_, j) => x[j % x.length]!),
    [n, x.length],
  );

/** Runs the simulation, downloads X₁ (and Z) and disposes every returned tensor. */
function run(
  reference: ReferenceProcess,
  x0: tf.Tensor2D,
  steps: number,
  seed: number,
  control?: Control,
): { x1: Float32Array; z: Float32Array } {
  const path = simulateControlled({
    reference,
    x0,
    steps,
    rng: new Rng(seed),
    referenceNoise: true,
    ...(control === undefined ? {} : { control }),
  });
  const out = { x1: Float32Array.from(path.x1.dataSync()), z: Float32Array.from(path.noise!.dataSync()) };
  tf.dispose([path.x1, path.noise!]);
  return out;
}

describe('simulateControlled without control: the reference transition X₁ | X₀ = x ~ N(Φ(1,0)x, V(0,1))', () => {
  const n = 100_000;
  const x = [1.5, -0.7];

  it.each([
    ['VP β 0.1→20', vpStiff],
    ['VP β 0.5→3, σ 0.8', vpMild],
    ['BM σ 0.3', bm],
    ['VE 0.05→1.5', ve],
  ])('%s: mean and variance within 4 SE (n = 10⁵ per coordinate)', (_, reference) => {
    const x0 = fixedStart(n, x);
    const { x1 } = run(reference, x0, 20, 1);
    x0.dispose();
    const { mean, variance } = columnMoments(x1, 2);
    const scale = reference.transitionScale(0, 1);
    const v = reference.transitionVariance(0, 1);
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(mean[k]! - scale * x[k]!)).toBeLessThan(4 * Math.sqrt(v / n));
      expect(Math.abs(variance[k]! - v)).toBeLessThan(4 * v * Math.sqrt(2 / n));
    }
  });

  it('the exponential step is exact: 1 step and 50 steps give the same law (VP β 0.5→3, σ 0.8)', () => {
    const scale = vpMild.transitionScale(0, 1);
    const v = vpMild.transitionVariance(0, 1);
    const results = [1, 50].map((steps, seed) => {
      const x0 = fixedStart(n, x);
      const { x1, z } = run(vpMild, x0, steps, 10 + seed);
      x0.dispose();
      // pathwise, the deterministic part is exact: X₁ − Z = Φ(1, 0)x at any step count
      for (let j = 0; j < 200; j++) {
        const want = scale * x[j % 2]!;
        expect(Math.abs(x1[j]! - z[j]! - want)).toBeLessThan(1e-5);
      }
      return columnMoments(x1, 2);
    });
    for (let k = 0; k < 2; k++) {
      for (const { mean, variance } of results) {
        expect(Math.abs(mean[k]! - scale * x[k]!)).toBeLessThan(4 * Math.sqrt(v / n));
        expect(Math.abs(variance[k]! - v)).toBeLessThan(4 * v * Math.sqrt(2 / n));
      }
      // and the two samples agree with each other (4 SE of a difference of independent estimates)
      expect(Math.abs(results[0]!.mean[k]! - results[1]!.mean[k]!)).toBeLessThan(4 * Math.sqrt((2 * v) / n));
      expect(Math.abs(results[0]!.variance[k]! - results[1]!.variance[k]!)).toBeLessThan(
        4 * v * Math.sqrt(4 / n),
      );
    }
  });
});

describe('simulateControlled with a constant control û ≡ c: E[X₁] = Φ(1,0)x₀ + c∫₀¹Φ(1,t)g(t)²dt', () => {
  // With û constant, X₁ − Z (Z the reference's share of the noise) is deterministic: the exponential
  // step's mean recursion, whose control term is the left Riemann sum Σ_k Φ(1, t_k)g(t_k)²h·c. Its error
  // is, by Euler–Maclaurin, −(h/2)(f(1) − f(0))·c + O(h²) for f(t) = Φ(1, t)g(t)², so first order in h.
  const c = [0.5, -1];
  const x = [0.8, 0.2];
  const constant: Control = (xt) => tf.tidy(() => tf.mul(tf.onesLike(xt), tf.tensor2d([c]))) as tf.Tensor2D;

  /** X₁ − Z per coordinate (the same in every row) at `steps`. */
  const drifted = (reference: ReferenceProcess, steps: number) => {
    const x0 = fixedStart(4, x);
    const { x1, z } = run(reference, x0, steps, 3, constant);
    x0.dispose();
    const d = x1.map((v, j) => v - z[j]!);
    for (let j = 2; j < d.length; j++) expect(Math.abs(d[j]! - d[j - 2]!)).toBeLessThan(1e-4); // deterministic
    return [d[0]!, d[1]!];
  };

  it.each([
    // ∫₀¹ e^{−½(B(1)−B(t))}σ²β(t)dt = 2σ²(1 − e^{−½B(1)})
    ['VP β 0.1→20', vpStiff, 2 * (1 - Math.exp(-0.5 * (0.1 + 9.95))), 0.1, 20],
    ['VP β 0.5→3, σ 0.8', vpMild, 2 * 0.64 * (1 - Math.exp(-0.5 * (0.5 + 1.25))), 0.5, 3],
  ])(
    '%s: within the Euler–Maclaurin bound at 400 steps, and the error shrinks 4× from 50 to 200 steps',
    (_, reference, integral, betaMin, betaMax) => {
      const sigma2 = reference.diffusion(1) ** 2 / betaMax;
      const jump = sigma2 * betaMax - sigma2 * betaMin * reference.transitionScale(0, 1); // f(1) − f(0)
      const scale = reference.transitionScale(0, 1);
      const error = (steps: number) => {
        const d = drifted(reference, steps);
        return d.map((v, k) => v - scale * x[k]! - integral * c[k]!);
      };
      const e400 = error(400);
      for (let k = 0; k < 2; k++) {
        const leading = (0.5 / 400) * jump * Math.abs(c[k]!);
        // the leading term with 10% for the O(h²) remainder, and 1e-4 for float32 rounding over 400 steps
        expect(Math.abs(e400[k]!)).toBeLessThan(1.1 * leading + 1e-4);
        expect(Math.abs(e400[k]!)).toBeGreaterThan(0.9 * leading - 1e-4); // really first order, not exact
      }
      const e50 = error(50);
      const e200 = error(200);
      for (let k = 0; k < 2; k++) {
        const ratio = e50[k]! / e200[k]!;
        expect(ratio).toBeGreaterThan(3.6);
        expect(ratio).toBeLessThan(4.4);
        expect(Math.sign(e50[k]!)).toBe(-Math.sign(c[k]!)); // the left sum under-counts a growing f
      }
    },
  );

  it('BM σ 0.3: f = σ² is constant, so the step is exact: E[X₁] = x₀ + σ²c at 1, 50 and 400 steps', () => {
    for (const steps of [1, 50, 400]) {
      const d = drifted(bm, steps);
      for (let k = 0; k < 2; k++) expect(Math.abs(d[k]! - (x[k]! + 0.09 * c[k]!))).toBeLessThan(1e-4);
    }
  });

  it('the sample mean of X₁ itself (VP β 0.5→3, σ 0.8, 400 steps, n = 10⁴): within 4 SE + the bias bound', () => {
    const n = 10_000;
    const x0 = fixedStart(n, x);
    const { x1 } = run(vpMild, x0, 400, 4, constant);
    x0.dispose();
    const { mean } = columnMoments(x1, 2);
    const se = Math.sqrt(vpMild.transitionVariance(0, 1) / n);
    const integral = 2 * 0.64 * (1 - Math.exp(-0.875));
    const bias = (0.5 / 400) * (0.64 * 3 - 0.64 * 0.5 * vpMild.transitionScale(0, 1));
    for (let k = 0; k < 2; k++) {
      const want = vpMild.transitionScale(0, 1) * x[k]! + integral * c[k]!;
      expect(Math.abs(mean[k]! - want)).toBeLessThan(4 * se + 1.1 * bias * Math.abs(c[k]!));
    }
  });
});

describe('simulateControlled: referenceNoise Z = Σ_k Φ(1, t_{k+1})√V(t_k, t_{k+1})ξ_k', () => {
  const n = 100_000;

  it('has mean 0, variance V(0, 1) and Cov(X₀, Z) = 0 with X₀ ~ N(0, 1) and a state-dependent control (4 SE)', () => {
    const x0 = tf.tensor2d(new Rng(21).normalFloat32(n), [n, 1]);
    const control: Control = (xt, t) => tf.tidy(() => tf.add(tf.mul(xt, -0.7), t)) as tf.Tensor2D;
    const path = simulateControlled({
      reference: vpMild,
      control,
      x0,
      steps: 20,
      rng: new Rng(22),
      referenceNoise: true,
    });
    const z = path.noise!.dataSync();
    const x = x0.dataSync();
    tf.dispose([path.x1, path.noise!, x0]);
    const v = vpMild.transitionVariance(0, 1);
    const { mean, variance } = columnMoments(z, 1);
    expect(Math.abs(mean[0]!)).toBeLessThan(4 * Math.sqrt(v / n));
    expect(Math.abs(variance[0]! - v)).toBeLessThan(4 * v * Math.sqrt(2 / n));
    let cov = 0;
    for (let i = 0; i < n; i++) cov += (x[i]! * (z[i]! - mean[0]!)) / n;
    expect(Math.abs(cov)).toBeLessThan(4 * Math.sqrt(v / n)); // SE of Cov = √(Var X₀·Var Z/n), Var X₀ = 1
  });

  it.each([
    ['VP β 0.1→20', vpStiff],
    ['VP β 0.5→3, σ 0.8', vpMild],
    ['VE 0.05→1.5', ve],
  ])('%s, uncontrolled: X₁ − Z = Φ(1, 0)X₀ path by path (float32 rounding)', (_, reference) => {
    const m = 1000;
    const x0 = tf.tensor2d(
      Float32Array.from(new Rng(23).normalFloat32(2 * m), (v) => 3 * v),
      [m, 2],
    );
    const x = Float32Array.from(x0.dataSync());
    const { x1, z } = run(reference, x0, 50, 24);
    x0.dispose();
    const scale = reference.transitionScale(0, 1);
    for (let j = 0; j < 2 * m; j++) {
      expect(Math.abs(x1[j]! - z[j]! - scale * x[j]!)).toBeLessThan(1e-5 * (1 + Math.abs(x[j]!)));
    }
  });
});

describe('simulateControlled: outputs and errors', () => {
  it('records steps + 1 states from a copy of X₀ to X₁, on the uniform grid, with nfe = steps', () => {
    const before = tf.memory().numTensors;
    const x0 = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const control: Control = (xt) => tf.zerosLike(xt);
    const path = simulateControlled({ reference: bm, control, x0, steps: 5, rng: new Rng(1), record: true });
    expect(path.states).toHaveLength(6);
    expect(path.states![0]).not.toBe(x0);
    expect(Array.from(path.states![0]!.dataSync())).toEqual([1, 2, 3, 4]);
    expect(path.states![5]).toBe(path.x1);
    expect(path.times).toHaveLength(6);
    expect(path.times[0]).toBe(0);
    expect(path.times[5]).toBe(1);
    expect(path.times[2]).toBeCloseTo(0.4, 15);
    expect(path.nfe).toBe(5);
    expect(path.noise).toBeUndefined();
    expect(x0.isDisposed).toBe(false);
    tf.dispose([...path.states!, x0]);
    expect(tf.memory().numTensors).toBe(before); // nothing leaked

    const start = tf.zeros([3, 1]) as tf.Tensor2D;
    const plain = simulateControlled({ reference: bm, x0: start, steps: 2, rng: new Rng(1) });
    expect(plain.states).toBeUndefined();
    expect(plain.nfe).toBe(0);
    expect(plain.x1.shape).toEqual([3, 1]);
    tf.dispose([start, plain.x1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects steps < 1 or not an integer, and an x₀ that is not a [B, D] float32 tensor', () => {
    const x0 = tf.zeros([2, 2]) as tf.Tensor2D;
    for (const steps of [0, -1, 1.5, Number.NaN]) {
      expect(() => simulateControlled({ reference: bm, x0, steps, rng: new Rng(1) })).toThrow(
        new RegExp(`simulateControlled: steps must be an integer ≥ 1, got ${steps}`),
      );
    }
    const flat = tf.zeros([4]);
    expect(() =>
      simulateControlled({ reference: bm, x0: flat as unknown as tf.Tensor2D, steps: 2, rng: new Rng(1) }),
    ).toThrow(
      /simulateControlled: x0 must be a live float32 tf\.Tensor2D \[B, D\], got a float32 tensor of shape \[4\]/,
    );
    tf.dispose([x0, flat]);
  });
});
