/**
 * Electronegativity over the Electron shell, the preload and the renderer, as CI runs
 * it: nothing at or above the configured severity, except suppressions that are each
 * scoped to one file and justified in `.electronegativityrc`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLeast, scan, type Finding, type ScanResult } from './electronegativity.ts';

interface Suppression {
  check: string;
  file: string;
  why: string;
}
interface ScanConfig {
  scan: string[];
  failAt: Finding['severity'];
  suppress: Suppression[];
}

const root = join(import.meta.dirname, '../..');
const config = JSON.parse(readFileSync(join(root, '.electronegativityrc'), 'utf8')) as ScanConfig;
const suppresses = (s: Suppression, f: Finding) => s.check === f.id && s.file === f.file;
const describeFinding = (f: Finding) => `${f.id} ${f.severity} ${f.file}:${f.line}`;

let result: ScanResult;
let scratch: string;

beforeAll(async () => {
  result = await scan(root, config.scan);
  scratch = mkdtempSync(join(tmpdir(), 'guardline-insecure-shell-'));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('electronegativity on the console shell', () => {
  it('reports no high or medium finding that is not suppressed with a reason', () => {
    const blocking = result.findings
      .filter((f) => atLeast(f, config.failAt))
      .filter((f) => !config.suppress.some((s) => suppresses(s, f)));
    expect(blocking.map(describeFinding)).toEqual([]);
  });

  it('parses every file it scans, so none goes unchecked', () => {
    expect(result.errors).toEqual([]);
    expect(result.checks).toBeGreaterThan(30);
  });

  it('still needs every suppression, each with a reason', () => {
    for (const s of config.suppress) {
      expect(s.why.length, `${s.check} needs a reason`).toBeGreaterThan(40);
      expect(
        result.findings.some((f) => suppresses(s, f)),
        `${s.check} in ${s.file} no longer found`,
      ).toBe(true);
    }
  });

  it('runs without the network: every fetch the tool tries is refused before it leaves the process', () => {
    expect(result.refusedFetches.length).toBeGreaterThan(0);
  });

  it('flags a window without isolation, sandbox or web security, and a shell without a permission handler (the scan can fail)', async () => {
    mkdirSync(join(scratch, 'shell'));
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ devDependencies: { electron: '^45.4.1' } }));
    writeFileSync(
      join(scratch, 'shell', 'main.js'),
      `const { BrowserWindow } = require('electron');
       new BrowserWindow({ webPreferences: { contextIsolation: false, nodeIntegration: true, sandbox: false, webSecurity: false } });`,
    );
    const insecure = await scan(scratch, ['shell', 'package.json']);
    const ids = insecure.findings.filter((f) => atLeast(f, 'MEDIUM')).map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'CONTEXT_ISOLATION_JS_CHECK',
        'SANDBOX_JS_CHECK',
        'WEB_SECURITY_JS_CHECK',
        'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ]),
    );
  });
});
