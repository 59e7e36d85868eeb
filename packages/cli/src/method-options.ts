import { type Method, type MethodOption, type OptionValue, resolveMethodOptions } from '@bridgekit/train';
import { Option } from 'commander';
import type { OptionInstance } from './common-options.js';
import { oneLine, usageError } from './errors.js';

/**
 * What the flag helpers need of a method: its name and options. A training `Method` and a fine-tuning
 * method (`@bridgekit/adjoint`'s `FinetuneMethod`) both fit.
 */
export type MethodLike = Pick<Method, 'name' | 'options'>;

/** One `--<flag>` of `bridgekit train` (or `finetune`), shared by every method that declares it. */
export interface MethodFlag {
  readonly flag: string;
  /** The key commander stores the value under (camelCase of the flag). */
  readonly key: string;
  readonly boolean: boolean;
  readonly declaredBy: readonly { readonly method: MethodLike; readonly option: MethodOption }[];
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks the method table and collects the method options into one flag each. The table is code,
 * not user input, so a bad table throws a TypeError at `createCli` time rather than a usage error.
 * `reserved` holds the commander keys of the command's own options, which no method may shadow;
 * `command` names that command in the error.
 */
export function methodFlags(
  methods: readonly MethodLike[],
  reserved: ReadonlySet<string>,
  command = 'train',
): MethodFlag[] {
  const names = new Set<string>();
  const byFlag = new Map<string, { method: MethodLike; option: MethodOption }[]>();
  for (const method of methods) {
    if (typeof method.name !== 'string' || !KEBAB.test(method.name)) {
      throw new TypeError(`method name must be kebab-case (e.g. 'ot-cfm'), got '${String(method.name)}'`);
    }
    if (names.has(method.name))
      throw new TypeError(`method '${method.name}' is listed twice in the method table`);
    names.add(method.name);
    const own = new Set<string>();
    for (const option of method.options) {
      if (!KEBAB.test(option.flag)) {
        throw new TypeError(
          `method '${method.name}': option '${option.name}' has flag '${option.flag}'; flags are kebab-case without dashes in front`,
        );
      }
      if (own.has(option.flag))
        throw new TypeError(`method '${method.name}' declares --${option.flag} twice`);
      own.add(option.flag);
      const list = byFlag.get(option.flag) ?? [];
      list.push({ method, option });
      byFlag.set(option.flag, list);
    }
  }
  const flags: MethodFlag[] = [];
  for (const [flag, declaredBy] of byFlag) {
    const key = new Option(`--${flag} <value>`).attributeName();
    if (reserved.has(key)) {
      const who = declaredBy.map((d) => d.method.name).join(', ');
      throw new TypeError(
        `method option --${flag} (${who}) clashes with an option of bridgekit ${command} itself`,
      );
    }
    const booleans = declaredBy.filter((d) => d.option.type === 'boolean').length;
    // A shared flag must take a value in every method or in none, or commander could not parse it.
    if (booleans !== 0 && booleans !== declaredBy.length) {
      throw new TypeError(
        `--${flag} is a boolean option of some methods and takes a value in others (${declaredBy
          .map((d) => `${d.method.name}: ${d.option.type}`)
          .join(', ')})`,
      );
    }
    flags.push({ flag, key, boolean: booleans > 0, declaredBy });
  }
  return flags;
}

/** What an option accepts and its default, for help text: 'number in [0, 1], default: 0.5'. */
export function optionDetail(option: MethodOption): string {
  const parts: string[] = [];
  const { min, max } = option;
  const range =
    min !== undefined && max !== undefined
      ? ` in [${min}, ${max}]`
      : min !== undefined
        ? ` ≥ ${min}`
        : max !== undefined
          ? ` ≤ ${max}`
          : '';
  if (option.choices !== undefined) parts.push(`one of ${option.choices.join(', ')}`);
  else parts.push(`${option.type}${range}`);
  if (option.default !== undefined) parts.push(`default: ${String(option.default)}`);
  return parts.join(', ');
}

/** The commander option of a method flag, with a description naming the methods that take it. */
export function commanderOption(flag: MethodFlag): OptionInstance {
  const first = flag.declaredBy[0]!;
  const same = flag.declaredBy.every(
    (d) =>
      d.option.description === first.option.description &&
      optionDetail(d.option) === optionDetail(first.option),
  );
  const description = same
    ? `[${flag.declaredBy.map((d) => d.method.name).join(', ')}] ${first.option.description} (${optionDetail(first.option)})`
    : flag.declaredBy
        .map((d) => `[${d.method.name}] ${d.option.description} (${optionDetail(d.option)})`)
        .join('; ');
  // No commander default: an absent flag must stay undefined so the chosen method's default applies.
  return new Option(flag.boolean ? `--${flag.flag} [true|false]` : `--${flag.flag} <value>`, description);
}

/**
 * The option values for `method`: the flags given on the command line, validated and completed with
 * defaults by `@bridgekit/train`'s `resolveMethodOptions` (one set of rules for the CLI and for code).
 * A flag that belongs only to other methods is a usage error listing the method's own flags.
 */
export function methodOptionValues(
  method: MethodLike,
  flags: readonly MethodFlag[],
  given: Readonly<Record<string, unknown>>,
): Record<string, OptionValue> {
  const byName: Record<string, OptionValue> = {};
  for (const flag of flags) {
    const raw = given[flag.key];
    if (raw === undefined) continue;
    const option = flag.declaredBy.find((d) => d.method === method)?.option;
    if (option === undefined) {
      const own = method.options.map((o) => `--${o.flag}`);
      const others = flag.declaredBy.map((d) => d.method.name).join(', ');
      throw usageError(
        `--${flag.flag} is an option of ${others}, not of method '${method.name}'; ${
          own.length > 0 ? `its options are ${own.join(', ')}` : 'it has no options of its own'
        }`,
      );
    }
    byName[option.name] = raw as string | boolean;
  }
  try {
    return resolveMethodOptions(method, byName);
  } catch (error) {
    throw usageError(oneLine(error));
  }
}
