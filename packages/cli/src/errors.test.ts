import { describe, expect, it } from 'vitest';
import {
  CliError,
  EXIT_FAILURE,
  EXIT_USAGE,
  oneLine,
  reportError,
  runtimeError,
  usageError,
} from './errors.js';

describe('reportError', () => {
  it('prints a CliError as one line with its exit code', () => {
    expect(reportError(usageError("--n must be a positive integer, got '-5'"), false)).toEqual({
      text: "bridgekit: --n must be a positive integer, got '-5'\n",
      exitCode: EXIT_USAGE,
    });
    expect(reportError(runtimeError("--data file 'a.csv' does not exist"), false).exitCode).toBe(
      EXIT_FAILURE,
    );
  });

  it('prints an unexpected error as one line with a hint, exit code 1', () => {
    const report = reportError(new TypeError('x is undefined\n    at f (file.js:1:2)'), false);
    expect(report.exitCode).toBe(EXIT_FAILURE);
    expect(report.text).toBe('bridgekit: x is undefined (BRIDGEKIT_DEBUG=1 prints the stack trace)\n');
  });

  it('adds the stack traces of the error and its causes when debugging', () => {
    const cause = new Error('inner');
    const report = reportError(runtimeError('outer', cause), true);
    const lines = report.text.split('\n');
    expect(lines[0]).toBe('bridgekit: outer');
    expect(report.text).toMatch(/CliError: outer\n\s+at /);
    expect(report.text).toMatch(/Error: inner\n\s+at /);
  });
});

describe('oneLine', () => {
  it('joins message lines and drops stack frames', () => {
    expect(oneLine(new Error('first\n  second\n    at g (x.js:3:4)\n'))).toBe('first second');
    expect(oneLine('plain')).toBe('plain');
    expect(oneLine(new Error(''))).toBe('Error');
  });

  it('keeps the exit code given to a CliError', () => {
    expect(new CliError('m', 7).exitCode).toBe(7);
  });
});
