import type { Progress } from '@bridgekit/train';
import { describe, expect, it } from 'vitest';
import { type Bar, type BarPayload, createReporter, progressMode } from './progress.js';
import { isPlainText } from './run-cli.test-helper.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

function steps(phase: string, total: number, loss = true): Progress[] {
  return Array.from({ length: total }, (_, k) => ({
    phase,
    done: k + 1,
    total,
    ...(loss ? { loss: 1 / (k + 1) } : {}),
  }));
}

describe('progressMode', () => {
  it('is a bar on a terminal, lines on a pipe, nothing with --quiet', () => {
    expect(progressMode(false, { isTTY: true, write: () => true })).toBe('bar');
    expect(progressMode(false, { write: () => true })).toBe('lines');
    expect(progressMode(true, { isTTY: true, write: () => true })).toBe('silent');
  });
});

describe('createReporter', () => {
  it('--quiet prints nothing at all', async () => {
    const out = sink(true);
    const reporter = await createReporter({ quiet: true, stream: out });
    for (const p of steps('train', 100)) reporter.onProgress(p);
    reporter.info('backend: cpu');
    reporter.stop();
    expect(out.text()).toBe('');
  });

  it('off a terminal prints one plain line per finished phase, not one per step', async () => {
    const out = sink(false);
    let now = 0;
    const reporter = await createReporter({
      quiet: false,
      stream: out,
      now: () => now,
      lineIntervalMs: 30_000,
    });
    for (const p of steps('train', 1000)) {
      now += 10;
      reporter.onProgress(p);
    }
    for (const p of steps('sample', 20, false)) reporter.onProgress(p);
    reporter.stop();
    expect(out.text()).toBe('train: 1000/1000 (100%), loss 0.001000, 10.0 s\nsample: 20/20 (100%), 0.0 s\n');
    expect(isPlainText(out.text())).toBe(true);
  });

  it('off a terminal adds at most one intermediate line per interval', async () => {
    const out = sink(false);
    let now = 0;
    const reporter = await createReporter({
      quiet: false,
      stream: out,
      now: () => now,
      lineIntervalMs: 30_000,
    });
    // 100 s of steps, one per 100 ms: a line 30 s after the first step and 30 s after each line.
    for (const p of steps('train', 1000, false)) {
      now += 100;
      reporter.onProgress(p);
    }
    const lines = out.text().trim().split('\n');
    expect(lines).toEqual([
      'train: 301/1000 (30%)',
      'train: 601/1000 (60%)',
      'train: 901/1000 (90%)',
      'train: 1000/1000 (100%), 99.9 s',
    ]);
  });

  it('on a terminal drives one bar per phase and ends it before a log line', async () => {
    const events: string[] = [];
    const fake = (): Bar => ({
      start: (total: number, value: number, payload: BarPayload) =>
        events.push(`start ${payload.phase} ${value}/${total}${payload.loss}`),
      update: (value: number, payload: BarPayload) => events.push(`update ${value}${payload.loss}`),
      stop: () => events.push('stop'),
    });
    const out = sink(true);
    const reporter = await createReporter({ quiet: false, stream: out, createBar: fake });
    expect(reporter.mode).toBe('bar');
    reporter.onProgress({ phase: 'train', done: 5, total: 7, loss: 0.5 });
    reporter.onProgress({ phase: 'train', done: 7, total: 7, loss: 0.25 });
    reporter.onProgress({ phase: 'sample', done: 1, total: 2 });
    reporter.info('done');
    reporter.stop();
    expect(events).toEqual([
      'start train 5/7 | loss 0.5000',
      'update 7 | loss 0.2500',
      'stop',
      'start sample 1/2',
      'stop',
    ]);
    expect(out.text()).toBe('done\n');
  });
});
