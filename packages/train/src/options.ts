import type { Method, MethodOption } from './method.js';

export type OptionValue = number | string | boolean;

/**
 * Validates method options given as strings (from a command line) or values (from code) against
 * the method's declared options, fills in defaults, and rejects unknown names with the valid list.
 */
export function resolveMethodOptions(
  method: Pick<Method, 'name' | 'options'>,
  given: Readonly<Record<string, OptionValue | undefined>>,
): Record<string, OptionValue> {
  const byName = new Map(method.options.map((o) => [o.name, o]));
  for (const key of Object.keys(given)) {
    if (given[key] !== undefined && !byName.has(key)) {
      const valid = method.options.map((o) => o.name).join(', ') || '(none)';
      throw new RangeError(`method '${method.name}' has no option '${key}'; valid options: ${valid}`);
    }
  }
  const out: Record<string, OptionValue> = {};
  for (const option of method.options) {
    const raw = given[option.name];
    if (raw === undefined) {
      if (option.default === undefined) {
        throw new RangeError(`method '${method.name}' needs option --${option.flag} (${option.description})`);
      }
      out[option.name] = option.default;
      continue;
    }
    out[option.name] = coerce(option, raw);
  }
  return out;
}

function coerce(option: MethodOption, raw: OptionValue): OptionValue {
  const where = `--${option.flag}`;
  switch (option.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new RangeError(`${where} must be true or false, got '${raw}'`);
    }
    case 'string': {
      const value = String(raw);
      if (option.choices !== undefined && !option.choices.includes(value)) {
        throw new RangeError(`${where} must be one of ${option.choices.join(', ')}; got '${value}'`);
      }
      return value;
    }
    case 'number':
    case 'integer': {
      const value = typeof raw === 'number' ? raw : raw === '' ? Number.NaN : Number(raw);
      const integer = option.type === 'integer';
      if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
        throw new RangeError(
          `${where} must be ${integer ? 'an integer' : 'a finite number'}, got '${String(raw)}'`,
        );
      }
      if (option.min !== undefined && value < option.min) {
        throw new RangeError(`${where} must be ≥ ${option.min}, got ${value}`);
      }
      if (option.max !== undefined && value > option.max) {
        throw new RangeError(`${where} must be ≤ ${option.max}, got ${value}`);
      }
      return value;
    }
  }
}
