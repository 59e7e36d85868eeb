import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Keeps docs/architecture.md's arrows true: a package may import only the bridgekit packages it
// declares, every declared one is used, and the graph has no cycle.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = readdirSync(join(root, 'packages'));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(f) && !/\.test(-helper)?\.ts$/.test(f) ? [p] : [];
  });
}

const declared = new Map<string, Set<string>>();
const imported = new Map<string, Set<string>>();
for (const pkg of packages) {
  const json = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  declared.set(
    pkg,
    new Set(
      Object.keys(json.dependencies ?? {})
        .filter((d) => d.startsWith('@bridgekit/'))
        .map((d) => d.slice(11)),
    ),
  );
  const used = new Set<string>();
  for (const file of sources(join(root, 'packages', pkg, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/from '@bridgekit\/([a-z-]+)/g)) used.add(m[1]!);
  }
  imported.set(pkg, used);
}

describe('package dependency arrows', () => {
  for (const pkg of packages) {
    it(`${pkg} imports exactly the bridgekit packages it declares`, () => {
      expect([...imported.get(pkg)!].sort()).toEqual([...declared.get(pkg)!].sort());
    });
  }

  it('has no cycle', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (p: string, path: string[]): void => {
      if (state.get(p) === 'done') return;
      if (state.get(p) === 'visiting') throw new Error(`cycle: ${[...path, p].join(' → ')}`);
      state.set(p, 'visiting');
      for (const d of declared.get(p) ?? []) visit(d, [...path, p]);
      state.set(p, 'done');
    };
    for (const p of packages) visit(p, []);
  });

  it('keeps TensorFlow.js out of checkpoint, metrics and plot', () => {
    for (const pkg of ['checkpoint', 'metrics', 'plot']) {
      const json = readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8');
      expect(json).not.toMatch(/tensorflow|@bridgekit\/core/);
    }
  });
});
