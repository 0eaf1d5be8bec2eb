import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeEvent, FakeWebContents, fake, resetFakeElectron } from './fake-electron.ts';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { CONTENT_SECURITY_POLICY, contentSecurityPolicy, guardAllContents, guardContents, guardSession } =
  await import('../../../src-main/electron/security.ts');

const rendererDir = '/app/out/renderer';
const origin = { rendererDir, devServerUrl: null };
const ownPage = 'app://guardline/index.html';

function guarded(): { contents: FakeWebContents; warnings: string[] } {
  const contents = new FakeWebContents();
  const warnings: string[] = [];
  guardContents(contents as never, origin, { warn: (m) => warnings.push(m) });
  return { contents, warnings };
}

function navigate(
  contents: FakeWebContents,
  event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate',
  url: string,
) {
  const e = FakeEvent.with({ url });
  contents.emit(event, e, url);
  return e.defaultPrevented;
}

beforeEach(() => resetFakeElectron());

describe('page guards', () => {
  it('prevents navigation to an external site and logs it', () => {
    const { contents, warnings } = guarded();
    expect(navigate(contents, 'will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(warnings.join()).toMatch(/blocked navigation to https:\/\/evil\.example/);
  });

  it('allows navigation within the app’s own page', () => {
    const { contents } = guarded();
    expect(navigate(contents, 'will-navigate', `${ownPage}#/incidents`)).toBe(false);
  });

  it('prevents navigation to other local files and to script URLs', () => {
    const { contents } = guarded();
    expect(navigate(contents, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(navigate(contents, 'will-navigate', 'javascript:alert(1)')).toBe(true);
  });

  it('prevents redirects and frame navigations away from the app', () => {
    const { contents } = guarded();
    expect(navigate(contents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(navigate(contents, 'will-redirect', ownPage)).toBe(false);
  });

  it('denies window.open for every URL, the app’s own included', () => {
    const { contents } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: ownPage })).toEqual({ action: 'deny' });
  });

  it('refuses to attach a <webview>', () => {
    const { contents } = guarded();
    const e = new FakeEvent();
    contents.emit('will-attach-webview', e, {}, { src: 'https://evil.example/' });
    expect(e.defaultPrevented).toBe(true);
  });

  it('guards every webContents Electron creates once installed', () => {
    guardAllContents(origin, { warn: () => {} });
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', new FakeEvent(), contents);
    expect(navigate(contents, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.windowOpenHandler).not.toBeNull();
  });
});

describe('session guards', () => {
  const install = (o = origin) => guardSession(fake.session as never, o, { warn: () => {} });

  it('denies every permission request', () => {
    install();
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      fake.session.permissionRequestHandler?.(null, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(fake.session.permissionCheckHandler?.(null, 'notifications', ownPage, {})).toBe(false);
    expect(fake.session.devicePermissionHandler?.({ deviceType: 'usb' })).toBe(false);
  });

  it('cancels requests to the network and lets the app’s files through', () => {
    install();
    const verdict = (url: string) => {
      let cancel: boolean | undefined;
      fake.session.beforeRequest?.({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(verdict('https://example.com/exfiltrate')).toBe(true);
    expect(verdict('http://localhost:5173/')).toBe(true);
    expect(verdict('app://guardline/assets/index.js')).toBe(false);
    // file:// is never the app's, not even its own built files.
    expect(verdict(pathToFileURL(`${rendererDir}/assets/index.js`).href)).toBe(true);
    expect(verdict('devtools://devtools/bundled/devtools_app.html')).toBe(false);
  });

  it('adds the Content-Security-Policy header to every response', () => {
    install();
    let headers: Record<string, string | string[]> | undefined;
    fake.session.headersReceived?.(
      { url: ownPage, responseHeaders: { 'X-Test': ['1'] } },
      (r) => (headers = r.responseHeaders),
    );
    expect(headers).toEqual({ 'X-Test': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('relaxes the policy only for the dev server (inline HMR scripts and its socket)', () => {
    const policy = contentSecurityPolicy({ rendererDir, devServerUrl: 'http://localhost:5173' });
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).toContain("connect-src 'self' ws://localhost:5173");
    expect(contentSecurityPolicy(origin)).toBe(CONTENT_SECURITY_POLICY);
  });
});
