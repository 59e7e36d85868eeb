import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Font family every plot uses: bundled with the `dejavu-fonts-ttf` package, so no system font is needed. */
export const FONT_FAMILY = 'DejaVu Sans';

/** The DejaVu Sans faces vega can ask for (regular, bold titles, italic/oblique styles). */
const FONT_FILE_NAMES = [
  'DejaVuSans.ttf',
  'DejaVuSans-Bold.ttf',
  'DejaVuSans-Oblique.ttf',
  'DejaVuSans-BoldOblique.ttf',
] as const;

let cached: readonly string[] | undefined;

/**
 * Absolute paths of the DejaVu Sans TTF files shipped by the `dejavu-fonts-ttf` npm package, resolved
 * from this module (so it works from a hoisted or nested `node_modules`). Cached after the first call.
 * Throws an Error naming the missing file if the package is installed without its `ttf/` folder.
 */
export function dejavuFontFiles(): readonly string[] {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const ttfDir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const files = FONT_FILE_NAMES.map((name) => join(ttfDir, name));
  for (const file of files) {
    if (!existsSync(file)) {
      throw new Error(
        `font file ${file} is missing: @bridgekit/plot needs the TTF files of the 'dejavu-fonts-ttf' package`,
      );
    }
  }
  cached = Object.freeze(files);
  return cached;
}
