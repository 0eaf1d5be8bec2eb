import { describe, expect, it } from 'vitest';
import { build, type Rollup } from 'vite';
import electronViteConfig from '../../../electron.vite.config.ts';

/**
 * A sandboxed preload can `require` only `electron`: anything else (zod, a
 * contract module's dependencies) makes it fail at page load and leaves the page
 * without `window.guardline`. Build it with the real preload options and look.
 */
describe('preload bundle', () => {
  it('is CommonJS that requires nothing but electron', async () => {
    const preload = (electronViteConfig as { preload: { build: { rolldownOptions: Record<string, unknown> } } })
      .preload;
    const { input, output, treeshake } = preload.build.rolldownOptions;
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      ssr: { noExternal: true },
      build: {
        ssr: true,
        write: false,
        minify: false,
        rolldownOptions: { input, output, treeshake, external: ['electron'] } as never,
      },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const [bundle] = Array.isArray(result) ? result : [result];
    const chunks = bundle!.output.filter((o): o is Rollup.OutputChunk => o.type === 'chunk');
    expect(chunks.map((c) => c.fileName)).toEqual(['index.cjs']);
    const code = chunks[0]!.code;
    expect([...code.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2])).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('exposeInMainWorld("guardline"');
    // The contract's zod schemas must have been shaken out, not bundled.
    expect(code).not.toContain('zod');
  });
});
