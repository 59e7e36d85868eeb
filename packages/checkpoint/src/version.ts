import { readFile } from 'node:fs/promises';

let cached: Promise<string> | undefined;

/**
 * The version of this package, read once from its package.json (one directory above both `src/` and
 * `dist/`), for the `bridgekitVersion` provenance field. Reading it at run time avoids a hand-kept
 * constant that drifts when changesets bump the version; 'unknown' if the file cannot be read.
 */
export function packageVersion(): Promise<string> {
  cached ??= readFile(new URL('../package.json', import.meta.url), 'utf8')
    .then((text) => {
      const version = (JSON.parse(text) as { version?: unknown }).version;
      return typeof version === 'string' ? version : 'unknown';
    })
    .catch(() => 'unknown');
  return cached;
}
