/**
 * First contact, measured: how much JavaScript the console's first paint needs, how long
 * `npm run start:web` takes to print its URL, and how long Chromium takes from navigation
 * to the first meaningful paint (the first-run or sign-in form: `#gate-heading`).
 *
 * Baseline, same run: the same renderer built as one chunk (no route split), the way it
 * was built before issue 13, served by the same host to the same browser.
 *
 * - initial JS: the gzip size (zlib, level 9, as Vite reports it) of the entry script and
 *   every `modulepreload` in index.html, i.e. what the browser fetches before first paint.
 * - ready: spawn of `scripts/start-web.ts` on a fresh data directory → its URL line.
 * - first meaningful paint: a fresh browser context (cold cache) per trial; the page stamps
 *   `performance.now()` (ms since navigation start) when `#gate-heading` enters the DOM.
 * - working area at 1280×720: a supervisor signed in, the fallback banner up; the share of
 *   the height left to the page (`main`), Swedish and English (test/e2e/layout.ts; the e2e
 *   test layout-a11y asserts >= 60 %).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { repoRoot } from '../../scripts/node-bin.ts';
import { ensureRendererBuilt, RENDERER_CONFIG, rendererDist } from '../../scripts/renderer-build.ts';
import { launchChromium, READY_LINE, startWebHost } from '../e2e/harness.ts';
import {
  adminWithBannerUp,
  measureLayout,
  setLanguage,
  signInSupervisor,
  VIEWPORT,
  type LayoutFigures,
} from '../e2e/layout.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';

const READY_TRIALS = 10;
const PAINT_TRIALS = 15;
const TARGET_INITIAL_KB = 150;
const WAIT = { timeout: 30_000 };

export interface InitialJs {
  files: string[];
  gzipKB: number;
  largestChunkKB: number;
  allJsGzipKB: number;
}

const gzipKB = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length / 1000;

/** What index.html makes the browser fetch before anything can paint. */
export function initialJs(dist: string): InitialJs {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  const sizes = all.map((f) => gzipKB(join(dist, 'assets', f)));
  return {
    files,
    gzipKB: round(
      files.reduce((sum, f) => sum + gzipKB(join(dist, f)), 0),
      2,
    ),
    largestChunkKB: round(Math.max(...sizes), 2),
    allJsGzipKB: round(
      sizes.reduce((a, b) => a + b, 0),
      2,
    ),
  };
}

/** The renderer as one chunk, for the baseline. */
async function buildOneChunk(outDir: string): Promise<void> {
  await build({
    configFile: join(repoRoot, RENDERER_CONFIG),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, rolldownOptions: { output: { codeSplitting: false } } },
  });
}

async function readyMs(dataDir: string, webRoot: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'scripts/start-web.ts'), '--data-dir', dataDir, '--port', '0', '--no-open'],
    {
      env: { ...process.env, GUARDLINE_WEB_ROOT: webRoot, GUARDLINE_NO_OPEN: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready after 30 s:\n${out}`)), 30_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (READY_LINE.test(out)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      child.once('exit', (code) => reject(new Error(`start-web exited ${code} before ready:\n${out}`)));
    });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function paintTrials(webRoot: string, workDir: string, label: string): Promise<number[]> {
  const host = await startWebHost({ dataDir: join(workDir, `paint-${label}`), env: { GUARDLINE_WEB_ROOT: webRoot } });
  const browser = await launchChromium();
  const samples: number[] = [];
  try {
    for (let i = 0; i < PAINT_TRIALS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { firstMeaningfulPaint?: number };
        new MutationObserver((_, observer) => {
          if (document.getElementById('gate-heading')) {
            w.firstMeaningfulPaint = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      });
      await page.goto(host.url);
      await page.locator('#gate-heading').waitFor(WAIT);
      samples.push(
        await page.evaluate(() => (window as unknown as { firstMeaningfulPaint: number }).firstMeaningfulPaint),
      );
      await context.close();
      progress(`first paint (${label})`, i + 1, PAINT_TRIALS);
    }
  } finally {
    await browser.close();
    await host.stop();
  }
  return samples;
}

async function layoutAt1280(workDir: string): Promise<Record<'sv' | 'en', LayoutFigures>> {
  const host = await startWebHost({ dataDir: join(workDir, 'layout') });
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await page.goto(host.url);
    await adminWithBannerUp(page);
    await signInSupervisor(page);
    await setLanguage(page, 'sv');
    const sv = await measureLayout(page);
    await setLanguage(page, 'en');
    return { sv, en: await measureLayout(page) };
  } finally {
    await browser.close();
    await host.stop();
  }
}

export async function startupBench(): Promise<BenchRow[]> {
  const built = await ensureRendererBuilt();
  if (!built.ok) throw new Error(built.message);
  const workDir = mkdtempSync(join(tmpdir(), 'guardline-bench-startup-'));
  try {
    const oneChunkDir = join(workDir, 'one-chunk');
    await buildOneChunk(oneChunkDir);
    const split = initialJs(rendererDist);
    const oneChunk = initialJs(oneChunkDir);

    const ready: number[] = [];
    for (let i = 0; i < READY_TRIALS; i++) {
      ready.push(await readyMs(join(workDir, `ready-${i}`), rendererDist));
      progress('ready', i + 1, READY_TRIALS);
    }
    const paint = await paintTrials(rendererDist, workDir, 'split');
    const paintOne = await paintTrials(oneChunkDir, workDir, 'one-chunk');
    const layout = await layoutAt1280(workDir);

    const ms = (v: number) => round(v, 1);
    return [
      {
        metric: `initial JS (gzip; ${split.files.length} files: entry + modulepreload)`,
        value: split.gzipKB,
        unit: 'KB',
        baseline: { name: 'one chunk', value: oneChunk.gzipKB },
        target: `< ${TARGET_INITIAL_KB} KB`,
        pass: split.gzipKB < TARGET_INITIAL_KB,
      },
      {
        metric: 'largest JS chunk (gzip)',
        value: split.largestChunkKB,
        unit: 'KB',
        baseline: { name: 'one chunk', value: oneChunk.largestChunkKB },
      },
      {
        metric: 'all JS (gzip)',
        value: split.allJsGzipKB,
        unit: 'KB',
        baseline: { name: 'one chunk', value: oneChunk.allJsGzipKB },
      },
      {
        metric: `browser host ready p50 (spawn → URL line, n=${READY_TRIALS})`,
        value: ms(percentile(ready, 50)),
        unit: 'ms',
      },
      { metric: `browser host ready p95 (n=${READY_TRIALS})`, value: ms(percentile(ready, 95)), unit: 'ms' },
      {
        metric: `first meaningful paint p50 (navigation → sign-in form, cold cache, n=${PAINT_TRIALS})`,
        value: ms(percentile(paint, 50)),
        unit: 'ms',
        baseline: { name: 'one chunk', value: ms(percentile(paintOne, 50)) },
      },
      {
        metric: `first meaningful paint p95 (n=${PAINT_TRIALS})`,
        value: ms(percentile(paint, 95)),
        unit: 'ms',
        baseline: { name: 'one chunk', value: ms(percentile(paintOne, 95)) },
      },
      ...(['sv', 'en'] as const).flatMap((lng) => [
        {
          metric: `working area at 1280×720, supervisor, banner up (${lng}; header rows: ${layout[lng].headerRows})`,
          value: Math.round(layout[lng].share * 1000) / 10,
          unit: '% of height',
          target: '>= 60 %',
          pass: layout[lng].share >= 0.6,
        },
        {
          metric: `header + banner + phone strip + tabs (${lng})`,
          value: layout[lng].chromePx,
          unit: 'px',
        },
      ]),
    ];
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
