import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAllowedRequest, isTrustedUrl, type AppOrigin } from '../../../src-main/electron/trusted-url.ts';

const rendererDir = '/opt/Guardline/resources/app.asar/out/renderer';
const built: AppOrigin = { rendererDir, devServerUrl: null };
const dev: AppOrigin = { rendererDir, devServerUrl: 'http://localhost:5173/' };
const index = pathToFileURL(`${rendererDir}/index.html`).href;

describe('isTrustedUrl', () => {
  it('trusts the built renderer page, with a route in the hash or a query', () => {
    expect(isTrustedUrl(index, built)).toBe(true);
    expect(isTrustedUrl(`${index}#/incidents/42`, built)).toBe(true);
    expect(isTrustedUrl(`${index}?lang=en`, built)).toBe(true);
    expect(isTrustedUrl(pathToFileURL(`${rendererDir}/assets/index-abc.js`).href, built)).toBe(true);
  });

  it('refuses files outside the renderer folder', () => {
    expect(isTrustedUrl('file:///etc/passwd', built)).toBe(false);
    expect(isTrustedUrl(pathToFileURL('/opt/Guardline/resources/app.asar/out/main/index.js').href, built)).toBe(false);
    // A sibling folder whose name merely starts with the renderer folder's name.
    expect(isTrustedUrl(pathToFileURL(`${rendererDir}-evil/index.html`).href, built)).toBe(false);
    // The folder itself is not a page.
    expect(isTrustedUrl(pathToFileURL(rendererDir).href, built)).toBe(false);
  });

  it('refuses file URLs that climb out with .., plain or percent-encoded', () => {
    expect(isTrustedUrl(`file://${rendererDir}/../../../../../../etc/passwd`, built)).toBe(false);
    expect(isTrustedUrl(`file://${rendererDir}/%2e%2e/%2e%2e/main/index.js`, built)).toBe(false);
    expect(isTrustedUrl(`file://${rendererDir}/..%2f..%2fmain/index.js`, built)).toBe(false);
  });

  it('refuses file URLs naming another host (network shares)', () => {
    expect(isTrustedUrl(`file://fileserver${rendererDir}/index.html`, built)).toBe(false);
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
  });
});

describe('isAllowedRequest', () => {
  it('allows the renderer files, inline data and DevTools', () => {
    expect(isAllowedRequest(pathToFileURL(`${rendererDir}/assets/app.css`).href, built)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,iVBORw0KGgo=', built)).toBe(true);
    expect(isAllowedRequest('blob:file:///0b1d3e4c', built)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/devtools_app.html', built)).toBe(true);
  });

  it('blocks every network request in a built app', () => {
    expect(isAllowedRequest('https://example.com/collect', built)).toBe(false);
    expect(isAllowedRequest('http://127.0.0.1:8080/', built)).toBe(false);
    expect(isAllowedRequest('wss://example.com/socket', built)).toBe(false);
    expect(isAllowedRequest('ftp://example.com/', built)).toBe(false);
    expect(isAllowedRequest('file:///etc/passwd', built)).toBe(false);
  });

  it('allows the dev server and its HMR socket under electron-vite dev, nothing else', () => {
    expect(isAllowedRequest('http://localhost:5173/@vite/client', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/?token=x', dev)).toBe(true);
    expect(isAllowedRequest('wss://localhost:5173/', dev)).toBe(false);
    expect(isAllowedRequest('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isAllowedRequest('https://example.com/', dev)).toBe(false);
  });
});
