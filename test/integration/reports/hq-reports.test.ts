/**
 * HQ's outage evidence through a real tracker process: a console with a facility config
 * records a day of line and outage facts and a carrier ticket, syncs them, and HQ's
 * report, line states, attention list and exports come out of the tracker's log with
 * the same numbers the console shows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChildTracker } from '../tracker/child-tracker.ts';
import { trackerClient } from '../tracker/http-client.ts';
import { hqAdmin } from '../sync/sync-lab.ts';
import { syncLab } from '../sync/sync-lab-scope.ts';
import type { TestConsole } from '../../support/consoles.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { LEDGER_PAGE_ROWS, type PeriodReport, type PeriodReportView } from '../../../src-shared/figures-report.ts';
import { H, at } from '../../unit/reports/fixtures.ts';
import { enrolAndPushAll, outageDay, reportConsole } from './report-lab.ts';

const TRACKER_FACILITY = 'Märsta'; // the facility the console is enrolled in (sync-lab)
const O1 = '01900000-0000-7000-8000-0000000000d1';
const O2 = '01900000-0000-7000-8000-0000000000d2';
const DAY = { from: at(0), to: at(24) };

const lab = syncLab('guardline-hq-reports-');
let tracker: ChildTracker;
let c: TestConsole;
const hq = () => trackerClient(tracker.url);

beforeAll(async () => {
  tracker = await lab.startTracker();
  c = await reportConsole(lab);
  // Facts from this console's own device, so they are in its outbox and sync to HQ.
  const deviceId = c.core.info().deviceId;
  const own = (events: EventEnvelope[]) =>
    events.map((e) => ({ ...e, deviceId, hlc: e.hlc.replace(/^(\d+-\d+)-.*$/, `$1-${deviceId}`) }));
  c.core.store.append(own(outageDay(O1, O2, { b1Recovers: false })));
  await c.call('ledger.setCarrierTicket', {
    outageId: O1,
    ticketRef: 'TT-4711',
    reportedAt: at(10.5),
    acknowledgedAt: at(11),
    restoredAt: null,
    status: 'acknowledged',
    note: 'Operatören kvitterade',
  });
  await c.call('incidents.create', {
    facility: TRACKER_FACILITY,
    unit: 'Avdelning B',
    category: 'technical',
    severity: 'high',
    title: 'Alla telefoner döda på B',
    description: '',
    peopleInvolved: [],
    location: '',
    occurredAt: '2025-01-01T22:05:00+01:00',
    reportedBy: 'A-kumla',
  });
  await enrolAndPushAll(lab, c);
});

const query = (extra: Record<string, string | number> = {}) =>
  new URLSearchParams(
    Object.entries({ from: DAY.from, to: DAY.to, noResponseHours: 4, ...extra }).map(([k, v]) => [k, String(v)]),
  );

describe('HQ outage evidence', () => {
  it("reports the same figures and ledger as the facility's console", async () => {
    const reply = await hq().get<{ report: PeriodReport }>(
      `/v1/hq/report?${query({ facility: TRACKER_FACILITY })}`,
      await hqAdmin(tracker.url),
    );
    expect(reply.status).toBe(200);
    const atHq = reply.body.report;
    // The console's answer adds where its ledger page sits; here the page is the whole ledger.
    const { ledger, ...onConsole } = await c.call<PeriodReportView>('reports.period', { ...DAY, noResponseHours: 4 });
    expect(ledger).toEqual({ total: 2, offset: 0, limit: LEDGER_PAGE_ROWS });
    // One facility identity (issue 15): HQ names the facility as the tracker knows it, not as the console's config does.
    expect(atHq.facility).toEqual({ id: TRACKER_FACILITY, name: TRACKER_FACILITY });
    const comparable = ({ facility: _f, asOf: _a, ...rest }: PeriodReport) => rest;
    expect(comparable(atHq)).toEqual(comparable(onConsole));
    // a1 10-12, a2 11-13, b1 22-24 (still down): 6 line-hours of 66.
    expect(atHq.totals).toMatchObject({
      lineDowntimeMs: 6 * H,
      observedMs: 66 * H,
      outageCount: 2,
      mttaMs: 30 * 60_000,
    });
    expect(atHq.outages.find((o) => o.outage.id === O1)?.ticket?.ticketRef).toBe('TT-4711');
  });

  it('shows every facility’s current line states with names and units from the synced catalogue', async () => {
    const reply = await hq().get<{ facilities: { facility: string; name: string; lines: unknown[] }[] }>(
      '/v1/hq/lines',
      await hqAdmin(tracker.url),
    );
    expect(reply.status).toBe(200);
    const kumla = reply.body.facilities.find((f) => f.facility === TRACKER_FACILITY)!;
    expect(kumla.name).toBe(TRACKER_FACILITY);
    // The monitor has since seen every line UP (probes always answer), after the seeded day.
    expect(kumla.lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ lineId: 'b1', name: 'B vakt', unit: 'Avdelning B' })]),
    );
  });

  it('lists open high-severity incidents as needing attention', async () => {
    const reply = await hq().get<{ incidents: { title: string; severity: string }[] }>(
      '/v1/hq/attention',
      await hqAdmin(tracker.url),
    );
    expect(reply.body.incidents.map((i) => i.title)).toContain('Alla telefoner döda på B');
  });

  it('exports the period as CSV in Swedish and English, and as TMF621 trouble tickets', async () => {
    const sv = await hq().get<string>(
      `/v1/hq/export.csv?${query({ facility: TRACKER_FACILITY })}`,
      await hqAdmin(tracker.url),
    );
    expect(sv.status).toBe(200);
    expect(sv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(sv.headers.get('content-disposition')).toContain('outages-M-rsta-2025-01-01-2025-01-02.csv');
    const lines = sv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toMatch(/^Nivå,Avdelning,Linje-id,Namn,Tillgänglighet %/);
    expect(lines).toContain('Linje,Avdelning A,a1,A vakt,91.667,24,120,120,120,1,30,180,0');
    expect(lines.some((l) => l.startsWith(`${O1},2025-01-01T10:00:00.000Z,2025-01-01T13:00:00.000Z,Åtgärdat`))).toBe(
      true,
    );
    const en = await hq().get<string>(
      `/v1/hq/export.csv?${query({ facility: TRACKER_FACILITY, lang: 'en' })}`,
      await hqAdmin(tracker.url),
    );
    expect(en.body.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^Level,Unit,Line id,Name,Availability %/);

    const tmf = await hq().get<{ tickets: Record<string, unknown>[] }>(
      `/v1/hq/export.tmf621?${query()}`,
      await hqAdmin(tracker.url),
    );
    expect(tmf.status).toBe(200);
    expect(tmf.body.tickets.map((t) => [t.id, t.status, t.externalId])).toEqual([
      [O1, 'acknowledged', 'TT-4711'],
      [O2, 'pending', undefined],
    ]);
  });

  it('refuses without the admin token and names a bad period field', async () => {
    expect((await hq().get(`/v1/hq/report?${query({ facility: TRACKER_FACILITY })}`)).status).toBe(401);
    const bad = await hq().get<{ field?: string }>(
      `/v1/hq/report?${query({ facility: TRACKER_FACILITY, to: DAY.from - 1 })}`,
      await hqAdmin(tracker.url),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('to');
  });

  it('serves the React HQ app under the strict CSP, every script a file', async () => {
    const page = await hq().get<string>('/hq');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.body).toMatch(/<script type="module" crossorigin src="\/hq\/assets\/[^"]+\.js"><\/script>/);
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const src = /src="(\/hq\/assets\/[^"]+\.js)"/.exec(page.body)![1]!;
    const script = await hq().get<string>(src);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(script.body).toContain('/v1/hq/overview');
  });
});
