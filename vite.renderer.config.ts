/**
 * Builds the renderer alone (for the browser host and e2e): relative asset paths so
 * the same files load from Electron's file:// or the web host's http://127.0.0.1.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = import.meta.dirname;

export default defineConfig({
  root: resolve(repoRoot, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(repoRoot, 'dist-renderer'),
    emptyOutDir: true,
    target: 'es2023',
    // Inline assets would need data: in more CSP directives; keep every asset a file.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    rolldownOptions: {
      // The contract's zod schemas are declarations without effects: where the renderer
      // only uses a module's constants and helpers (roles, line states), the schemas and
      // zod drop out of the first chunk. The bridge loads them on its own (frame-contract.ts).
      treeshake: { manualPureFunctions: ['z'] },
    },
  },
});
