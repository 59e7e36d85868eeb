/**
 * `npm run bench -- [suite ...] [--quick] [--quiet] [--tasks a,b] [--methods a,b] [--seeds N] [--steps N]
 * [--tag NAME]`:
 * runs benchmark suites (all when none is named) and writes bench/results/<suite>.json and .md.
 * Suites and metric definitions: benchmarks.md. The filters narrow a run (a result file then holds
 * only what was run; give it a --tag to write <suite>-<tag>.json instead of replacing the main file).
 */
import type { SuiteOptions } from './options.js';
import { writeResult } from './result-file.js';
import { anisotropic, anisotropicMarkdown } from './suites/anisotropic.js';
import { gaussianBridge, gaussianBridgeMarkdown } from './suites/gaussian-bridge.js';
import { noiseToData, noiseToDataMarkdown } from './suites/noise-to-data.js';
import { rewardTuning, rewardTuningMarkdown } from './suites/reward-tuning.js';
import { trainingSpeed, trainingSpeedMarkdown } from './suites/training-speed.js';

const SUITES = {
  'training-speed': { run: trainingSpeed, markdown: trainingSpeedMarkdown },
  'noise-to-data': { run: noiseToData, markdown: noiseToDataMarkdown },
  anisotropic: { run: anisotropic, markdown: anisotropicMarkdown },
  'gaussian-bridge': { run: gaussianBridge, markdown: gaussianBridgeMarkdown },
  'reward-tuning': { run: rewardTuning, markdown: rewardTuningMarkdown },
} as const;
type SuiteName = keyof typeof SUITES;

const USAGE =
  'usage: npm run bench -- [suite ...] [--quick] [--quiet] [--tasks a,b] [--methods a,b] [--seeds N] [--steps N] [--tag NAME]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function positiveInteger(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) {
    fail(`${flag} needs a positive integer, got ${value === undefined ? 'nothing' : `'${value}'`}`);
  }
  return n;
}

const args = process.argv.slice(2);
let quick = false;
let quiet = false;
let tasks: string[] | undefined;
let methods: string[] | undefined;
let seeds: number | undefined;
let steps: number | undefined;
let tag: string | undefined;
const names: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--quick') quick = true;
  else if (a === '--quiet') quiet = true;
  else if (a === '--tasks' || a === '--methods') {
    const v = args[++i];
    if (v === undefined || v.startsWith('--') || v === '') fail(`${a} needs a comma-separated list`);
    if (a === '--tasks') tasks = v.split(',');
    else methods = v.split(',');
  } else if (a === '--seeds') seeds = positiveInteger(a, args[++i]);
  else if (a === '--steps') steps = positiveInteger(a, args[++i]);
  else if (a === '--tag') {
    tag = args[++i];
    if (tag === undefined || !/^[A-Za-z0-9_.-]+$/.test(tag))
      fail('--tag needs a name of letters, digits, _ . -');
  } else if (a.startsWith('--')) fail(`unknown option ${a}`);
  else if (!(a in SUITES)) fail(`unknown suite '${a}'; valid suites: ${Object.keys(SUITES).join(', ')}`);
  else names.push(a);
}
const selected = (names.length > 0 ? names : Object.keys(SUITES)) as SuiteName[];
const log = quiet ? () => {} : (s: string) => console.log(s);
const options: SuiteOptions = { quick, log, tasks, methods, seeds, steps, tag };
for (const name of selected) {
  log(`== ${name}${quick ? ' (quick)' : ''}`);
  const suite = SUITES[name];
  let result: Awaited<ReturnType<typeof suite.run>>;
  try {
    result = await suite.run(options);
  } catch (e) {
    if (e instanceof RangeError) fail(`${name}: ${e.message}`);
    throw e;
  }
  const files = writeResult(result, suite.markdown(result), tag);
  log(`wrote ${files.json} and ${files.md}`);
}
