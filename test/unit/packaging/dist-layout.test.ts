/**
 * What `npm run dist` would pack, checked without the Electron binary (which cannot be
 * downloaded here): the real `electron-vite build` writes main, preload and renderer into
 * a scratch folder, and the layout is checked against electron-builder.yml's own globs.
 * electron-builder itself would then add the production dependencies and unpack the
 * native SQLite binding from the asar.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendererRequestHandler } from '../../../src-main/electron/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src-main/electron/csp.ts';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import type { FromWorker } from '../../../src-main/core/jobs/read-jobs.ts';
import { incidentCreated } from '../../support/incidents.ts';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { minimatch } = require('minimatch') as { minimatch(path: string, pattern: string, options?: object): boolean };

const root = join(import.meta.dirname, '../../..');
const builder = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
};
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
};

let scratch: string;
let out: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'guardline-dist-'));
  out = join(scratch, 'out');
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  await promisify(execFile)(process.execPath, [cli, 'build', '--outDir', out, '--logLevel', 'error'], {
    cwd: root,
    timeout: 110_000,
  });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir`, as paths relative to the app root (the folder that holds out/). */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(scratch, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

const packed = (path: string) => {
  const include = builder.files.filter((p) => !p.startsWith('!'));
  const exclude = builder.files.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return include.some((p) => minimatch(path, p, { dot: true })) && !exclude.some((p) => minimatch(path, p));
};

/** Bare specifiers a built ES module imports (static and dynamic). */
function importsOf(code: string): string[] {
  const found = new Set<string>();
  for (const m of code.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm)) found.add(m[1]!);
  for (const m of code.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) found.add(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) found.add(m[1]!);
  return [...found].filter((s) => !s.startsWith('.') && !s.startsWith('/'));
}

describe('built app layout', () => {
  it('has the main process where package.json points, as ES modules inside out/', () => {
    expect(pkg.main).toBe('out/main/index.js');
    expect(existsSync(join(scratch, pkg.main))).toBe(true);
    expect(listFiles(join(out, 'main')).every((f) => f.endsWith('.js'))).toBe(true);
  });

  it('has a CommonJS preload that requires nothing but electron', () => {
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect([...code.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2])).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('has a renderer whose page loads its script and styles by relative path, all served on app://', async () => {
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="(\.\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs.some((r) => r.endsWith('.js'))).toBe(true);
    expect(refs.some((r) => r.endsWith('.css'))).toBe(true);
    // The shell's app:// handler over the real build: the page and every asset it names, with the strict CSP.
    const serve = rendererRequestHandler(join(out, 'renderer'), CONTENT_SECURITY_POLICY);
    for (const path of ['index.html', ...refs.map((r) => r.slice(2))]) {
      const response = await serve(new Request(`app://guardline/${path}`));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(html).not.toMatch(/(?:src|href)="\/(?!\/)/); // relative paths: the same files also serve the browser host
    // No CSP meta tag (it would also bind electron-vite dev); the policy comes as a header.
    expect(html).not.toMatch(/http-equiv=["']?Content-Security-Policy/i);
    expect(html).not.toMatch(/data:(?!,)/); // assetsInlineLimit 0: nothing inlined as a data: URL
  });

  it('packs every built file and no source map', () => {
    const files = listFiles(out);
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expect(packed(file), file).toBe(!file.endsWith('.map'));
    expect(packed('src-main/electron/main.ts')).toBe(false);
  });

  it('imports from the main bundle only Electron, Node built-ins and production dependencies', () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const code = listFiles(join(out, 'main')).map((f) => readFileSync(join(scratch, f), 'utf8'));
    const external = [...new Set(code.flatMap(importsOf))].filter((s) => s !== 'electron' && !builtins.has(s));
    const packageOf = (s: string) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!);
    expect(external.length).toBeGreaterThan(0);
    for (const specifier of external) expect(Object.keys(pkg.dependencies), specifier).toContain(packageOf(specifier));
    // The native SQLite binding is loaded from node_modules, never bundled.
    expect(external).toContain('better-sqlite3');
  });

  it('starts the background reader from out/main/read-worker.js, beside index.js, and it checks a real store', async () => {
    // job-runner.ts, bundled into index.js, names the worker's file relative to itself.
    expect(readFileSync(join(out, 'main', 'index.js'), 'utf8')).toContain('"./read-worker.js"');
    // The packaged app has node_modules beside out/; so does the scratch folder here.
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    const store = openEventStore(join(scratch, 'console.sqlite'));
    store.append([incidentCreated(), incidentCreated()]);
    const worker = new Worker(join(out, 'main', 'read-worker.js'), {
      workerData: { file: store.file, ack: new SharedArrayBuffer(4) },
    });
    try {
      const answer = new Promise<FromWorker>((resolve, reject) => {
        worker.on('message', (m: FromWorker) => m.type !== 'progress' && m.type !== 'started' && resolve(m));
        worker.on('error', reject);
      });
      worker.postMessage({ id: 1, job: 'chain', input: null });
      expect(await answer).toEqual({ id: 1, type: 'done', value: store.verifyChain() });
    } finally {
      await worker.terminate();
      store.close();
    }
  });

  it('starts the mesh frame preparer from out/main/frame-prepare-worker.js, and it parses a frame', async () => {
    // frame-preparer.ts, bundled into index.js, names the worker's file relative to itself.
    expect(readFileSync(join(out, 'main', 'index.js'), 'utf8')).toContain('"./frame-prepare-worker.js"');
    if (!existsSync(join(scratch, 'node_modules')))
      symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    const worker = new Worker(join(out, 'main', 'frame-prepare-worker.js'));
    try {
      const answer = new Promise<unknown>((resolve, reject) => {
        // It says it is ready first (src-common/worker-jobs.ts), then answers the job.
        worker.on('message', (m: { id?: number }) => m.id === 1 && resolve(m));
        worker.on('error', reject);
      });
      const body = Buffer.from(JSON.stringify({ t: 'ack', last: 7 }));
      worker.postMessage({ id: 1, job: { body, keys: [] } });
      expect(await answer).toEqual({ id: 1, answer: { frame: { t: 'ack', last: 7 }, ahead: null } });
    } finally {
      await worker.terminate();
    }
  });
});

describe('native SQLite binding', () => {
  const prebuilds = join(root, 'node_modules', 'better-sqlite3', 'prebuilds');
  // NSIS on Windows and AppImage/deb on Linux, on either architecture.
  const targets = ['win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64'];

  it('ships a prebuild for every packaged platform, unpacked from the asar by the config', () => {
    for (const target of targets) {
      const path = `node_modules/better-sqlite3/prebuilds/${target}.node`;
      expect(existsSync(join(root, path)), path).toBe(true);
      expect(
        builder.asarUnpack.some((p) => minimatch(path, p)),
        path,
      ).toBe(true);
    }
    // The compiled fallback, if someone builds from source, is unpacked too.
    expect(builder.asarUnpack.some((p) => minimatch('node_modules/better-sqlite3/build/Release/x.node', p))).toBe(true);
  });

  it('uses Node-API prebuilds, so Electron loads them without a rebuild and packaging needs no network', () => {
    for (const target of targets) {
      const binary = readFileSync(join(prebuilds, `${target}.node`));
      expect(binary.includes('napi_register_module_v1'), target).toBe(true);
    }
    expect(builder.npmRebuild).toBe(false);
  });
});
