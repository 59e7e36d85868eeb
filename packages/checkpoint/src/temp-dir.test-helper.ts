/**
 * Test-only helpers of the checkpoint package (not exported from the package index): throwaway
 * directories under os.tmpdir(), and small tensors whose content encodes a step.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { NamedArray } from './named-array.js';

const created: string[] = [];
// Registered when a test file imports this helper; a hook registered from inside a test would not run.
afterAll(async () => {
  for (const dir of created.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh directory under os.tmpdir(), removed (with everything in it) after the test file. */
export async function tempDir(label: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `bridgekit-checkpoint-${label}-`));
  created.push(dir);
  return dir;
}

/** Tensors whose every element says which step they belong to, to check a checkpoint's consistency. */
export function stepTensors(step: number, size = 16): Record<string, NamedArray> {
  return {
    w: { dtype: 'F32', shape: [size], data: new Float32Array(size).fill(step) },
    count: { dtype: 'I32', shape: [], data: Int32Array.of(step) },
  };
}

/** The pid of a process that has already exited: what a killed run's temp names carry. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 999_999;
}
