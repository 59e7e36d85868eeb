import { type ChildProcess, spawn } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint } from './checkpoint.js';
import { tempDir } from './temp-dir.test-helper.js';

// The child imports the package source through tsx; `--import tsx` resolves from the working
// directory, so the child runs in the repository root. (node_modules/.bin/tsx would start a second
// process, and SIGKILL on the wrapper would leave the real writer running.)
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const entry = new URL('./index.ts', import.meta.url).href;
const SIZE = 500_000; // 2 MB of float32 per checkpoint

// Resumes from the run's checkpoint (as a training loop would) and saves in a tight loop. Every
// element of every tensor, and the config, encode the step, so a mixed-up checkpoint is detectable.
const childSource = `
const { latestCheckpoint, loadCheckpoint, saveCheckpoint } = await import(${JSON.stringify(entry)});
const run = process.argv[2];
let step = 0;
if (await latestCheckpoint(run)) step = (await loadCheckpoint(run, { onWarning: () => {} })).step + 1;
process.stdout.write('ready ' + step + '\\n');
for (;; step++) {
  const w = new Float32Array(${SIZE}).fill(step);
  await saveCheckpoint(run, {
    step,
    config: { step, note: 'saved at step ' + step },
    tensors: {
      w: { dtype: 'F32', shape: [${SIZE / 1000}, 1000], data: w },
      step: { dtype: 'I32', shape: [], data: Int32Array.of(step) },
    },
  });
  process.stdout.write('saved ' + step + '\\n');
}
`;

interface Kill {
  delay: number;
  /** Highest step whose saveCheckpoint had returned before the kill (the child said so), or -1. */
  confirmed: number;
  /** Temp entries in checkpoints/ right after the kill: the kill landed inside a save. */
  leftovers: number;
  loaded: number;
}

/** Spawns the writer; resolves once it is ready (and, with `firstSave`, once it has saved once). */
function start(script: string, run: string, firstSave: boolean) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, run], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let confirmed = -1;
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('saved ')) confirmed = Number(line.slice(6));
        if (line.startsWith(firstSave ? 'saved ' : 'ready ')) resolve();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`)),
    );
  });
  return { child, ready, exited, confirmed: () => confirmed };
}

// A small LCG so the kill moments are reproducible from the printed delays.
function delays(seed: number, count: number, max: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * max);
  });
}

async function lane(lane: number, kills: number): Promise<Kill[]> {
  const dir = await tempDir(`crash-${lane}`);
  const run = join(dir, 'run');
  const script = join(dir, 'writer.mts');
  await writeFile(script, childSource);
  const results: Kill[] = [];
  let previous = -1;
  for (const [i, delay] of delays(0x5eed + lane, kills, 300).entries()) {
    const writer = start(script, run, i === 0);
    await writer.ready;
    await new Promise((resolve) => setTimeout(resolve, delay));
    writer.child.kill('SIGKILL');
    await writer.exited;
    const leftovers = (await readdir(join(run, 'checkpoints'))).filter((n) => n.includes('.tmp-')).length;

    const warnings: string[] = [];
    const where = `lane ${lane}, kill ${i + 1} after ${delay} ms`;
    const loaded = await loadCheckpoint(run, { onWarning: (m) => warnings.push(m) });
    // LATEST always names a complete checkpoint, so no fallback should ever be needed.
    expect(warnings, where).toEqual([]);
    expect(loaded.config, where).toEqual({ step: loaded.step, note: `saved at step ${loaded.step}` });
    expect(loaded.tensors.step!.data[0], where).toBe(loaded.step);
    const w = loaded.tensors.w!.data as Float32Array;
    expect(w.length, where).toBe(SIZE);
    let wrong = 0;
    for (let j = 0; j < w.length; j++) if (w[j] !== loaded.step) wrong++;
    expect(wrong, where).toBe(0);
    // Nothing confirmed is lost, and the run never goes back.
    expect(loaded.step, where).toBeGreaterThanOrEqual(writer.confirmed());
    expect(loaded.step, where).toBeGreaterThanOrEqual(previous);
    previous = loaded.step;
    results.push({ delay, confirmed: writer.confirmed(), leftovers, loaded: loaded.step });
  }
  return results;
}

describe('crash safety', () => {
  it('after SIGKILL at random moments of a save loop, the run always loads a consistent checkpoint', async () => {
    const lanes = await Promise.all([lane(0, 7), lane(1, 7)]);
    const kills = lanes.flat();
    expect(kills.length).toBeGreaterThanOrEqual(10);
    expect(new Set(kills.map((k) => k.delay)).size).toBeGreaterThanOrEqual(10);
    // The kills did land inside saves (a temp directory or file was left behind), and the runs moved on.
    expect(kills.filter((k) => k.leftovers > 0).length).toBeGreaterThan(0);
    for (const runKills of lanes) expect(runKills.at(-1)!.loaded).toBeGreaterThan(0);
    if (process.env.CHECKPOINT_CRASH_REPORT) console.info(JSON.stringify(lanes));
  });
});
