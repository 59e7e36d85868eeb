import { defineConfig } from 'vitest/config';

// Tests run against package sources: the "@bridgekit/source" export condition maps every
// `@bridgekit/*` import to its `src/index.ts`, so no build is needed between edits.
export default defineConfig({
  resolve: { conditions: ['@bridgekit/source'] },
  ssr: { resolve: { conditions: ['@bridgekit/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
