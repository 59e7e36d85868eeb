import { describe, expect, it } from 'vitest';
import type { MethodOption } from './method.js';
import { resolveMethodOptions } from './options.js';

const options: MethodOption[] = [
  { name: 'betaMax', flag: 'beta-max', description: 'β_max', type: 'number', default: 20, min: 0 },
  {
    name: 'layers',
    flag: 'layers',
    description: 'hidden layers',
    type: 'integer',
    default: 3,
    min: 1,
    max: 8,
  },
  {
    name: 'solver',
    flag: 'solver',
    description: 'solver',
    type: 'string',
    default: 'ode',
    choices: ['ode', 'sde'],
  },
  { name: 'ema', flag: 'ema', description: 'use EMA', type: 'boolean', default: true },
];
const method = { name: 'toy', options };

describe('resolveMethodOptions', () => {
  it('fills defaults and coerces strings from a command line', () => {
    expect(resolveMethodOptions(method, {})).toEqual({ betaMax: 20, layers: 3, solver: 'ode', ema: true });
    expect(resolveMethodOptions(method, { betaMax: '10', layers: '2', solver: 'sde', ema: 'false' })).toEqual(
      {
        betaMax: 10,
        layers: 2,
        solver: 'sde',
        ema: false,
      },
    );
  });

  it('names the flag, the bad value and what is valid', () => {
    expect(() => resolveMethodOptions(method, { betaMax: 'x' })).toThrow(
      "--beta-max must be a finite number, got 'x'",
    );
    expect(() => resolveMethodOptions(method, { layers: '2.5' })).toThrow(
      "--layers must be an integer, got '2.5'",
    );
    expect(() => resolveMethodOptions(method, { layers: 9 })).toThrow('--layers must be ≤ 8, got 9');
    expect(() => resolveMethodOptions(method, { betaMax: -1 })).toThrow('--beta-max must be ≥ 0, got -1');
    expect(() => resolveMethodOptions(method, { solver: 'rk4' })).toThrow(
      "--solver must be one of ode, sde; got 'rk4'",
    );
    expect(() => resolveMethodOptions(method, { ema: 'maybe' })).toThrow(
      "--ema must be true or false, got 'maybe'",
    );
    expect(() => resolveMethodOptions(method, { sigma: 1 })).toThrow(
      "method 'toy' has no option 'sigma'; valid options: betaMax, layers, solver, ema",
    );
  });

  it('requires options without a default', () => {
    const m = {
      name: 'm',
      options: [{ name: 'k', flag: 'k', description: 'k steps', type: 'integer' as const }],
    };
    expect(() => resolveMethodOptions(m, {})).toThrow("method 'm' needs option --k (k steps)");
  });
});
