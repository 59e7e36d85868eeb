import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Pending changesets must name real workspace packages with a valid bump, or `changeset version` fails.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packages = new Set(
  readdirSync(join(root, 'packages')).map(
    (p) =>
      (JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')) as { name: string }).name,
  ),
);
const changesets = readdirSync(join(root, '.changeset')).filter(
  (f) => f.endsWith('.md') && f !== 'README.md',
);

describe('changesets', () => {
  for (const file of changesets) {
    it(`${file} names workspace packages with a valid bump and has a summary`, () => {
      const text = readFileSync(join(root, '.changeset', file), 'utf8');
      const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
      expect(match, 'front matter between --- lines').not.toBeNull();
      for (const line of match![1]!.split('\n').filter(Boolean)) {
        const entry = /^"(.+)": (major|minor|patch)$/.exec(line.trim());
        expect(entry, `line '${line}'`).not.toBeNull();
        expect(packages.has(entry![1]!), `${entry![1]} is a workspace package`).toBe(true);
      }
      expect(match![2]!.trim().length).toBeGreaterThan(20);
    });
  }
});
