import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APP_INDEX_URL, appUrlToFile } from '../../../src-main/electron/app-url.ts';
import { appPageUrl, isAllowedRequest, isTrustedUrl, type AppOrigin } from '../../../src-main/electron/trusted-url.ts';

const rendererDir = '/opt/Guardline/resources/app.asar/out/renderer';
const built: AppOrigin = { rendererDir, devServerUrl: null };
const dev: AppOrigin = { rendererDir, devServerUrl: 'http://localhost:5173/' };
const index = APP_INDEX_URL;

describe('appUrlToFile', () => {
  it('maps the app scheme to files under the renderer folder, / to index.html', () => {
    expect(appUrlToFile('app://guardline/index.html', rendererDir)).toBe(`${rendererDir}/index.html`);
    expect(appUrlToFile('app://guardline/', rendererDir)).toBe(`${rendererDir}/index.html`);
    expect(appUrlToFile('app://guardline/assets/index-abc.js?v=1#x', rendererDir)).toBe(
      `${rendererDir}/assets/index-abc.js`,
    );
    expect(appUrlToFile('app://guardline/assets/Larm%20ljud.wav', rendererDir)).toBe(
      `${rendererDir}/assets/Larm ljud.wav`,
    );
  });

  it('refuses every way of climbing out of the renderer folder', () => {
    for (const url of [
      'app://guardline/../main/index.js',
      'app://guardline/../../../../../../etc/passwd',
      'app://guardline/%2e%2e/main/index.js',
      'app://guardline/%2E%2E/%2E%2E/etc/passwd',
      'app://guardline/..%2fmain%2findex.js',
      'app://guardline/assets%2f..%2f..%2fmain/index.js',
      'app://guardline/..%5cmain%5cindex.js',
      'app://guardline/assets\\..\\..\\main\\index.js',
      'app://guardline/index.html%00.png',
      'app://guardline/%',
    ]) {
      const file = appUrlToFile(url, rendererDir);
      expect(file === null || file.startsWith(`${rendererDir}/`), `${url} -> ${file}`).toBe(true);
    }
    // The URL parser resolves dot segments (also %2e%2e) against the root first: it stays inside.
    expect(appUrlToFile('app://guardline/%2e%2e/main/index.js', rendererDir)).toBe(`${rendererDir}/main/index.js`);
    expect(appUrlToFile('app://guardline/..%2fmain%2findex.js', rendererDir)).toBeNull();
    expect(appUrlToFile('app://guardline/index.html%00.png', rendererDir)).toBeNull();
  });

  it('refuses other hosts, credentials, ports and schemes', () => {
    expect(appUrlToFile('app://evil/index.html', rendererDir)).toBeNull();
    expect(appUrlToFile('app://user:pw@guardline/index.html', rendererDir)).toBeNull();
    expect(appUrlToFile('app://guardline:8080/index.html', rendererDir)).toBeNull();
    expect(appUrlToFile(pathToFileURL(`${rendererDir}/index.html`).href, rendererDir)).toBeNull();
    expect(appUrlToFile('not a url', rendererDir)).toBeNull();
  });
});

describe('isTrustedUrl', () => {
  it('trusts the app scheme page, with a route in the hash or a query', () => {
    expect(isTrustedUrl(index, built)).toBe(true);
    expect(isTrustedUrl(`${index}#/incidents/42`, built)).toBe(true);
    expect(isTrustedUrl(`${index}?lang=en`, built)).toBe(true);
    expect(isTrustedUrl('app://guardline/assets/index-abc.js', built)).toBe(true);
  });

  it('never trusts file://, not even the renderer’s own files', () => {
    expect(isTrustedUrl(pathToFileURL(`${rendererDir}/index.html`).href, built)).toBe(false);
    expect(isTrustedUrl('file:///etc/passwd', built)).toBe(false);
  });

  it('refuses another host on the app scheme and URLs that climb out', () => {
    expect(isTrustedUrl('app://evil/index.html', built)).toBe(false);
    expect(isTrustedUrl('app://guardline/..%2fmain%2findex.js', built)).toBe(false);
  });

  it('refuses script, data and blank pages', () => {
    expect(isTrustedUrl('javascript:alert(1)', built)).toBe(false);
    expect(isTrustedUrl('data:text/html,<script>alert(1)</script>', built)).toBe(false);
    expect(isTrustedUrl('about:blank', built)).toBe(false);
    expect(isTrustedUrl('not a url', built)).toBe(false);
    expect(isTrustedUrl('', built)).toBe(false);
  });

  it('refuses every web page in a built app, even localhost', () => {
    expect(isTrustedUrl('http://localhost:5173/', built)).toBe(false);
    expect(isTrustedUrl('https://guardline.se/', built)).toBe(false);
  });

  it('trusts the dev server origin only when running under electron-vite dev', () => {
    expect(isTrustedUrl('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isTrustedUrl(index, dev)).toBe(true);
  });

  it('refuses look-alikes of the dev server', () => {
    expect(isTrustedUrl('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isTrustedUrl('http://localhost:5173@evil.com/', dev)).toBe(false);
    expect(isTrustedUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isTrustedUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });

  it('ignores a dev server URL that is not http(s)', () => {
    expect(isTrustedUrl('javascript:alert(1)', { rendererDir, devServerUrl: 'javascript:alert(1)' })).toBe(false);
    expect(isTrustedUrl('file:///etc/passwd', { rendererDir, devServerUrl: 'file:///etc/' })).toBe(false);
    expect(appPageUrl({ rendererDir, devServerUrl: 'javascript:alert(1)' }, index)).toBe(index);
  });

  it('loads the dev server under electron-vite dev and the app scheme otherwise', () => {
    expect(appPageUrl(dev, index)).toBe('http://localhost:5173/');
    expect(appPageUrl(built, index)).toBe(index);
  });
});

describe('isAllowedRequest', () => {
  it('allows the renderer files, inline data and DevTools', () => {
    expect(isAllowedRequest('app://guardline/assets/app.css', built)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,iVBORw0KGgo=', built)).toBe(true);
    expect(isAllowedRequest('blob:app://guardline/0b1d3e4c', built)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/devtools_app.html', built)).toBe(true);
  });

  it('blocks every network request and every file:// request in a built app', () => {
    expect(isAllowedRequest('https://example.com/collect', built)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/', built)).toBe(false);
    expect(isAllowedRequest('wss://example.com/socket', built)).toBe(false);
    expect(isAllowedRequest('ftp://example.com/', built)).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd', built)).toBe(false);
    expect(isAllowedRequest(pathToFileURL(`${rendererDir}/assets/app.css`).href, built)).toBe(false);
    expect(isAllowedRequest('app://evil/x.js', built)).toBe(false);
  });

  it('allows the dev server and its HMR socket under electron-vite dev, nothing else', () => {
    expect(isAllowedRequest('http://localhost:5173/@vite/client', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/?token=x', dev)).toBe(true);
    expect(isAllowedRequest('wss://localhost:5173/', dev)).toBe(false);
    expect(isAllowedRequest('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isAllowedRequest('https://example.com/', dev)).toBe(false);
  });
});
