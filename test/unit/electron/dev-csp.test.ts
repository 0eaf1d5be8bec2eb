/**
 * `electron-vite dev` (issue 14): the page the dev server really serves, with React's
 * refresh preamble, must be allowed by the policy the shell sends in dev, and nothing in
 * the HTML may narrow it (a CSP meta tag would intersect with the header and block the
 * inline preamble). Production keeps the strict policy, without 'unsafe-inline'.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { createServer } from 'vite';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron.ts')).electronModule);

const { CONTENT_SECURITY_POLICY, contentSecurityPolicy } = await import('../../../src-main/electron/security.ts');

const root = join(import.meta.dirname, '../../..');
const rendererRoot = join(root, 'src-renderer');
const server = await createServer({
  configFile: false,
  logLevel: 'silent',
  root: rendererRoot,
  plugins: [react()],
  server: { middlewareMode: true, ws: false },
  appType: 'custom',
});
afterAll(() => server.close());

const directive = (policy: string, name: string) =>
  policy
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith(`${name} `)) ?? '';

describe('CSP under electron-vite dev', () => {
  it('allows the inline React refresh preamble the dev server injects, and the dev socket', async () => {
    const html = await server.transformIndexHtml('/index.html', readFileSync(join(rendererRoot, 'index.html'), 'utf8'));
    // What the dev server serves: an inline module script (the refresh preamble).
    expect(html).toMatch(/<script type="module">[^<]*@react-refresh/);
    expect(html).not.toMatch(/http-equiv=["']?Content-Security-Policy/i);

    const dev = contentSecurityPolicy({ rendererDir: '/x', devServerUrl: 'http://localhost:5173' });
    expect(directive(dev, 'script-src')).toContain("'unsafe-inline'");
    expect(directive(dev, 'style-src')).toContain("'unsafe-inline'");
    expect(directive(dev, 'connect-src')).toContain('ws://localhost:5173');
  });

  it('keeps the packaged policy strict', () => {
    expect(contentSecurityPolicy({ rendererDir: '/x', devServerUrl: null })).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(directive(CONTENT_SECURITY_POLICY, 'script-src')).toBe("script-src 'self'");
    expect(directive(CONTENT_SECURITY_POLICY, 'object-src')).toBe("object-src 'none'");
  });
});
