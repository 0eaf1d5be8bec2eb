/**
 * A threat alarm between two browser-host consoles through a real tracker, in real
 * Chromium: a guard on console A raises a high threat with the keyboard only; console
 * B, where a supervisor is signed in, shows the alarm banner (sound looping) once the
 * tracker has passed the events on; the supervisor acknowledges with Ctrl+Shift+K; the
 * acknowledgement travels back and A's banner goes too. Console B starts with an empty
 * roster and joins the facility through the tracker, so its sign-in screen appears
 * only once the roster has arrived by sync.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentNow } from '../support/incidents.ts';
import type { ChildTracker } from '../integration/tracker/child-tracker.ts';
import { enrolmentCode, FACILITY, startTracker } from '../integration/sync/sync-lab.ts';
import { launchChromium, startWebHost, type RunningWebHost } from './harness.ts';
import { mustCall } from './page-api.ts';

const WAIT = { timeout: 20_000 };
const UNIT = 'Avdelning B';
const ADMIN = { staffNumber: 'A1', name: 'Åsa Admin', pin: '112233' };
const SUPERVISOR = { staffNumber: 'S1', name: 'Sara Ett', role: 'supervisor', units: [UNIT], pin: '4455' };
const SECOND = { staffNumber: 'S2', name: 'Sven Två', role: 'supervisor', units: [UNIT], pin: '8899' };
const GUARD = { staffNumber: 'G1', name: 'Gustav Vakt', role: 'guard', units: [UNIT], pin: '6677' };
const THREAT = 'Intagen hotar personal med tillhygge';

let dir: string;
let tracker: ChildTracker;
let hostA: RunningWebHost;
let hostB: RunningWebHost;
let browser: Browser;
let a: Page;
let b: Page;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guardline-e2e-escalation-'));
  [tracker, hostA, hostB, browser] = await Promise.all([
    startTracker(join(dir, 'tracker.sqlite')),
    startWebHost({ dataDir: join(dir, 'a'), env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: UNIT } }),
    startWebHost({ dataDir: join(dir, 'b'), env: { GUARDLINE_FACILITY: FACILITY, GUARDLINE_UNIT: 'Ledningscentral' } }),
    // A console must sound its alarm before anyone has touched the page, as Electron's window allows.
    launchChromium(['--autoplay-policy=no-user-gesture-required']),
  ]);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  [a, b] = await Promise.all([context.newPage(), context.newPage()]);
  await Promise.all([a.goto(hostA.url), b.goto(hostB.url)]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([hostA?.stop(), hostB?.stop()]);
  await tracker?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function banner(page: Page) {
  return page.getByRole('alert', { name: 'Larm' });
}

async function signInByKeyboard(page: Page, who: { staffNumber: string; pin: string }) {
  await page.getByRole('heading', { name: 'Logga in' }).waitFor(WAIT);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('signin-staff-number');
  await page.keyboard.type(who.staffNumber);
  await page.keyboard.press('Tab');
  await page.keyboard.type(who.pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('signed-in-user').waitFor(WAIT);
}

/** Press Tab until the focused element matches (bounded), like a guard would. */
async function tabTo(page: Page, selector: string, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('threat escalation between two browser consoles through the tracker', () => {
  it('enrols both consoles; B gets the roster by sync and then offers sign-in', async () => {
    await a.getByRole('heading', { name: 'Första start: skapa administratör' }).waitFor(WAIT);
    await mustCall(a, 'auth.bootstrapAdmin', ADMIN);
    await mustCall(a, 'staff.enroll', SUPERVISOR);
    await mustCall(a, 'staff.enroll', SECOND);
    await mustCall(a, 'staff.enroll', GUARD);
    await mustCall(a, 'sync.enroll', { trackerUrl: tracker.url, code: await enrolmentCode(tracker.url), label: 'A' });

    // B has nobody on its roster: it may enrol before anyone signs in, and waits for the facility's staff.
    await b.getByRole('heading', { name: 'Första start: skapa administratör' }).waitFor(WAIT);
    // Joining the facility from the first-run screen, keyboard only: the tracker's address and a one-time code.
    const code = await enrolmentCode(tracker.url);
    await b.locator('#sync-trackerUrl').focus();
    await b.keyboard.type(tracker.url);
    await b.keyboard.press('Tab');
    await b.keyboard.type(code);
    await b.keyboard.press('Enter');
    await signInByKeyboard(b, SUPERVISOR);
    expect(await b.getByTestId('signed-in-user').innerText()).toMatch(/Sara Ett\s*Arbetsledare/);

    await a.getByRole('button', { name: 'Logga ut' }).press('Enter');
    await signInByKeyboard(a, GUARD);
  });

  it('a guard raises a high threat on A with the keyboard only; A alarms at once, naming who must acknowledge', async () => {
    await a.keyboard.press('Alt+n');
    await a.getByRole('heading', { name: 'Ny händelse' }).waitFor(WAIT);
    await a.keyboard.press('Space'); // category: Hot
    await a.keyboard.press('Tab'); // severity
    await a.keyboard.press('ArrowRight'); // Medel
    await a.keyboard.press('ArrowRight'); // Hög
    await a.keyboard.press('Tab');
    await a.keyboard.type(THREAT);
    await tabTo(a, '#field-reportedBy');
    await a.keyboard.type(GUARD.staffNumber);
    await a.keyboard.press('Control+Enter');
    await a.getByRole('status').getByText(`Sparad: ${THREAT}`).waitFor(WAIT);

    await banner(a).waitFor(WAIT);
    const text = await banner(a).innerText();
    for (const part of ['LARM', THREAT, 'Hög', UNIT, 'Nivå 1']) expect(text).toContain(part);
    await expect
      .poll(() => banner(a).innerText(), WAIT)
      .toContain('Endast en arbetsledare kan kvittera. Larmade: Sara Ett (S1)');
    // A guard is offered no acknowledge button, and the shortcut does nothing for them.
    expect(
      await banner(a)
        .getByRole('button', { name: /Kvittera/ })
        .count(),
    ).toBe(0);
    // The banner answers the keypress (a positive sign it was handled), and only then do we
    // look: the core still has the alarm standing, unacknowledged, and the banner stays.
    await a.keyboard.press('Control+Shift+K');
    await banner(a).locator('[data-testid=alarm-shortcut-refused][data-count="1"]').waitFor(WAIT);
    expect(await banner(a).getByTestId('alarm-shortcut-refused').innerText()).toBe(
      'Ctrl+Shift+K: här finns inget larm som du kan kvittera.',
    );
    const { alarms } = await mustCall<{ alarms: { title: string; acknowledgedBy: string[] }[] }>(a, 'alarms.list');
    expect(alarms.filter((x) => x.title === THREAT).map((x) => x.acknowledgedBy)).toEqual([[]]);
    expect(await banner(a).innerText()).toContain(THREAT);
  });

  it('B shows the alarm banner via the tracker, with the sound looping and the shortcut on the button', async () => {
    await banner(b).waitFor(WAIT);
    expect(await banner(b).innerText()).toContain(THREAT);
    const ack = banner(b).getByRole('button', { name: /Kvittera/ });
    expect(await ack.getAttribute('aria-keyshortcuts')).toBe('Control+Shift+K');
    expect(await ack.innerText()).toContain('Ctrl+Shift+K');
    await expect
      .poll(() => b.getByTestId('alarm-sound').evaluate((el: HTMLAudioElement) => !el.paused && el.loop), WAIT)
      .toBe(true);
    const results = await new AxeBuilder({ page: b }).include('[data-testid=alarm-banner]').analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  });

  it('keeps the alarm on the unit console’s lock screen, where it asks for a supervisor to sign in', async () => {
    await mustCall(a, 'auth.lock');
    await a.getByRole('heading', { name: 'Konsolen är låst' }).waitFor(WAIT);
    await expect.poll(() => banner(a).innerText(), WAIT).toContain('Logga in som arbetsledare för att kvittera.');
    expect(await banner(a).innerText()).toContain(THREAT);
    expect(
      await banner(a)
        .getByRole('button', { name: /Kvittera/ })
        .count(),
    ).toBe(0);

    await a.keyboard.type(GUARD.pin);
    await a.keyboard.press('Enter');
    await a.getByTestId('signed-in-user').waitFor(WAIT);
    await expect.poll(() => banner(a).innerText(), WAIT).toContain('Endast en arbetsledare kan kvittera.');
  });

  it('B opens the incident from the banner and sees the escalation: level, who was alarmed, no acknowledgement yet', async () => {
    await banner(b).getByRole('button', { name: 'Visa händelsen' }).press('Enter');
    await b.getByRole('heading', { name: THREAT }).waitFor(WAIT);
    const panel = b.getByRole('region', { name: 'Eskalering' });
    await expect.poll(() => panel.innerText(), WAIT).toContain('Pågår – väntar på kvittens');
    const text = await panel.innerText();
    expect(text).toContain('Nivå 1 av 3, varv 1 av 2');
    expect(text).toContain('Sara Ett (S1)');
    expect(text).toContain('(0 av 1)');
    // Already escalating: no second manual start is offered.
    expect(await panel.getByRole('button', { name: 'Eskalera och larma' }).count()).toBe(0);
  });

  it('the supervisor acknowledges on B with Ctrl+Shift+K; both banners go', async () => {
    await b.keyboard.press('Control+Shift+K');
    await banner(b).waitFor({ state: 'detached', ...WAIT });
    expect(await b.getByTestId('alarm-sound').count()).toBe(0);
    await banner(a).waitFor({ state: 'detached', ...WAIT });
    await expect.poll(() => a.evaluate(() => document.title), WAIT).not.toMatch(/LARM/);
    const panel = b.getByRole('region', { name: 'Eskalering' });
    await expect.poll(() => panel.innerText(), WAIT).toContain('Avslutad: kvitterad');
    expect(await panel.innerText()).toContain('Sara Ett (S1) (1 av 1)');
  });

  it('a critical threat needs two different supervisors: the first one’s acknowledgement leaves it standing', async () => {
    const critical = 'Gisslansituation i besöksrummet';
    // B's supervisor presses Ctrl+Shift+K the instant the alarm's acknowledge button is
    // in the page: a mutation observer fires in the same task as React's commit, before
    // the browser paints. (CI once saw the keypress land between paint and the listener's
    // update and answer "no alarm here that you can acknowledge".)
    await b.evaluate((title) => {
      const observer = new MutationObserver(() => {
        const shown = document.querySelector<HTMLElement>('[data-testid=alarm-banner]');
        if (!shown?.textContent?.includes(title) || !shown.querySelector('button.alarm-ack')) return;
        observer.disconnect();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'K', code: 'KeyK', ctrlKey: true, shiftKey: true }));
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    }, critical);
    await mustCall(
      a,
      'incidents.create',
      incidentNow(critical, GUARD.staffNumber, { facility: FACILITY, unit: UNIT, severity: 'critical' }),
    );
    await expect
      .poll(() => banner(b).innerText(), WAIT)
      .toContain('Kvitterat av Sara Ett (S1). En andra arbetsledare måste också kvittera.');
    expect(await banner(b).innerText()).toContain('Du har kvitterat. En annan arbetsledare måste också kvittera.');
    expect(
      await banner(b)
        .getByRole('button', { name: /Kvittera/ })
        .count(),
    ).toBe(0);
    // A still alarms too, with the same state.
    await expect.poll(() => banner(a).innerText(), WAIT).toContain('En andra arbetsledare måste också kvittera.');

    // Quick switch to a second supervisor on the same console, who completes it.
    await b.getByRole('button', { name: 'Byt användare' }).press('Enter');
    await b.getByRole('heading', { name: 'Byt användare' }).waitFor(WAIT);
    await b.keyboard.type(SECOND.staffNumber);
    await b.keyboard.press('Tab');
    await b.keyboard.type(SECOND.pin);
    await b.keyboard.press('Enter');
    await expect.poll(() => b.getByTestId('signed-in-user').innerText(), WAIT).toContain(SECOND.name);
    await banner(b)
      .getByRole('button', { name: /Kvittera/ })
      .waitFor(WAIT);
    await b.keyboard.press('Control+Shift+K');
    await banner(b).waitFor({ state: 'detached', ...WAIT });
    await banner(a).waitFor({ state: 'detached', ...WAIT });
  });
});
