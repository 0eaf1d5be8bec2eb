/**
 * The renderer is served on app://guardline/ by a `protocol.handle` handler over the
 * real built-renderer layout in a temp folder: right files, right types, the strict
 * CSP on every response, and nothing outside the folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { registerAppScheme, serveRenderer, contentTypeOf } = await import('../../../src-main/electron/app-protocol.ts');
const { CONTENT_SECURITY_POLICY } = await import('../../../src-main/electron/security.ts');

const root = mkdtempSync(join(tmpdir(), 'guardline-app-scheme-'));
const rendererDir = join(root, 'out', 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Guardline</title>');
writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
writeFileSync(join(root, 'out', 'secret.txt'), 'not for the page');
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  resetFakeElectron();
  registerAppScheme(fake.protocol as never);
  serveRenderer(fake.protocol as never, rendererDir, CONTENT_SECURITY_POLICY);
});

describe('app:// scheme', () => {
  it('is registered privileged: standard and secure, with fetch', () => {
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
  });

  it('serves the page with its type and the strict CSP as a header', async () => {
    const response = await fake.protocol.request('app://guardline/index.html');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<!doctype html><title>Guardline</title>');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await fake.protocol.request('app://guardline/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('console.log(1)');
  });

  it('serves index.html for the bare origin and nothing for a missing file', async () => {
    expect(await (await fake.protocol.request('app://guardline/')).text()).toContain('Guardline');
    expect((await fake.protocol.request('app://guardline/assets/nope.js')).status).toBe(404);
    expect((await fake.protocol.request('app://guardline/assets')).status).toBe(404);
  });

  it('never serves a file outside the renderer folder', async () => {
    for (const url of [
      'app://guardline/../secret.txt',
      'app://guardline/%2e%2e/secret.txt',
      'app://guardline/..%2fsecret.txt',
      'app://guardline/..%5csecret.txt',
      'app://other/index.html',
    ]) {
      const response = await fake.protocol.request(url);
      expect(response.status, url).toBe(404);
      expect(await response.text(), url).not.toContain('not for the page');
    }
  });

  it('answers only GET and HEAD', async () => {
    const post = await fake.protocol.request('app://guardline/index.html', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    const head = await fake.protocol.request('app://guardline/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('serves unknown kinds as octet-stream, never guessed', () => {
    expect(contentTypeOf('x.exe')).toBe('application/octet-stream');
    expect(contentTypeOf('x.CSS')).toBe('text/css; charset=utf-8');
  });
});
