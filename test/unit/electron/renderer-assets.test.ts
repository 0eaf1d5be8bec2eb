import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';
import electronViteConfig from '../../../electron.vite.config.ts';

/**
 * The packaged renderer's CSP allows images and fonts only from the app's own scheme,
 * so Vite must not inline a small asset as a data: URL. Build a tiny page holding a
 * 60-byte icon with the renderer block's options and look at what came out.
 */
const dir = mkdtempSync(join(tmpdir(), 'guardline-assets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('electron-vite renderer build', () => {
  it('keeps even a tiny asset a file instead of a data: URL', async () => {
    const renderer = (electronViteConfig as { renderer: { build: { assetsInlineLimit?: number } } }).renderer;
    writeFileSync(join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
    writeFileSync(join(dir, 'main.js'), "import icon from './icon.svg';\ndocument.title = icon;\n");
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>');
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      root: dir,
      base: './',
      build: { write: false, assetsInlineLimit: renderer.build.assetsInlineLimit },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const [bundle] = Array.isArray(result) ? result : [result];
    const files = bundle!.output.map((o) => o.fileName);
    expect(files.some((f) => /^assets\/icon-.*\.svg$/.test(f))).toBe(true);
    const code = bundle!.output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk').map((c) => c.code);
    expect(code.join('\n')).not.toContain('data:image');
  });
});
