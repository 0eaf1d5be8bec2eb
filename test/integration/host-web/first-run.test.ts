/**
 * What a new user trips over on a first `npm run start:web`, each answered with one line
 * (no stack trace) and a non-zero exit where the console cannot go on: a data directory
 * that cannot be created (/proc/x used to hang for ever) or written, a second console on
 * the same data directory (named by the running one's URL), a --config file that is missing
 * or empty, a facility config that does not validate (file, JSON path, reason), a port in use.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStandInWebRoot } from '../../support/web-root.ts';
import { runStartScript } from './run-start-script.ts';
import { parseJsonc } from '../../../src-shared/jsonc.ts';
import { startWebHost } from '../../e2e/harness.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const script = join(root, 'scripts', 'start-web.ts');
let dir: string;
let webRoot: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-first-run-'));
  webRoot = writeStandInWebRoot(dir);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs start-web to its exit; started although it should not have: stopped, so the test fails on its assertions. */
const runToExit = (args: string[]) => runStartScript(script, ['--no-open', ...args], webRoot, { stopWhenReady: true });

/** Exactly one line on stderr, starting `Guardline: `, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Guardline: /);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

/** The example facility config as an object, to break on purpose. */
function exampleConfig(): Record<string, unknown> {
  const parsed = parseJsonc(readFileSync(join(root, 'assets', 'guardline.config.example.jsonc'), 'utf8'));
  if (!parsed.ok) throw new Error('the example config does not parse');
  return parsed.value as Record<string, unknown>;
}

describe('first start: the data directory', () => {
  it.skipIf(process.platform !== 'linux')(
    'a directory that cannot be created under /proc: one line, exit 1, no hang',
    async () => {
      const run = await runToExit(['--data-dir', '/proc/guardline-test/data']);
      expect(oneLine(run.stderr)).toBe(
        'Guardline: data directory /proc/guardline-test/data: cannot create /proc/guardline-test: the file system does not allow it here',
      );
      expect(run.code).toBe(1);
    },
  );

  it('a directory that exists but cannot be written: one line, exit 1', async () => {
    let unwritable: string;
    if (process.platform === 'linux' && process.getuid?.() === 0) {
      unwritable = '/sys/kernel'; // root may write anywhere on a normal file system, not in sysfs
    } else {
      unwritable = join(dir, 'read-only');
      mkdirSync(unwritable);
      chmodSync(unwritable, 0o500);
    }
    const run = await runToExit(['--data-dir', unwritable]);
    expect(oneLine(run.stderr)).toBe(`Guardline: data directory ${unwritable}: cannot write in it: permission denied`);
    expect(run.code).toBe(1);
  });

  it('a path through a file: one line, exit 1', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const run = await runToExit(['--data-dir', join(file, 'data')]);
    expect(oneLine(run.stderr)).toBe(
      `Guardline: data directory ${join(file, 'data')}: ${file} is a file, not a directory`,
    );
    expect(run.code).toBe(1);
  });
});

describe('first start: one console per data directory', () => {
  it('refuses a second console with the running one’s URL, and starts again once it has stopped or died', async () => {
    const dataDir = join(dir, 'shared');
    const first = await startWebHost({ dataDir, env: { GUARDLINE_WEB_ROOT: webRoot } });
    const second = await runToExit(['--data-dir', dataDir]);
    const line = oneLine(second.stderr);
    expect(line).toContain(`another Guardline console is already running on ${dataDir}: ${first.url} (pid `);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');

    await first.stop();
    const third = await startWebHost({ dataDir, env: { GUARDLINE_WEB_ROOT: webRoot } });
    // A crash leaves no stale lock: the operating system releases it with the process.
    await third.kill();
    const fourth = await startWebHost({ dataDir, env: { GUARDLINE_WEB_ROOT: webRoot } });
    expect(fourth.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await fourth.stop();
  });

  it('a port in use: one line naming it, exit 1', async () => {
    const running = await startWebHost({ dataDir: join(dir, 'port-a'), env: { GUARDLINE_WEB_ROOT: webRoot } });
    const port = new URL(running.url).port;
    try {
      const run = await runToExit(['--data-dir', join(dir, 'port-b'), '--port', port]);
      expect(oneLine(run.stderr)).toBe(
        `Guardline: port ${port} on 127.0.0.1 is in use by another program; choose another with --port, or --port 0 for any free port`,
      );
      expect(run.code).toBe(1);
    } finally {
      await running.stop();
    }
    // The refused start released its data directory: it starts now.
    const again = await startWebHost({ dataDir: join(dir, 'port-b'), env: { GUARDLINE_WEB_ROOT: webRoot } });
    await again.stop();
  });
});

describe('first start: the facility config', () => {
  it('--config naming a missing file: one line, exit 2', async () => {
    const missing = join(dir, 'no-such.json');
    const run = await runToExit(['--data-dir', join(dir, 'cfg-missing'), '--config', missing]);
    expect(oneLine(run.stderr)).toBe(`Guardline: --config ${missing}: file not found`);
    expect(run.code).toBe(2);
  });

  it('--config naming an empty file: one line, exit 2', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    const run = await runToExit(['--data-dir', join(dir, 'cfg-empty'), '--config', empty]);
    expect(oneLine(run.stderr)).toBe(`Guardline: --config ${empty}: the file is empty`);
    expect(run.code).toBe(2);
  });

  it('a config missing reserveProcedure stops the console with file, JSON path and reason', async () => {
    const config = exampleConfig();
    delete config.reserveProcedure;
    const file = join(dir, 'no-reserve.json');
    writeFileSync(file, JSON.stringify(config, null, 2));
    const run = await runToExit(['--data-dir', join(dir, 'cfg-invalid'), '--config', file]);
    expect(oneLine(run.stderr)).toMatch(new RegExp(`^Guardline: facility config ${file}: reserveProcedure: \\S`));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
  });

  it('the same for guardline.config.json found in the data directory', async () => {
    const dataDir = join(dir, 'cfg-in-data-dir');
    mkdirSync(dataDir);
    const config = exampleConfig();
    config.lines = 'all of them';
    writeFileSync(join(dataDir, 'guardline.config.json'), JSON.stringify(config));
    const run = await runToExit(['--data-dir', dataDir]);
    expect(oneLine(run.stderr)).toMatch(
      new RegExp(`^Guardline: facility config ${join(dataDir, 'guardline.config.json')}: lines: \\S`),
    );
    expect(run.code).toBe(1);
  });

  it('a valid config starts', async () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(exampleConfig()));
    const host = await startWebHost({
      dataDir: join(dir, 'cfg-good'),
      env: { GUARDLINE_WEB_ROOT: webRoot, GUARDLINE_CONFIG: file },
    });
    await host.stop();
  });
});
