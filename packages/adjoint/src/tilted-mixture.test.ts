import { initBackend, Rng, tf } from '@bridgekit/core';
import { gaussianMixtureSample, mixtureMoments } from '@bridgekit/sde';
import { beforeAll, describe, expect, it } from 'vitest';
import { tiltWeights, weightedMean } from './importance.test-helper.js';
import { base, hostLogTerms, logSumExp, target } from './mixture-fixture.test-helper.js';
import { modeReweightReward } from './mode-reweight-reward.js';
import { tiltedMixture } from './tilted-mixture.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('tiltedMixture: p_base·e^{λr} for a mode re-weighting reward', () => {
  for (const lambda of [1, 2]) {
    it(`is Σρ_kN(μ_k, C_k) at the reward's own λ = ${lambda}: importance weights on 10⁵ base draws (4 s.e.)`, () => {
      const reward = modeReweightReward({ base, weights: target, lambda });
      const exact = tiltedMixture(reward, lambda);
      expect(exact.weights).toEqual(target);
      expect(exact.means).toEqual(base.means);
      const n = 100_000;
      const x = gaussianMixtureSample(base, n, new Rng(100 + lambda));
      const r = reward.value(x);
      const w = tiltWeights(r.dataSync(), lambda);
      const xs = Float64Array.from(x.dataSync());
      const { mean } = mixtureMoments(exact);
      for (let j = 0; j < 2; j++) {
        const est = weightedMean(w, (i) => xs[2 * i + j]!);
        expect(Math.abs(est.mean - mean[j]!)).toBeLessThan(4 * est.se);
      }
      // Mode masses: E_{p*}[q_k(x)] = ρ_k for the responsibilities q_k of the tilted mixture.
      const resp = Array.from({ length: n }, (_, i) => {
        const terms = hostLogTerms(target, [xs[2 * i]!, xs[2 * i + 1]!]);
        const z = logSumExp(terms);
        return terms.map((t) => Math.exp(t - z));
      });
      for (let k = 0; k < 3; k++) {
        const est = weightedMean(w, (i) => resp[i]![k]!);
        expect(Math.abs(est.mean - target[k]!)).toBeLessThan(4 * est.se);
        // Sharp enough to tell the target from the base weights where they differ.
        if (k !== 1) expect(Math.abs(base.weights[k]! - target[k]!)).toBeGreaterThan(20 * est.se);
      }
      tf.dispose([x, r]);
    });
  }

  it('is the base at λ = 0, and for every λ when the target weights equal the base weights', () => {
    const reward = modeReweightReward({ base, weights: target });
    expect(tiltedMixture(reward, 0).weights).toEqual(base.weights);
    const neutral = modeReweightReward({ base, weights: [5, 3, 2] });
    expect(tiltedMixture(neutral, 0.37).weights).toEqual(base.weights);
  });

  it('throws where p_base·e^{λr} is not a mixture of the same components, saying which λ work', () => {
    const reward = modeReweightReward({ base, weights: target, lambda: 2 });
    expect(() => tiltedMixture(reward, 1)).toThrow(
      /closed form only for λ = 0 or λ = 2 \(the λ mode-reweight\(λ=2, weights=\[[^\]]*\]\) was built for\), got λ = 1; build the reward with modeReweightReward\(\{ …, lambda: 1 \}\)/,
    );
  });
});
