import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStandInWebRoot } from '../../support/web-root.ts';
import { runStartScript } from './run-start-script.ts';
import { READY_LINE, startWebHost } from '../../e2e/harness.ts';

const scripts = join(import.meta.dirname, '..', '..', '..', 'scripts');
const script = join(scripts, 'start-web.ts');
let dir: string;
let webRoot: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-start-web-'));
  webRoot = writeStandInWebRoot(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the script to its end (bounded by the test timeout) and collects what it said. */
const runToExit = (args: string[], entry = script, untilReady = false) =>
  runStartScript(entry, args, webRoot, { stopWhenReady: untilReady });

describe('npm run start:web', () => {
  it('exits 2 with one line naming an unknown flag', async () => {
    const run = await runToExit(['--data-dir', join(dir, 'unused'), '--colour', 'blue']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/unknown flag --colour/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 with one line naming a bad port', async () => {
    const run = await runToExit(['--data-dir', join(dir, 'unused'), '--port', 'eighty']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('Guardline: --port: expected a port number 0-65535, got "eighty"');
  });

  it('exits 1 with one line when the data file comes from a newer Guardline', async () => {
    const dataDir = join(dir, 'newer');
    mkdirSync(dataDir);
    const db = new Database(join(dataDir, 'guardline.sqlite'));
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (9999);');
    db.close();
    const run = await runToExit(['--data-dir', dataDir, '--no-open']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^Guardline: cannot open the data file: .*newer Guardline/);
  });

  it('prints the URL line, keeps the data file and exits cleanly on SIGTERM', async () => {
    const dataDir = join(dir, 'ok');
    const host = await startWebHost({ dataDir, env: { GUARDLINE_WEB_ROOT: webRoot } });
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/);
    const lines = host.output().split('\n');
    expect(lines.filter((l) => READY_LINE.test(l))).toHaveLength(1);
    expect(lines).toContain(`Guardline data file: ${join(dataDir, 'guardline.sqlite')}`);
    const res = await fetch(host.url.replace(/#.*/, ''));
    expect(res.status).toBe(200);
    await host.stop();
    expect(existsSync(join(dataDir, 'guardline.sqlite'))).toBe(true);
    // A clean close checkpoints the WAL and removes it; a crash would leave it behind.
    expect(existsSync(join(dataDir, 'guardline.sqlite-wal'))).toBe(false);
  });

  it('npm start falls back to the browser host with one notice line when Electron is missing', async () => {
    const run = await runToExit(['--data-dir', join(dir, 'fallback'), '--no-open'], join(scripts, 'start.ts'), true);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('Electron is not available'))).toEqual([
      'Electron is not available on this machine (binary not installed); starting the browser host instead.',
    ]);
    expect(run.stdout).toMatch(READY_LINE);
    expect(run.code).toBe(0);
  });
});
