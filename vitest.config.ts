import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Not "module": that condition points some packages (e.g. @opentelemetry/api)
// at builds only a bundler can load, while tests load dependencies as Node does.
const conditions = ['source', ...defaultServerConditions.filter((c) => c !== 'module')];

export default defineConfig({
  // Workspace packages resolve to their TypeScript sources, so tests need no build.
  resolve: { conditions, mainFields: ['main'] },
  ssr: { resolve: { conditions } },
  test: {
    include: ['test/**/*.test.ts', 'subgraphs/*/test/**/*.test.ts'],
    setupFiles: ['reflect-metadata'],
    // Compiled entry points that tests start as processes or workers are built once, first.
    globalSetup: ['test/support/build.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
