/**
 * The failure Guardline exists for, in three browser-host consoles (separate processes,
 * data dirs and mesh listeners on loopback) and a tracker: the consoles enrol while the
 * tracker runs (so each holds the others' device records), then the tracker is killed
 * with the LAN untouched. A high threat logged on A alarms the supervisor on B over the
 * mesh (mutual TLS, pinned keys), and the supervisor's acknowledgement on C stops the
 * alarm on A and B, with no tracker anywhere.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentNow } from '../support/incidents.ts';
import { FACILITY } from '../integration/sync/sync-lab.ts';
import { mustCall } from './page-api.ts';
import { connectedPeers, enrolPages, startMeshConsoles, syncStatus as status, type MeshConsoles } from './mesh-lab.ts';

const WAIT = { timeout: 30_000 };
const UNIT = 'Avdelning B';
const ADMIN = { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' };
const SUPERVISOR = { staffNumber: 'S1', name: 'Sara Ett', role: 'supervisor', units: [UNIT], pin: '4455' };
const GUARD = { staffNumber: 'G1', name: 'Gustav Vakt', role: 'guard', units: [UNIT], pin: '6677' };
const THREAT = 'Intagen hotar personal – telefonerna döda';

let mesh: MeshConsoles;
let pages: Page[] = [];

beforeAll(async () => {
  mesh = await startMeshConsoles(
    'guardline-e2e-mesh-',
    [
      { name: 'a', unit: UNIT },
      { name: 'b', unit: 'Ledningscentral' },
      { name: 'c', unit: 'Centralvakten' },
    ],
    ['--autoplay-policy=no-user-gesture-required'],
  );
  pages = mesh.pages;
});

afterAll(async () => {
  await mesh?.close();
});

const banner = (page: Page) => page.getByRole('alert', { name: 'Larm' });

describe('alarms across the facility mesh with the tracker down', () => {
  it('enrols three consoles with the tracker; each then holds the other two as connected peers', async () => {
    const [a, b, c] = pages as [Page, Page, Page];
    await a.getByRole('heading', { name: 'Första start: skapa administratör' }).waitFor(WAIT);
    await mustCall(a, 'auth.bootstrapAdmin', ADMIN);
    await mustCall(a, 'staff.enroll', SUPERVISOR);
    await mustCall(a, 'staff.enroll', GUARD);
    await enrolPages(mesh.tracker, [
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ]);
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
      await expect.poll(async () => (await connectedPeers(page)).length, WAIT).toBe(2);
    }
  });

  it('with the tracker killed, a high threat on A alarms the supervisor on B over the LAN', async () => {
    const [a, b] = pages as [Page, Page, Page];
    await mesh.tracker.kill();
    await expect.poll(async () => (await status(a)).state, WAIT).not.toBe('live');
    await expect.poll(() => b.getByTestId('mesh-route-header').innerText(), WAIT).toBe('Endast LAN: 3 konsoler');

    await mustCall(a, 'incidents.create', incidentNow(THREAT, GUARD.staffNumber, { facility: FACILITY, unit: UNIT }));
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
