/**
 * Builds the HQ app (src-hq) that the tracker serves at /hq. A build of its own beside
 * the console's renderer (vite.renderer.config.ts), so each keeps its own entry, CSP
 * and chunking; both import the same components, i18n, formatting and charts from
 * src-renderer and src-shared.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = import.meta.dirname;

export default defineConfig({
  root: resolve(repoRoot, 'src-hq'),
  base: '/hq/',
  plugins: [react()],
  build: {
    outDir: resolve(repoRoot, 'dist-hq'),
    emptyOutDir: true,
    target: 'es2023',
    // HQ's CSP allows no data: URLs: keep every asset a file.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
  },
});
