import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Every ```ts block in the READMEs and docs/ is a program; this runs each one, so no example rots.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'tests', '.doc-examples');
const run = promisify(execFile);

function markdownFiles(): string[] {
  const files = [join(root, 'README.md')];
  for (const pkg of readdirSync(join(root, 'packages'))) files.push(join(root, 'packages', pkg, 'README.md'));
  for (const doc of readdirSync(join(root, 'docs')))
    if (doc.endsWith('.md')) files.push(join(root, 'docs', doc));
  return files.filter((f) => {
    try {
      readFileSync(f);
      return true;
    } catch {
      return false;
    }
  });
}

interface Block {
  file: string;
  line: number;
  code: string;
}

function tsBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    blocks.push({ file, line: start, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const blocks = markdownFiles().flatMap(tsBlocks);

describe('code blocks in the docs run', () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  it('finds examples to run', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });
  for (const [index, block] of blocks.entries()) {
    const where = `${relative(root, block.file)}:${block.line}`;
    it(`${where}`, async () => {
      const file = join(work, `example-${index}.mts`);
      writeFileSync(file, block.code);
      const tsx = join(root, 'node_modules', '.bin', 'tsx');
      try {
        await run(tsx, ['--conditions=@bridgekit/source', file], {
          cwd: root,
          timeout: 180_000,
          env: { ...process.env, BRIDGEKIT_QUIET: '1' },
        });
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        throw new Error(`example at ${where} failed:\n${e.stderr ?? e.message}`);
      }
    });
  }
});
