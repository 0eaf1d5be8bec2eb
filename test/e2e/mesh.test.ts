/**
 * The failure Guardline exists for, in three browser-host consoles (separate processes,
 * data dirs and mesh listeners on loopback) and a tracker: the consoles enrol while the
 * tracker runs (so each holds the others' device records), then the tracker is killed
 * with the LAN untouched. A high threat logged on A alarms the supervisor on B over the
 * mesh (mutual TLS, pinned keys), and the supervisor's acknowledgement on C stops the
 * alarm on A and B, with no tracker anywhere.
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
const UNIT = 'Avdelning B';
const ADMIN = { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' };
const SUPERVISOR = { staffNumber: 'S1', name: 'Sara Ett', role: 'supervisor', units: [UNIT], pin: '4455' };
const GUARD = { staffNumber: 'G1', name: 'Gustav Vakt', role: 'guard', units: [UNIT], pin: '6677' };
const THREAT = 'Intagen hotar personal – telefonerna döda';

let dir: string;
let tracker: ChildTracker;
let hosts: RunningWebHost[] = [];
let browser: Browser;
let pages: Page[] = [];
const configs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-mesh-'));
  for (const name of ['a', 'b', 'c']) {
    const file = join(dir, `${name}.config.json`);
    writeMeshConfig(file, { listen: '127.0.0.1:0', peers: [] });
    configs.push(file);
  }
  const host = (name: string, i: number, unit: string) =>
    startWebHost({
      dataDir: join(dir, name),
      env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: unit, GUARDLINE_CONFIG: configs[i]! },
    });
  let a: RunningWebHost, b: RunningWebHost, c: RunningWebHost;
  [tracker, a, b, c, browser] = await Promise.all([
    startTracker(join(dir, 'tracker.sqlite')),
    host('a', 0, UNIT),
    host('b', 1, 'Ledningscentral'),
    host('c', 2, 'Centralvakten'),
    launchChromium(['--autoplay-policy=no-user-gesture-required']),
  ]);
  hosts = [a, b, c];
  // Every console dials the other two (its own address is in the list too: it skips itself).
  const addresses = hosts.map((h) => meshAddressFrom(h.output()));
  for (const file of configs) writeMeshConfig(file, { peers: addresses });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  pages = await Promise.all(hosts.map(() => context.newPage()));
  await Promise.all(pages.map((p, i) => p.goto(hosts[i]!.url)));
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await tracker?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const banner = (page: Page) => page.getByRole('alert', { name: 'Larm' });
const status = (page: Page) => mustCall<SyncStatus>(page, 'sync.status');

describe('alarms across the facility mesh with the tracker down', () => {
  it('enrols three consoles with the tracker; each then holds the other two as connected peers', async () => {
    const [a, b, c] = pages as [Page, Page, Page];
    await a.getByRole('heading', { name: 'Första start: skapa administratör' }).waitFor(WAIT);
    await mustCall(a, 'auth.bootstrapAdmin', ADMIN);
    await mustCall(a, 'staff.enroll', SUPERVISOR);
    await mustCall(a, 'staff.enroll', GUARD);
    for (const [page, label] of [
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ] as const) {
      await mustCall(page, 'sync.enroll', {
        trackerUrl: tracker.url,
        code: await enrolmentCode(tracker.url),
        label,
        adoptFacility: true,
      });
    }
    // B and C get the roster by sync, then the supervisor signs in on both; the guard on A.
    for (const page of [b, c]) {
      await page.getByRole('heading', { name: 'Logga in' }).waitFor(WAIT);
      await mustCall(page, 'auth.signIn', { staffNumber: SUPERVISOR.staffNumber, pin: SUPERVISOR.pin });
      await page.getByTestId('signed-in-user').waitFor(WAIT);
    }
    await mustCall(a, 'auth.signOut');
    await mustCall(a, 'auth.signIn', { staffNumber: GUARD.staffNumber, pin: GUARD.pin });
    await a.getByTestId('signed-in-user').waitFor(WAIT);

    for (const page of pages) {
      await expect
        .poll(async () => (await status(page)).mesh.peers.filter((p) => p.state === 'connected').length, WAIT)
        .toBe(2);
    }
  });

  it('with the tracker killed, a high threat on A alarms the supervisor on B over the LAN', async () => {
    const [a, b] = pages as [Page, Page, Page];
    await tracker.kill();
    await expect.poll(async () => (await status(a)).state, WAIT).not.toBe('live');
    await expect.poll(() => b.getByTestId('mesh-route-header').innerText(), WAIT).toBe('Endast LAN: 3 konsoler');

    await mustCall(a, 'incidents.create', {
      facility: FACILITY,
      unit: UNIT,
      category: 'threat',
      severity: 'high',
      title: THREAT,
      occurredAt: new Date().toISOString(),
      reportedBy: GUARD.staffNumber,
    });
    await banner(b).waitFor(WAIT);
    expect(await banner(b).innerText()).toContain(THREAT);
    await expect
      .poll(() => b.getByTestId('alarm-sound').evaluate((el: HTMLAudioElement) => !el.paused && el.loop), WAIT)
      .toBe(true);
  });

  it('the supervisor acknowledges on C with Ctrl+Shift+K; the alarm goes on A and B too', async () => {
    const [a, b, c] = pages as [Page, Page, Page];
    await banner(c).waitFor(WAIT);
    await banner(a).waitFor(WAIT);
    await c.keyboard.press('Control+Shift+K');
    await banner(c).waitFor({ state: 'detached', ...WAIT });
    await banner(b).waitFor({ state: 'detached', ...WAIT });
    await banner(a).waitFor({ state: 'detached', ...WAIT });
  });
});
