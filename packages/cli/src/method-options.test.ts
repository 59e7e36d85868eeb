import type { Method, MethodOption } from '@bridgekit/train';
import { describe, expect, it } from 'vitest';
import { CliError, EXIT_USAGE } from './errors.js';
import { commanderOption, methodFlags, methodOptionValues, optionDetail } from './method-options.js';

function method(name: string, options: MethodOption[]): Method {
  const never = () => Promise.reject(new Error('not used'));
  return { name, description: name, options, train: never, load: never };
}

const betaMax: MethodOption = {
  name: 'betaMax',
  flag: 'beta-max',
  description: 'β_max of the VP schedule',
  type: 'number',
  default: 20,
  min: 0.1,
  max: 100,
};
const sigma: MethodOption = {
  name: 'sigma',
  flag: 'sigma',
  description: 'path noise σ',
  type: 'number',
  default: 0,
};
const ema: MethodOption = {
  name: 'ema',
  flag: 'ema',
  description: 'use an EMA copy',
  type: 'boolean',
  default: true,
};
const vp = method('vp', [betaMax, ema]);
const cfm = method('cfm', [sigma]);
const ot = method('ot-cfm', [sigma]);
const none = method('plain', []);
const reserved = new Set(['method', 'steps', 'nData', 'help']);

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT_USAGE);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('methodFlags', () => {
  it('gives one flag per distinct --flag, shared by the methods that declare it', () => {
    const flags = methodFlags([vp, cfm, ot, none], reserved);
    expect(flags.map((f) => [f.flag, f.key, f.boolean, f.declaredBy.map((d) => d.method.name)])).toEqual([
      ['beta-max', 'betaMax', false, ['vp']],
      ['ema', 'ema', true, ['vp']],
      ['sigma', 'sigma', false, ['cfm', 'ot-cfm']],
    ]);
  });

  it('refuses tables the CLI could not parse', () => {
    expect(() => methodFlags([vp, vp], reserved)).toThrow("method 'vp' is listed twice");
    expect(() => methodFlags([method('Bad Name', [])], reserved)).toThrow('kebab-case');
    const steps: MethodOption = { name: 'steps', flag: 'steps', description: '', type: 'integer' };
    expect(() => methodFlags([method('x', [steps])], reserved)).toThrow('--steps (x) clashes');
    const nData: MethodOption = { name: 'n', flag: 'n-data', description: '', type: 'integer' };
    expect(() => methodFlags([method('x', [nData])], reserved)).toThrow('clashes');
    const emaNumber: MethodOption = { name: 'ema', flag: 'ema', description: '', type: 'number' };
    expect(() => methodFlags([vp, method('y', [emaNumber])], reserved)).toThrow(
      '--ema is a boolean option of some methods and takes a value in others (vp: boolean, y: number)',
    );
  });
});

describe('help text of method options', () => {
  it('names the methods, the accepted values and the default', () => {
    expect(optionDetail(betaMax)).toBe('number in [0.1, 100], default: 20');
    const flags = methodFlags([vp, cfm, ot], reserved);
    const described = flags.map((f) => [commanderOption(f).flags, commanderOption(f).description]);
    expect(described).toEqual([
      ['--beta-max <value>', '[vp] β_max of the VP schedule (number in [0.1, 100], default: 20)'],
      ['--ema [true|false]', '[vp] use an EMA copy (boolean, default: true)'],
      ['--sigma <value>', '[cfm, ot-cfm] path noise σ (number, default: 0)'],
    ]);
  });
});

describe('methodOptionValues', () => {
  const flags = methodFlags([vp, cfm, ot, none], reserved);

  it("fills in the chosen method's defaults and parses given values", () => {
    expect(methodOptionValues(vp, flags, {})).toEqual({ betaMax: 20, ema: true });
    expect(methodOptionValues(vp, flags, { betaMax: '12.5', ema: 'false' })).toEqual({
      betaMax: 12.5,
      ema: false,
    });
    // A bare boolean flag arrives from commander as `true`.
    expect(methodOptionValues(vp, flags, { ema: true })).toEqual({ betaMax: 20, ema: true });
    expect(methodOptionValues(ot, flags, { sigma: '0.1' })).toEqual({ sigma: 0.1 });
  });

  it('names the flag and the bad value', () => {
    expect(usage(() => methodOptionValues(vp, flags, { betaMax: '500' }))).toContain('--beta-max');
    expect(usage(() => methodOptionValues(vp, flags, { betaMax: '500' }))).toContain('500');
    expect(usage(() => methodOptionValues(vp, flags, { betaMax: 'abc' }))).toMatch(/--beta-max .*'abc'/);
  });

  it("refuses another method's flag and lists the method's own", () => {
    expect(usage(() => methodOptionValues(vp, flags, { sigma: '0.1' }))).toBe(
      "--sigma is an option of cfm, ot-cfm, not of method 'vp'; its options are --beta-max, --ema",
    );
    expect(usage(() => methodOptionValues(none, flags, { betaMax: '3' }))).toBe(
      "--beta-max is an option of vp, not of method 'plain'; it has no options of its own",
    );
  });
});
