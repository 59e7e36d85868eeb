// Exactness of the exponential integrator against closed forms: scalar DDIM / DDPM for VP, and
// Gaussian conditioning in information form for a 2-block (position–velocity) SDE. cpu backend.
import { cholesky, initBackend, inv, Matrix, Rng, solve, sqrtmPsd, tf } from '@bridgekit/core';
import { cldSde, conditionalScore, type LinearGaussianSde, linearSchedule, vpSde } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { exponentialIntegrator, exponentialStepCoefficients } from './exponential-integrator.js';
import type { NoiseFn } from './sampler.js';
import { uniformGrid } from './time-grid.js';

const schedule = linearSchedule({ betaMin: 0.1, betaMax: 20 });
const vp = vpSde({ schedule });
/** ᾱ_t = e^{−B(t)}: VP's x_t | x₀ ~ N(√ᾱ_t x₀, (1 − ᾱ_t) I). */
const alphaBar = (t: number) => Math.exp(-schedule.integral(t));

/** A deliberately non-Gaussian score, so that the update formulas (not just a fixed point) are checked. */
const scoreHost = (x: number, t: number) => -Math.tanh(x) * (1 + t) + 0.3 * Math.sin(3 * x);
const scoreTf = (x: tf.Tensor2D, t: number): tf.Tensor2D =>
  tf.tidy(() => tf.add(tf.mul(tf.tanh(x), -(1 + t)), tf.mul(tf.sin(tf.mul(x, 3)), 0.3)));

/** Injected noise that remembers what it handed out. */
function recordingNoise(seed: number): { noise: NoiseFn; draws: Float32Array[] } {
  const rng = new Rng(seed);
  const draws: Float32Array[] = [];
  return {
    draws,
    noise: (shape) => {
      const z = rng.normalFloat32(shape[0] * shape[1]);
      draws.push(z);
      return tf.tensor2d(z, [shape[0], shape[1]]);
    },
  };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!)));
  }
  expect(worst).toBeLessThan(tol);
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('exponentialIntegrator on VP equals the scalar DDIM family', () => {
  const grid = uniformGrid(1, 1e-3, 12);
  const x1 = () => tf.tensor2d(new Rng(3).normalFloat32(64), [32, 2]);

  it.each([0, 0.5, 1])(
    'η = %s: every step is x′ = √ᾱ′x̂₀ + √(1−ᾱ′−σ²)ε̂ + σξ, σ = η√((1−ᾱ′)/(1−ᾱ))√(1−ᾱ/ᾱ′)',
    (eta) => {
      const x = x1();
      const { noise, draws } = recordingNoise(9);
      const result = exponentialIntegrator({ sde: vp, score: scoreTf }, x, grid, {
        eta,
        noise,
        record: true,
      });
      const states = result.trajectory!.states;
      expect(draws).toHaveLength(eta === 0 ? 0 : 12);
      for (let k = 0; k < 12; k++) {
        const t = grid[k]!;
        const tn = grid[k + 1]!;
        const ab = alphaBar(t);
        const abn = alphaBar(tn);
        const sigmaEta = eta * Math.sqrt((1 - abn) / (1 - ab)) * Math.sqrt(1 - ab / abn);
        const expected = Array.from(states[k]!, (xv, i) => {
          const epsHat = -Math.sqrt(1 - ab) * scoreHost(xv, t);
          const x0Hat = (xv - Math.sqrt(1 - ab) * epsHat) / Math.sqrt(ab);
          const kick = eta === 0 ? 0 : sigmaEta * draws[k]![i]!;
          return Math.sqrt(abn) * x0Hat + Math.sqrt(1 - abn - sigmaEta ** 2) * epsHat + kick;
        });
        expectClose(states[k + 1]!, expected, 2e-5);
      }
      tf.dispose([x, result.x]);
    },
  );

  it('η = 1 is the DDPM posterior q(x_{t′} | x_t, x̂₀): mean and variance of Ho et al. (2020) Eq. 7', () => {
    const t = 0.4;
    const tn = 0.35;
    const ab = alphaBar(t);
    const abn = alphaBar(tn);
    const a = ab / abn;
    const beta = 1 - a;
    const { stateCoef, scoreCoef, noiseCoef } = exponentialStepCoefficients(vp, t, tn, 1);
    // x′ = c_x x + c_s s + c_ξ ξ must equal μ̃(x̂₀(x, s), x) + √β̃ ξ for all x, s:
    // x̂₀ = (x + (1 − ᾱ)s)/√ᾱ, μ̃ = √ᾱ′β/(1−ᾱ)·x̂₀ + √a(1−ᾱ′)/(1−ᾱ)·x, β̃ = (1−ᾱ′)/(1−ᾱ)·β.
    const cx0 = (Math.sqrt(abn) * beta) / (1 - ab);
    const cxt = (Math.sqrt(a) * (1 - abn)) / (1 - ab);
    expect(stateCoef.get(0, 0)).toBeCloseTo(cx0 / Math.sqrt(ab) + cxt, 13);
    expect(scoreCoef.get(0, 0)).toBeCloseTo((cx0 * (1 - ab)) / Math.sqrt(ab), 13);
    expect(noiseCoef.get(0, 0)).toBeCloseTo(Math.sqrt(((1 - abn) / (1 - ab)) * beta), 13);
  });

  it('maps the exact score of a point mass to the point itself when the grid ends at t = 0', () => {
    const c = [0.7, -1.2];
    const score = (x: tf.Tensor2D, t: number): tf.Tensor2D => {
      const ab = alphaBar(t);
      return tf.tidy(() => tf.div(tf.sub(tf.mul(tf.tensor2d([c], [1, 2]), Math.sqrt(ab)), x), 1 - ab));
    };
    for (const eta of [0, 1]) {
      const x = x1();
      const result = exponentialIntegrator({ sde: vp, score }, x, uniformGrid(1, 0, 8), { eta, seed: 4 });
      const v = result.x.dataSync();
      for (let b = 0; b < 32; b++) {
        expect(v[2 * b]).toBeCloseTo(c[0]!, 4);
        expect(v[2 * b + 1]).toBeCloseTo(c[1]!, 4);
      }
      tf.dispose([x, result.x]);
    }
  });
});

describe('exponentialIntegrator on a 2-block SDE (CLD with a random initial velocity)', () => {
  const cld: LinearGaussianSde = cldSde();
  const scoreTf2 = (x: tf.Tensor2D, t: number): tf.Tensor2D =>
    tf.tidy(() => tf.add(tf.mul(x, -0.7 - t), tf.mul(tf.sin(x), 0.2)));
  const scoreHost2 = (x: number, t: number) => (-0.7 - t) * x + 0.2 * Math.sin(x);
  const batch = 16;

  /** Σ_t = M_tΣ₀M_tᵀ + Q(t, 0), computed here independently of the sampler. */
  function marginalCov(t: number): { m: Matrix; cov: Matrix } {
    const { phi, cov } = cld.transition(0, t);
    return { m: phi, cov: phi.mul(cld.initialCov()).mul(phi.transpose()).add(cov).symmetrize() };
  }

  function step(eta: 0 | 1, t: number, tn: number) {
    const x = tf.tensor2d(new Rng(5).normalFloat32(batch * 2), [batch, 2]);
    const { noise, draws } = recordingNoise(6);
    const result = exponentialIntegrator({ sde: cld, score: scoreTf2 }, x, [t, tn], { eta, noise });
    const xs = x.dataSync();
    const out = result.x.dataSync().slice();
    tf.dispose([x, result.x]);
    return { xs, out, draws };
  }

  it('η = 1 samples the Gaussian posterior of x_{t′} given x_t and x̂₀ (information form)', () => {
    const t = 0.6;
    const tn = 0.45;
    const { xs, out, draws } = step(1, t, tn);
    const { m, cov } = marginalCov(t);
    const { m: mn, cov: covn } = marginalCov(tn);
    const { phi, cov: q } = cld.transition(tn, t);
    // Posterior precision Σ′⁻¹ + ΦᵀQ⁻¹Φ; mean P(Σ′⁻¹M′x̂₀ + ΦᵀQ⁻¹x_t): no gain, no Σ_t⁻¹.
    const qInv = inv(q);
    const post = inv(inv(covn).add(phi.transpose().mul(qInv).mul(phi))).symmetrize();
    const root = sqrtmPsd(post);
    const expected = new Float64Array(batch * 2);
    for (let b = 0; b < batch; b++) {
      const xt = Matrix.from([[xs[2 * b]!], [xs[2 * b + 1]!]]);
      const s = Matrix.from([[scoreHost2(xt.get(0, 0), t)], [scoreHost2(xt.get(1, 0), t)]]);
      const x0Hat = solve(m, xt.add(cov.mul(s)));
      const mean = post.mul(solve(covn, mn.mul(x0Hat)).add(phi.transpose().mul(qInv).mul(xt)));
      const z = Matrix.from([[draws[0]![2 * b]!], [draws[0]![2 * b + 1]!]]);
      const y = mean.add(root.mul(z));
      expected[2 * b] = y.get(0, 0);
      expected[2 * b + 1] = y.get(1, 0);
    }
    expectClose(out, expected, 2e-5);
  });

  it('η = 0 is x′ = M′x̂₀ + L′L⁻¹(x_t − M x̂₀) with Cholesky factors', () => {
    const t = 0.6;
    const tn = 0.45;
    const { xs, out } = step(0, t, tn);
    const { m, cov } = marginalCov(t);
    const { m: mn, cov: covn } = marginalCov(tn);
    const l = cholesky(cov);
    const ln = cholesky(covn);
    const expected = new Float64Array(batch * 2);
    for (let b = 0; b < batch; b++) {
      const xt = Matrix.from([[xs[2 * b]!], [xs[2 * b + 1]!]]);
      const s = Matrix.from([[scoreHost2(xt.get(0, 0), t)], [scoreHost2(xt.get(1, 0), t)]]);
      const x0Hat = solve(m, xt.add(cov.mul(s)));
      const y = mn.mul(x0Hat).add(ln.mul(solve(l, xt.sub(m.mul(x0Hat)))));
      expected[2 * b] = y.get(0, 0);
      expected[2 * b + 1] = y.get(1, 0);
    }
    expectClose(out, expected, 2e-5);
  });

  it('recovers the data position of a point mass at t = 0 although Σ₀ is singular', () => {
    const c = 0.9;
    const x0 = tf.tensor2d([[c, 0]]);
    const score = (x: tf.Tensor2D, t: number) =>
      tf.tidy(() => conditionalScore(cld, tf.tile(x0, [x.shape[0], 1]) as tf.Tensor2D, x, t));
    const x = tf.tensor2d(new Rng(8).normalFloat32(batch * 2), [batch, 2]);
    const result = exponentialIntegrator({ sde: cld, score }, x, uniformGrid(1, 0, 10), { eta: 0 });
    const v = result.x.dataSync();
    for (let b = 0; b < batch; b++) expect(v[2 * b]).toBeCloseTo(c, 4);
    tf.dispose([x0, x, result.x]);
  });
});

describe('exponentialIntegrator argument checks', () => {
  const model = { sde: vp, score: scoreTf };

  it('names eta, the grid direction, negative times and a width that does not fit the blocks', () => {
    const x = tf.zeros([4, 2]) as tf.Tensor2D;
    const down = uniformGrid(1, 0.1, 4);
    expect(() => exponentialIntegrator(model, x, down, { eta: 2, seed: 1 })).toThrow(
      /options.eta must be a number in \[0, 1\], got 2/,
    );
    expect(() => exponentialIntegrator(model, x, down, { eta: -0.1, seed: 1 })).toThrow(/options.eta/);
    expect(() => exponentialIntegrator(model, x, uniformGrid(0.1, 1, 4))).toThrow(
      /timeGrid must be strictly decreasing .*timeGrid\[0\] = 0.1/,
    );
    expect(() => exponentialIntegrator(model, x, [0.5, -0.5])).toThrow(/timeGrid must stay at t ≥ 0/);
    const odd = tf.zeros([4, 3]) as tf.Tensor2D;
    expect(() => exponentialIntegrator({ sde: cldSde(), score: scoreTf }, odd, down)).toThrow(
      /x has 3 columns, which is not a multiple of the 2 blocks/,
    );
    expect(() => exponentialIntegrator({ sde: {}, score: scoreTf } as never, x, down)).toThrow(
      /model.*LinearGaussianSde/,
    );
    expect(() => exponentialIntegrator(model, x, down, { eta: 0.5 })).toThrow(/options.seed/);
    tf.dispose([x, odd]);
  });
});
