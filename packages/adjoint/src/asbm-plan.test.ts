import { Rng } from '@bridgekit/core';
import { describe, expect, it } from 'vitest';
import { asbmStepPlan } from './asbm-plan.js';

describe('asbmStepPlan: how --steps divides between corrector, adjoint and bridge matching', () => {
  it('steps 2000, rounds 4, bridgeFraction 0.4, correctorShare 1/3: 800 bridge, 4 × (100 + 200)', () => {
    const plan = asbmStepPlan(2000, { rounds: 4, bridgeFraction: 0.4, correctorShare: 1 / 3 });
    // stage 2: ⌊0.4·2000⌋ = 800; stage 1: 1200 = 4 rounds of 300, ⌊300/3⌋ = 100 corrector + 200 adjoint
    expect(plan).toEqual({ rounds: 4, correctorSteps: 100, adjointSteps: 200, bridgeSteps: 800 });
    expect(plan.rounds * (plan.correctorSteps + plan.adjointSteps) + plan.bridgeSteps).toBe(2000);
  });

  it('gives the leftover of uneven rounds to stage 2', () => {
    // ⌊0.25·1001⌋ = 250 bridge; 751 left = 3 × 250 + 1; ⌊0.5·250⌋ = 125 corrector, 125 adjoint; 250 + 1 bridge
    expect(asbmStepPlan(1001, { rounds: 3, bridgeFraction: 0.25, correctorShare: 0.5 })).toEqual({
      rounds: 3,
      correctorSteps: 125,
      adjointSteps: 125,
      bridgeSteps: 251,
    });
    // ⌊0.1·97⌋ = 9; 88 = 5 × 17 + 3; ⌊0.2·17⌋ = 3 corrector, 14 adjoint; 9 + 3 = 12 bridge
    expect(asbmStepPlan(97, { rounds: 5, bridgeFraction: 0.1, correctorShare: 0.2 })).toEqual({
      rounds: 5,
      correctorSteps: 3,
      adjointSteps: 14,
      bridgeSteps: 12,
    });
  });

  it('always sums to steps with every phase ≥ 1, or says so (400 random splits)', () => {
    const rng = new Rng(1);
    const u = rng.uniform(3 * 400);
    const rounds = rng.randint(400, 8);
    const steps = rng.randint(400, 3000);
    let planned = 0;
    for (let i = 0; i < 400; i++) {
      const options = {
        rounds: rounds[i]! + 1,
        bridgeFraction: 0.01 + 0.98 * u[3 * i]!,
        correctorShare: 0.01 + 0.98 * u[3 * i + 1]!,
      };
      const n = steps[i]! + 1;
      let plan: ReturnType<typeof asbmStepPlan>;
      try {
        plan = asbmStepPlan(n, options);
      } catch (error) {
        expect((error as Error).message).toMatch(
          /^--steps \d+ is too few .*raise --steps or lower --rounds$/,
        );
        continue;
      }
      planned++;
      const perRound = plan.correctorSteps + plan.adjointSteps;
      expect(plan.rounds).toBe(options.rounds);
      expect(plan.rounds * perRound + plan.bridgeSteps).toBe(n);
      expect(Math.min(plan.correctorSteps, plan.adjointSteps, plan.bridgeSteps)).toBeGreaterThanOrEqual(1);
      expect(plan.correctorSteps).toBe(Math.floor(options.correctorShare * perRound));
      expect(perRound).toBe(Math.floor((n - Math.floor(options.bridgeFraction * n)) / options.rounds));
      expect(plan.bridgeSteps - Math.floor(options.bridgeFraction * n)).toBeLessThan(options.rounds); // leftover
    }
    expect(planned).toBeGreaterThan(300);
  });

  it('too few steps: the error names --steps and --rounds and what each phase would get', () => {
    expect(() => asbmStepPlan(5, { rounds: 4, bridgeFraction: 0.4, correctorShare: 1 / 3 })).toThrow(
      '--steps 5 is too few for 4 round(s) of corrector and adjoint matching plus bridge matching ' +
        '(0 corrector, 0 adjoint steps per round, 5 bridge steps); raise --steps or lower --rounds',
    );
    // enough for corrector and adjoint, but ⌊0.01·50⌋ + leftover = 0 bridge steps
    expect(() => asbmStepPlan(50, { rounds: 1, bridgeFraction: 0.01, correctorShare: 0.5 })).toThrow(
      /--steps 50 .*\(25 corrector, 25 adjoint steps per round, 0 bridge steps\); raise --steps or lower --rounds/,
    );
    // a corrector share so small that a round gets no corrector step
    expect(() => asbmStepPlan(100, { rounds: 2, bridgeFraction: 0.5, correctorShare: 0.01 })).toThrow(
      /\(0 corrector, 25 adjoint steps per round/,
    );
  });

  it('rejects invalid steps, rounds and fractions, naming the argument', () => {
    const ok = { rounds: 2, bridgeFraction: 0.4, correctorShare: 0.3 };
    for (const steps of [0, -5, 10.5, Number.NaN]) {
      expect(() => asbmStepPlan(steps, ok)).toThrow(
        new RegExp(`^steps must be an integer ≥ 1, got ${steps}$`),
      );
    }
    for (const rounds of [0, 1.5, -1]) {
      expect(() => asbmStepPlan(100, { ...ok, rounds })).toThrow(
        new RegExp(`^rounds must be an integer ≥ 1, got ${rounds}$`),
      );
    }
    for (const bridgeFraction of [0, 1, -0.1, 1.2, Number.NaN]) {
      expect(() => asbmStepPlan(100, { ...ok, bridgeFraction })).toThrow(
        new RegExp(`^bridgeFraction must lie in \\(0, 1\\), got ${bridgeFraction}$`),
      );
    }
    for (const correctorShare of [0, 1, -0.5, 2, Number.NaN]) {
      expect(() => asbmStepPlan(100, { ...ok, correctorShare })).toThrow(
        new RegExp(`^correctorShare must lie in \\(0, 1\\), got ${correctorShare}$`),
      );
    }
  });
});
