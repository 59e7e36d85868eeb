import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe } from './validate.js';

/**
 * Imports a user's module file and returns the first of its exports `names` ('default', then the
 * named ones) that `accept` recognises, with the resolved path. Every failure is one line naming the
 * resolved path and `what` the module must export (shared by {@link loadReward} and {@link loadEnergy}).
 */
export async function importUserModule<T>(
  where: string,
  specifier: string,
  cwd: string,
  names: readonly string[],
  accept: (value: unknown) => value is T,
  what: string,
): Promise<{ value: T; path: string }> {
  if (typeof specifier !== 'string' || specifier.length === 0) {
    throw new TypeError(`${where}: specifier must be a path to a module file, got ${describe(specifier)}`);
  }
  const path = isAbsolute(specifier) ? specifier : resolve(cwd, specifier);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new Error(
      `${where}: no module file at ${path} (from '${specifier}' in ${cwd}); it must export ${what}`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(/* @vite-ignore */ pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const message = String((error as Error).message ?? error).split('\n')[0];
    throw new Error(`${where}: importing ${path} failed: ${message}`);
  }
  const candidate = names.map((n) => module[n]).find(accept);
  if (candidate === undefined) {
    const exported = Object.keys(module).sort().join(', ') || 'nothing';
    throw new TypeError(`${where}: ${path} must export ${what}; it exports ${exported}`);
  }
  return { value: candidate, path };
}
