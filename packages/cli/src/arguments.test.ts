import { describe, expect, it } from 'vitest';
import { choice, nonNegativeInteger, nonNegativeNumber, positiveInteger, requiredText } from './arguments.js';
import { CliError, EXIT_USAGE } from './errors.js';

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT_USAGE);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('positiveInteger', () => {
  it('accepts decimal integers ≥ 1', () => {
    expect(positiveInteger('--n', '1')).toBe(1);
    expect(positiveInteger('--n', '10000')).toBe(10_000);
    expect(positiveInteger('--n', '+7')).toBe(7);
  });

  it.each(['-5', '0', '1.5', 'abc', '', '1e3', '0x10', String(2 ** 53)])(
    "names the flag, the value and what is valid for '%s'",
    (raw) => {
      expect(usageMessage(() => positiveInteger('--n', raw))).toBe(
        `--n must be a positive integer, got '${raw}'`,
      );
    },
  );
});

describe('nonNegativeNumber', () => {
  it('accepts 0, decimals and exponents', () => {
    expect(nonNegativeNumber('--lambda', '0')).toBe(0);
    expect(nonNegativeNumber('--lambda', '2.5')).toBe(2.5);
    expect(nonNegativeNumber('--lambda', '.5')).toBe(0.5);
    expect(nonNegativeNumber('--lambda', '1e-3')).toBe(0.001);
  });

  it.each(['-1', '-0.5', 'abc', '', 'Infinity', 'NaN', '0x10', '1e999'])(
    "names the flag, the value and what is valid for '%s'",
    (raw) => {
      expect(usageMessage(() => nonNegativeNumber('--lambda', raw))).toBe(
        `--lambda must be a number ≥ 0, got '${raw}'`,
      );
    },
  );
});

describe('nonNegativeInteger', () => {
  it('accepts 0 and large safe integers', () => {
    expect(nonNegativeInteger('--seed', '0')).toBe(0);
    expect(nonNegativeInteger('--seed', String(2 ** 53 - 1))).toBe(2 ** 53 - 1);
  });

  it('refuses negatives and fractions', () => {
    expect(usageMessage(() => nonNegativeInteger('--seed', '-1'))).toBe(
      "--seed must be a non-negative integer (at most 2^53 - 1), got '-1'",
    );
    expect(usageMessage(() => nonNegativeInteger('--seed', '2.5'))).toContain("got '2.5'");
  });
});

describe('choice', () => {
  it('returns a listed value and lists the valid ones otherwise', () => {
    expect(choice('--solver', 'ode', ['sde', 'ode'])).toBe('ode');
    expect(usageMessage(() => choice('--solver', 'rk4', ['sde', 'ode']))).toBe(
      "--solver must be one of sde, ode; got 'rk4'",
    );
  });
});

describe('requiredText', () => {
  it('says what to give when the flag is missing or empty', () => {
    expect(requiredText('--out', 'a.csv', 'a .csv file')).toBe('a.csv');
    expect(usageMessage(() => requiredText('--out', undefined, 'a .csv file'))).toBe(
      '--out is required: give a .csv file',
    );
    expect(usageMessage(() => requiredText('--out', '  ', 'a .csv file'))).toBe(
      '--out must be a .csv file, got an empty string',
    );
  });
});
