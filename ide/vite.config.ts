import { join } from 'node:path';
import { defineConfig } from 'vite';

// The IDE is served by the gateway: the page at /graphql, everything else
// under /ide/assets/ with hashed names, so the gateway can cache them forever.
export default defineConfig({
  root: import.meta.dirname,
  base: '/ide/',
  // No public/ folder: every file the page loads is a hashed build output.
  publicDir: false,
  resolve: {
    // The file writers shared with the gateway's exports, bundled from their
    // TypeScript source: the IDE needs no build of domain/ first, and takes
    // that one browser-safe module of it, none of its Node-only parts.
    alias: { '@hub/domain/network-files': join(import.meta.dirname, '../domain/src/network-files.ts') },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco and its language workers are large; the gateway compresses them.
    chunkSizeWarningLimit: 6000,
    // Inlined assets would be data: URLs, which the page's CSP need not allow for scripts or fonts.
    assetsInlineLimit: 0,
    rolldownOptions: {
      onwarn(warning, warn) {
        // React libraries mark their modules "use client", which only matters to server components.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
