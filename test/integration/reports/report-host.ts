/**
 * A browser host with a day of outage history: the data file is prepared by a real
 * console core (facility config loaded, a hand-written day of line and outage facts,
 * a carrier ticket, a supervisor on the roster), then the real `start-web` script
 * serves it and Chromium (UTC, so the picked day is the seeded day) signs in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createConsoleCore } from '../../../src-main/core/console-core.ts';
import { launchChromium, startWebHost, type RunningWebHost } from '../../e2e/harness.ts';
import { mustCall } from '../../e2e/page-api.ts';
import { at, automaticOutage } from '../../unit/reports/fixtures.ts';
import { alwaysUp, outageDay, writeReportConfig } from './report-lab.ts';

export const SUPERVISOR = { staffNumber: 'S200', name: 'Sara Skift', pin: '2468' };
export const ADMIN = { staffNumber: 'A100', name: 'Anna Admin', pin: '1357' };
export const O1 = '01900000-0000-7000-8000-0000000000e1';
export const O2 = '01900000-0000-7000-8000-0000000000e2';
/** 2025-01-03 holds this many short outages of a1: more than one ledger page. */
export const MANY_OUTAGES = 60;
export const manyOutageId = (i: number) => `01900000-0000-7000-8000-0000000010${i.toString(16).padStart(2, '0')}`;
const WAIT = { timeout: 15_000 };

export interface ReportHost {
  host: RunningWebHost;
  browser: Browser;
  page: Page;
  dir: string;
  close(): Promise<void>;
}

async function seed(dataDir: string, configFile: string): Promise<void> {
  const core = createConsoleCore({
    dataFile: join(dataDir, 'guardline.sqlite'),
    host: 'test',
    appVersion: 'test',
    facility: 'Kumlaanstalten',
    unit: 'Avdelning A',
    sync: { start: false },
    pinParams: { N: 1024, r: 8, p: 1 },
    telephony: { configFile, runProbe: alwaysUp },
  });
  try {
    await core.ready;
    core.store.append(outageDay(O1, O2));
    core.store.append(
      Array.from({ length: MANY_OUTAGES }, (_, i) =>
        automaticOutage(['a1'], 48 + i * 0.25, 48 + i * 0.25 + 0.1, { id: manyOutageId(i) }),
      ).flat(),
    );
    const call = async (method: string, input: unknown) => {
      const r = await core.dispatch(method, input, { origin: 'test' });
      if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    };
    await call('auth.bootstrapAdmin', ADMIN);
    await call('staff.enroll', { ...SUPERVISOR, role: 'supervisor', units: [] });
    await call('auth.signIn', { staffNumber: SUPERVISOR.staffNumber, pin: SUPERVISOR.pin });
    await call('ledger.setCarrierTicket', {
      outageId: O1,
      ticketRef: 'TT-4711',
      reportedAt: at(10.5),
      acknowledgedAt: at(11),
      restoredAt: null,
      status: 'acknowledged',
      note: 'Operatören kvitterade per telefon',
    });
    // O2 reported at 22:15 and never answered: flagged.
    await call('ledger.setCarrierTicket', {
      outageId: O2,
      ticketRef: 'TT-4712',
      reportedAt: at(22.25),
      acknowledgedAt: null,
      restoredAt: null,
      status: 'reported',
      note: '',
    });
  } finally {
    await core.close();
  }
}

export async function startReportHost(prefix: string): Promise<ReportHost> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const dataDir = join(dir, 'data');
  const configFile = join(dir, 'guardline.config.json');
  writeReportConfig(configFile);
  await seed(dataDir, configFile);
  const [host, browser] = await Promise.all([
    startWebHost({ dataDir, env: { GUARDLINE_CONFIG: configFile } }),
    launchChromium(),
  ]);
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'UTC',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(host.url);
  await mustCall(page, 'auth.signIn', { staffNumber: SUPERVISOR.staffNumber, pin: SUPERVISOR.pin });
  return {
    host,
    browser,
    page,
    dir,
    async close() {
      await browser.close();
      await host.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Open the report page from the nav, pick one day and show it. */
export async function showDay(page: Page, day: string, navLabel = 'Rapporter'): Promise<void> {
  await page.getByRole('button', { name: navLabel, exact: true }).click();
  await page.getByLabel('Från').fill(day);
  await page.getByLabel('Till och med').fill(day);
  await page.getByRole('button', { name: 'Visa', exact: true }).click();
  await page.getByTestId('figures-table').getByText('Kumlaanstalten').waitFor(WAIT);
  await page.getByTestId('ledger-table').getByText('TT-4711').waitFor(WAIT);
}
