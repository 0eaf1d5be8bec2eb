import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  fileConfigSource,
  loadFacilityConfigFile,
  telephonyLaunchOptions,
  type FacilityConfigSource,
} from '../../../src-main/core/config/index.ts';
import type { ConfigStatus } from '../../../src-shared/telephony.ts';

const dirs: string[] = [];
const sources: FacilityConfigSource[] = [];
afterEach(() => {
  for (const s of sources.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-config-'));
  dirs.push(dir);
  return join(dir, 'guardline.config.json');
}
const config = (lines: unknown[]) =>
  JSON.stringify({
    facility: { id: 'f', name: 'F' },
    units: [{ id: 'a', name: 'A' }],
    lines,
    reserveProcedure: 'Radio 3',
  });
const desk = (id: string) => ({
  id,
  name: id,
  unit: 'a',
  kind: 'desk',
  probe: { type: 'tcp', host: '127.0.0.1', port: 9 },
});

/** Resolves with the next status the source reports (bounded by the test timeout). */
function nextStatus(source: FacilityConfigSource): Promise<ConfigStatus> {
  return new Promise((resolve) => {
    const off = source.subscribe((_c, status) => {
      off();
      resolve(status);
    });
  });
}

describe('facility config file', () => {
  it('reports a missing file and an unreadable one by file name', () => {
    const file = tempFile();
    expect(loadFacilityConfigFile(file)).toMatchObject({ ok: false, error: { code: 'config_not_found', file } });
  });

  it('names the file and the JSON path of a bad field', () => {
    const file = tempFile();
    writeFileSync(
      file,
      config([desk('a'), desk('b'), { ...desk('c'), probe: { type: 'tcp', host: '127.0.0.1', port: 'x' } }]),
    );
    const r = loadFacilityConfigFile(file);
    expect(r.ok).toBe(true); // a bad probe spec only takes that line out
    if (r.ok) expect(r.warnings[0]).toMatchObject({ file, path: 'lines[2].probe.port' });
    writeFileSync(file, config([desk('a'), { ...desk('b'), kind: 'pager' }]));
    expect(loadFacilityConfigFile(file)).toMatchObject({ ok: false, error: { file, path: 'lines[1].kind' } });
  });

  it('reloads an edited file without a restart', async () => {
    const file = tempFile();
    writeFileSync(file, config([desk('a')]));
    const source = fileConfigSource(file, { wallClock: Date.now, debounceMs: 50 });
    sources.push(source);
    expect(source.current()?.lines.map((l) => l.id)).toEqual(['a']);
    const reloaded = nextStatus(source);
    writeFileSync(file, config([desk('a'), desk('b')]));
    expect(await reloaded).toMatchObject({ ok: true, lineCount: 2, error: null });
    expect(source.current()?.lines.map((l) => l.id)).toEqual(['a', 'b']);
  });

  it('keeps the last good config when an edit breaks the file, and reports where', async () => {
    const file = tempFile();
    writeFileSync(file, config([desk('a')]));
    const source = fileConfigSource(file, { wallClock: Date.now, debounceMs: 50 });
    sources.push(source);
    const broken = nextStatus(source);
    writeFileSync(file, '{ "facility": ');
    const status = await broken;
    expect(status).toMatchObject({ ok: false, file, lineCount: 1, error: { code: 'config_syntax', file } });
    expect(source.current()?.lines.map((l) => l.id)).toEqual(['a']);
  });

  it('follows an editor that saves by renaming a new file over the old one', async () => {
    const file = tempFile();
    writeFileSync(file, config([desk('a')]));
    const source = fileConfigSource(file, { wallClock: Date.now, debounceMs: 50 });
    sources.push(source);
    const reloaded = nextStatus(source);
    writeFileSync(`${file}.tmp`, config([desk('z')]));
    renameSync(`${file}.tmp`, file);
    await reloaded;
    expect(source.current()?.lines.map((l) => l.id)).toEqual(['z']);
    // and keeps following after the rename
    const again = nextStatus(source);
    writeFileSync(file, config([desk('y')]));
    await again;
    expect(source.current()?.lines.map((l) => l.id)).toEqual(['y']);
  });
});

describe('shipped example config', () => {
  it('is valid, with every line probed', () => {
    const r = loadFacilityConfigFile(join(import.meta.dirname, '../../../assets/guardline.config.example.jsonc'));
    if (!r.ok) throw new Error(`${r.error.path}: ${r.error.message}`);
    expect(r.warnings).toEqual([]);
    expect(r.config.lines.map((l) => l.probe?.type)).toEqual([
      'sip-options',
      'sip-registration',
      'sip-options',
      'sip-options',
      'http',
      'tcp',
    ]);
  });
});

describe('which config a console uses', () => {
  it('prefers the named file, then guardline.config.json in the data dir, else the demo', () => {
    const file = tempFile();
    const dataDir = dirname(file);
    expect(telephonyLaunchOptions({ configFile: null, dataDir })).toEqual({ configFile: null, demo: true });
    writeFileSync(file, config([desk('a')]));
    expect(telephonyLaunchOptions({ configFile: null, dataDir })).toEqual({ configFile: file, demo: false });
    expect(telephonyLaunchOptions({ configFile: '/etc/g.json', dataDir })).toEqual({
      configFile: '/etc/g.json',
      demo: false,
    });
  });
});
