/**
 * Revoking a console for the whole facility from the Synk page (issue 12), in two
 * browser-host consoles (separate processes) and a tracker: the admin on A opens the
 * confirmation next to C, Escape cancels it (nothing happens), then with a reason the
 * revocation is confirmed by keyboard; A drops C at once and lists it as refused, and C
 * loses its mesh peer. (The tracker's and third consoles' side: test/integration/mesh/revocation.test.ts.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildTracker } from '../integration/tracker/child-tracker.ts';
import { enrolmentCode, FACILITY, startTracker } from '../integration/sync/sync-lab.ts';
import { meshAddressFrom, writeMeshConfig } from '../support/mesh-config.ts';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';
import { mustCall } from './page-api.ts';
import type { SyncStatus } from '../../src-shared/sync.ts';

const WAIT = { timeout: 30_000 };
const ADMIN = { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' };

let dir: string;
let tracker: ChildTracker;
let hosts: RunningWebHost[] = [];
let browser: Browser;
let a: Page;
let c: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-revoke-'));
  const configs = ['a', 'c'].map((name) => join(dir, `${name}.config.json`));
  for (const file of configs) writeMeshConfig(file, { listen: '127.0.0.1:0', peers: [] });
  const host = (name: string, i: number) =>
    startWebHost({
      dataDir: join(dir, name),
      env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: 'Avdelning B', GUARDLINE_CONFIG: configs[i]! },
    });
  let ha: RunningWebHost, hc: RunningWebHost;
  [tracker, ha, hc, browser] = await Promise.all([
    startTracker(join(dir, 'tracker.sqlite')),
    host('a', 0),
    host('c', 1),
    launchChromium(),
  ]);
  hosts = [ha, hc];
  const addresses = hosts.map((h) => meshAddressFrom(h.output()));
  for (const file of configs) writeMeshConfig(file, { peers: addresses });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  [a, c] = await Promise.all([context.newPage(), context.newPage()]);
  await Promise.all([a.goto(ha.url), c.goto(hc.url)]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await tracker?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const status = (page: Page) => mustCall<SyncStatus>(page, 'sync.status');
const connected = async (page: Page) =>
  (await status(page)).mesh.peers.filter((p) => p.state === 'connected').map((p) => p.deviceId);

describe('revoking a console from the Synk page', () => {
  it('asks first, cancels on Escape, then revokes C for the facility with a reason', async () => {
    await a.getByRole('heading', { name: 'Första start: skapa administratör' }).waitFor(WAIT);
    await mustCall(a, 'auth.bootstrapAdmin', ADMIN);
    for (const [page, label] of [
      [a, 'A'],
      [c, 'C'],
    ] as const) {
      await mustCall(page, 'sync.enroll', {
        trackerUrl: tracker.url,
        code: await enrolmentCode(tracker.url),
        label,
        adoptFacility: true,
      });
    }
    // C gets the roster by sync; the admin signs in there too.
    await c.getByRole('heading', { name: 'Logga in' }).waitFor(WAIT);
    await mustCall(c, 'auth.signIn', { staffNumber: ADMIN.staffNumber, pin: ADMIN.pin });
    for (const page of [a, c]) await expect.poll(async () => (await connected(page)).length, WAIT).toBe(1);
    const cId = (await connected(a))[0]!;

    await a.getByRole('navigation').getByRole('button', { name: 'Synk' }).click();
    const revokeButton = a.getByTestId('mesh-peers').getByRole('button', { name: /^Återkalla .+…$/ });
    await revokeButton.focus();
    await a.keyboard.press('Enter');
    const dialog = a.getByRole('alertdialog', { name: /^Återkalla .+ i hela anläggningen\?$/ });
    await dialog.waitFor(WAIT);
    expect(await dialog.innerText()).toContain('Kan inte ångras');
    // The reason field has focus: Escape closes without revoking.
    await a.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', ...WAIT });
    expect(await connected(a)).toEqual([cId]);

    await revokeButton.focus();
    await a.keyboard.press('Enter');
    await dialog.waitFor(WAIT);
    await a.keyboard.type('Datorn stulen från vaktrummet');
    await a.keyboard.press('Enter');
    await a.getByText(/ är återkallad i hela anläggningen\.$/).waitFor(WAIT);

    await expect.poll(() => connected(a), WAIT).toEqual([]);
    await expect.poll(() => connected(c), WAIT).toEqual([]);
    const row = a.getByTestId('mesh-peers').getByRole('row').filter({ hasText: 'revoked' });
    await expect.poll(() => row.count(), WAIT).toBe(1);
    expect(await row.innerText()).toContain('Nekad');
  }, 120_000);
});
