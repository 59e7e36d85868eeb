import { writeFileAtomic } from './atomic-write.js';
import { type PngOptions, renderPng } from './render-png.js';
import { renderSvg } from './render-svg.js';
import type { VegaLiteSpec } from './spec.js';
import { describeValue } from './validate.js';

function checkFile(file: unknown): void {
  if (typeof file !== 'string' || file.length === 0) {
    throw new TypeError(`file must be a non-empty path string, got ${describeValue(file)}`);
  }
}

/**
 * Renders `spec` with {@link renderPng} and writes the PNG to `file` atomically (temp file in the same
 * directory, then rename), creating the parent directory. Nothing is written if rendering fails.
 */
export async function writePng(file: string, spec: VegaLiteSpec, options?: PngOptions): Promise<void> {
  checkFile(file);
  const png = await renderPng(spec, options);
  await writeFileAtomic(file, png);
}

/**
 * Renders `spec` with {@link renderSvg} and writes the SVG to `file` atomically (temp file in the same
 * directory, then rename), creating the parent directory. Nothing is written if rendering fails.
 * Note that an SVG viewer uses its own fonts: text looks like the PNG only where DejaVu Sans is installed.
 */
export async function writeSvg(file: string, spec: VegaLiteSpec): Promise<void> {
  checkFile(file);
  const svg = await renderSvg(spec);
  await writeFileAtomic(file, svg);
}
