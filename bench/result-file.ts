import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '@bridgekit/checkpoint';

/** One row of a benchmark result file (shape defined in benchmarks.md). */
export interface BenchRow {
  task: string;
  method: string;
  variant: string;
  sampler?: string;
  nfe?: number;
  seed: number | 'mean' | 'std';
  n?: number;
  backend?: string;
  metrics: Record<string, number | null>;
  note?: string;
}

export interface BenchResult {
  suite: string;
  commit: string;
  backend: string;
  quick: boolean;
  date: string;
  definitions: Record<string, string>;
  rows: BenchRow[];
}

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'results');

export function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * Writes `<suite>.json` and `<suite>.md` (or `<suite>-<tag>.*` with a tag, for a narrowed run that
 * must not replace the suite's main result) atomically (temp file + rename).
 */
export function writeResult(
  result: BenchResult,
  markdown: string,
  tag?: string,
): { json: string; md: string } {
  const base = tag === undefined ? result.suite : `${result.suite}-${tag}`;
  const json = join(RESULTS_DIR, `${base}.json`);
  const md = join(RESULTS_DIR, `${base}.md`);
  writeFileAtomicSync(json, `${JSON.stringify(result, null, 2)}\n`);
  writeFileAtomicSync(md, markdown);
  return { json, md };
}
