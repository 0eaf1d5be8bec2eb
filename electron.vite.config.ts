/**
 * One build for the three Electron parts: main -> out/main/index.js (ESM, like
 * package.json `type`), preload -> out/preload/index.cjs (CommonJS, as sandboxed
 * preloads must be), renderer -> out/renderer. Sources import with explicit `.ts`
 * extensions (Node type stripping); Vite resolves those as written.
 */
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Runtime dependencies stay in node_modules (packed by electron-builder); the native
      // SQLite binding can never be bundled.
      externalizeDeps: { include: ['better-sqlite3'] },
      rolldownOptions: {
        // The background reader (issue 16) is a worker thread started from its own file:
        // out/main/read-worker.js beside index.js, where job-runner.ts looks for it.
        // Shared chunks stay in the same folder, so both entries import them alike.
        input: {
          index: resolve(root, 'src-main/electron/main.ts'),
          'read-worker': resolve(root, 'src-main/core/jobs/read-worker.ts'),
          // The mesh's frame preparer (issue 12), started by core/mesh/frame-preparer.ts.
          'frame-prepare-worker': resolve(root, 'src-main/core/mesh/frame-prepare-worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload can require nothing but `electron`: bundle everything else.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
        // The preload uses only constants from the contract; its zod schemas are
        // declarations without effects, so they (and zod) drop out of the bundle.
        treeshake: { manualPureFunctions: ['z'] },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // Every asset stays a file served by the app:// handler: an inlined data: URL would
      // need data: in more CSP directives (the same rule as vite.renderer.config.ts).
      assetsInlineLimit: 0,
      rolldownOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});
