/**
 * Electron entry (built to `out/main/index.js`). Knows only where the build put
 * the preload and the renderer; everything else is in lifecycle.ts.
 */
import { join } from 'node:path';
import { app } from 'electron';
import { startConsoleShell } from './lifecycle.ts';

// out/main -> out/preload, out/renderer; assets ship beside out/ (see electron-builder.yml).
const outDir = join(import.meta.dirname, '..');

const { ready } = startConsoleShell({
  argv: process.argv.slice(1),
  env: process.env,
  paths: {
    preloadFile: join(outDir, 'preload', 'index.cjs'),
    rendererDir: join(outDir, 'renderer'),
    trayIconDir: join(app.getAppPath(), 'assets', 'tray'),
    windowIcon: join(app.getAppPath(), 'assets', 'icons', '256x256.png'),
  },
});

ready.catch((error: unknown) => {
  console.error('[guardline] start-up failed', error);
  app.exit(1);
});
