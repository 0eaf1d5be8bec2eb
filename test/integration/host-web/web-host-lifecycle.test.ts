import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStandInWebRoot } from '../../support/web-root.ts';
import WebSocket from 'ws';
import { createConsoleCore, type ConsoleCore, type PushListener } from '../../../src-main/core/console-core.ts';
import { createWebHost } from '../../../src-main/host-web/index.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../src-shared/transport.ts';

let dir: string;
let web: string;
let core: ConsoleCore;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-web-life-'));
  web = writeStandInWebRoot(dir);
  core = createConsoleCore({
    dataFile: join(dir, 'guardline.sqlite'),
    host: 'web',
    appVersion: '0.0.0-test',
    facility: 'Testanstalten',
    unit: 'Avdelning T',
  });
});

afterAll(() => {
  core?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real core, counting live push subscriptions. */
function countingCore() {
  let live = 0;
  return {
    live: () => live,
    core: {
      dispatch: core.dispatch,
      subscribe(listener: PushListener) {
        live += 1;
        const unsubscribe = core.subscribe(listener);
        return () => {
          live -= 1;
          unsubscribe();
        };
      },
    },
  };
}

function open(port: number, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token], {
    origin: `http://127.0.0.1:${port}`,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

describe('browser host lifecycle', () => {
  it('unsubscribes from pushes when a socket closes', async () => {
    const counting = countingCore();
    const host = await createWebHost({ core: counting.core, staticDir: web, port: 0 });
    const ws = await open(host.port, host.token);
    expect(counting.live()).toBe(1);
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close();
    await closed;
    await host.close();
    expect(counting.live()).toBe(0);
  });

  it('closes open sockets with 1001 and stops listening on close()', async () => {
    const host = await createWebHost({ core, staticDir: web, port: 0 });
    const ws = await open(host.port, host.token);
    const closeCode = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await host.close();
    expect(await closeCode).toBe(1001);
    await expect(open(host.port, host.token)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('uses a different token on every run', async () => {
    const a = await createWebHost({ core, staticDir: web, port: 0 });
    const b = await createWebHost({ core, staticDir: web, port: 0 });
    await Promise.all([a.close(), b.close()]);
    expect(a.token).not.toBe(b.token);
  });

  it('rejects when the port is already taken', async () => {
    const a = await createWebHost({ core, staticDir: web, port: 0 });
    await expect(createWebHost({ core, staticDir: web, port: a.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await a.close();
  });
});
