/**
 * `npm run bench -- [suite ...] [--quick] [--quiet]`: runs benchmark suites (all when none is named)
 * and writes bench/results/<suite>.json and .md. Suites and metric definitions: benchmarks.md.
 */
import { writeResult } from './result-file.js';
import { noiseToData, noiseToDataMarkdown } from './suites/noise-to-data.js';
import { trainingSpeed, trainingSpeedMarkdown } from './suites/training-speed.js';

const SUITES = {
  'training-speed': { run: trainingSpeed, markdown: trainingSpeedMarkdown },
  'noise-to-data': { run: noiseToData, markdown: noiseToDataMarkdown },
} as const;
type SuiteName = keyof typeof SUITES;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const quiet = args.includes('--quiet');
const unknownFlags = args.filter((a) => a.startsWith('--') && a !== '--quick' && a !== '--quiet');
if (unknownFlags.length > 0) {
  console.error(`unknown option ${unknownFlags[0]}; valid options: --quick, --quiet`);
  process.exit(2);
}
const names = args.filter((a) => !a.startsWith('--'));
for (const name of names) {
  if (!(name in SUITES)) {
    console.error(`unknown suite '${name}'; valid suites: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
}
const selected = (names.length > 0 ? names : Object.keys(SUITES)) as SuiteName[];
const log = quiet ? () => {} : (s: string) => console.log(s);
for (const name of selected) {
  log(`== ${name}${quick ? ' (quick)' : ''}`);
  const suite = SUITES[name];
  const result = await suite.run({ quick, log });
  const files = writeResult(result, suite.markdown(result));
  log(`wrote ${files.json} and ${files.md}`);
}
