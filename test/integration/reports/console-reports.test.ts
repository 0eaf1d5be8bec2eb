/**
 * Outage evidence in a real console core: a real SQLite file, a facility config file,
 * a probe runner that always answers (so the monitor runs without a network), and a
 * hand-written day of line and outage events appended to the log as facts. Everything
 * else goes through dispatch with real roles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { tempDir } from '../../support/temp.ts';
import {
  buildPeriodReport,
  LEDGER_PAGE_ROWS,
  type LedgerRow,
  type PeriodReport,
} from '../../../src-shared/figures-report.ts';
import { factsFromEvents } from '../../../src-shared/figures-events.ts';
import { foldLineCatalog } from '../../../src-shared/figures-catalog-fold.ts';
import { FACILITY, H, at } from '../../unit/reports/fixtures.ts';
import { alwaysUp, outageDay, writeReportConfig } from './report-lab.ts';

const O1 = '01900000-0000-7000-8000-0000000000c1';
const O2 = '01900000-0000-7000-8000-0000000000c2';

const consoles: TestConsole[] = [];
const dirs: { cleanup(): void }[] = [];
afterEach(async () => {
  for (const c of consoles.splice(0)) await c.close();
  cleanupTestConsoles();
  for (const d of dirs.splice(0)) d.cleanup();
});

function configFile(): string {
  const dir = tempDir('guardline-reports-');
  dirs.push(dir);
  const file = join(dir.path, 'guardline.config.json');
  writeReportConfig(file);
  return file;
}

async function open(file = configFile(), dataFile?: string): Promise<TestConsole> {
  const c = openTestConsole({
    telephony: { configFile: file, runProbe: alwaysUp },
    ...(dataFile ? { file: dataFile } : {}),
  });
  consoles.push(c);
  await c.core.ready;
  return c;
}

/** a1 DOWN 10-12 and a2 DOWN 11-13 (outage O1), b1 DOWN 22-26 (outage O2), on 2025-01-01. */
function seedDay(c: TestConsole) {
  c.core.store.append(outageDay(O1, O2));
}

const DAY = { from: at(0), to: at(24) };

describe('line catalogue', () => {
  it('is recorded when the config loads, and not again while it is unchanged', async () => {
    const file = configFile();
    const c = await open(file);
    const declared = c.events('facility.lines_declared');
    expect(declared).toHaveLength(1);
    expect(foldLineCatalog(declared)).toMatchObject({
      facilityId: FACILITY,
      units: [{ id: 'a', name: 'Avdelning A' }, { id: 'b' }],
      lines: [{ id: 'a1', unit: 'a', name: 'A vakt' }, { id: 'a2' }, { id: 'b1', unit: 'b' }],
    });
    const dataFile = c.file;
    await c.close();
    consoles.splice(consoles.indexOf(c), 1);
    const again = await open(file, dataFile);
    expect(again.events('facility.lines_declared')).toHaveLength(1);
  });
});

describe('carrier ticket', () => {
  it('is recorded by a supervisor as an event on the outage and shows in the ledger', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    seedDay(c);
    await c.signIn('S1');
    const row = await c.call<LedgerRow>('ledger.setCarrierTicket', {
      outageId: O1,
      ticketRef: 'TT-4711',
      reportedAt: at(10.5),
      acknowledgedAt: at(11),
      restoredAt: null,
      status: 'acknowledged',
      note: 'Operatören ringde tillbaka',
    });
    expect(row.ticket).toMatchObject({ ticketRef: 'TT-4711', status: 'acknowledged', updatedBy: 'S1' });
    expect(row.notes).toEqual([
      expect.objectContaining({ kind: 'ticket', by: 'S1', text: 'Operatören ringde tillbaka' }),
    ]);
    expect(row.units).toEqual(['a']);
    const stored = c.events('outage.carrier_ticket_set');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ streamId: O1, actor: 'S1' });
    expect((await c.call<LedgerRow>('ledger.get', { outageId: O1 })).ticket?.ticketRef).toBe('TT-4711');
  });

  it('is refused to a guard, for an unknown outage, and with the acknowledgement before the report', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    seedDay(c);
    const ticket = {
      outageId: O1,
      ticketRef: 'TT-1',
      reportedAt: at(11),
      acknowledgedAt: null,
      restoredAt: null,
      status: 'reported',
    };
    await c.signIn('G1');
    expect((await c.fail('ledger.setCarrierTicket', ticket)).code).toBe('forbidden');
    await c.signIn('S1');
    const early = await c.fail('ledger.setCarrierTicket', {
      ...ticket,
      acknowledgedAt: at(10),
      status: 'acknowledged',
    });
    expect(early).toMatchObject({ code: 'invalid_input' });
    expect(early.issues?.map((i) => i.field)).toEqual(['acknowledgedAt']);
    const unknown = await c.fail('ledger.setCarrierTicket', {
      ...ticket,
      outageId: '01900000-0000-7000-8000-0000000000ff',
    });
    expect(unknown).toMatchObject({ code: 'not_found', field: 'outageId' });
    expect(c.events('outage.carrier_ticket_set')).toHaveLength(0);
  });
});

describe('period report', () => {
  it("computes the same figures from the console's projections as from its raw events", async () => {
    const c = await open();
    await enrolStandardRoster(c);
    seedDay(c);
    await c.signIn('S1');
    await c.call('ledger.setCarrierTicket', {
      outageId: O2,
      ticketRef: 'TT-9',
      reportedAt: at(22.25),
      acknowledgedAt: null,
      restoredAt: null,
      status: 'reported',
    });
    await c.signIn('G1');
    const report = await c.call<PeriodReport>('reports.period', { ...DAY, noResponseHours: 4 });
    expect(report.facility).toEqual({ id: FACILITY, name: 'Kumlaanstalten' });
    expect(report.totals).toMatchObject({
      observedMs: 66 * H,
      lineDowntimeMs: 6 * H,
      downtimeMs: 5 * H,
      outageCount: 2,
    });
    expect(report.units.map((u) => [u.name, u.lineDowntimeMs])).toEqual([
      ['Avdelning A', 4 * H],
      ['Avdelning B', 2 * H],
    ]);
    // Reported 22:15, never answered, and "now" is long after: overdue.
    expect(report.outages.find((o) => o.outage.id === O2)).toMatchObject({ carrierResponse: 'overdue', units: ['b'] });
    expect(report.totals.overdueCount).toBe(1);

    const raw = factsFromEvents(c.events());
    const fromEvents = buildPeriodReport({
      facility: report.facility,
      catalog: foldLineCatalog(c.events('facility.lines_declared')),
      period: DAY,
      asOf: report.asOf,
      noResponseHours: 4,
      facts: raw.facts,
      ledger: raw.ledger,
    });
    // The console's answer is that report with its ledger's first page (here all of it) and where it sits.
    expect(report).toEqual({ ...fromEvents, ledger: { total: 2, offset: 0, limit: LEDGER_PAGE_ROWS } });
  });

  it('refuses a period that ends before it starts, naming the field', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    expect(await c.fail('reports.period', { from: at(5), to: at(1) })).toMatchObject({ code: 'invalid_input' });
  });
});

describe('exports', () => {
  it('logs every export as audit.exported, writing the TMF621 tickets into the exports folder, and gives the PDF go-ahead', async () => {
    const c = await open();
    await enrolStandardRoster(c);
    seedDay(c);
    await c.signIn('G1');
    expect((await c.fail('reports.exportTmf621', DAY)).code).toBe('forbidden');
    await c.signIn('S1');
    const tmf = await c.call<{ filename: string; path: string; tickets: number; bytes: number }>(
      'reports.exportTmf621',
      DAY,
    );
    expect(tmf.filename).toBe('outages-kumla-2025-01-01-2025-01-02.tmf621.json');
    expect(tmf.path).toBe(join(dirname(c.file), 'exports', tmf.filename));
    const text = readFileSync(tmf.path, 'utf8');
    const tickets = JSON.parse(text) as Record<string, unknown>[];
    expect(tmf).toMatchObject({ tickets: 2, bytes: Buffer.byteLength(text) });
    expect(tickets.map((t) => t.id)).toEqual([O1, O2]);
    expect(tickets[0]).toMatchObject({
      '@type': 'TroubleTicket',
      severity: 'major',
      status: 'resolved',
      creationDate: new Date(at(10)).toISOString(),
      resolutionDate: new Date(at(13)).toISOString(),
      relatedEntity: expect.arrayContaining([
        expect.objectContaining({ id: 'a1', name: 'A vakt', role: 'affectedLine' }),
      ]),
    });
    const pdf = await c.call<{ eventId: string; pdfBase64: string | null }>('reports.exportPdf', DAY);
    expect(pdf.pdfBase64).toBeNull();
    const logged = c.events('audit.exported').map((e) => e.payload);
    expect(logged).toEqual([
      {
        kind: 'outage-evidence',
        filters: { format: 'tmf621', from: DAY.from, to: DAY.to, facility: FACILITY },
        count: 2,
      },
      { kind: 'outage-evidence', filters: { format: 'pdf', from: DAY.from, to: DAY.to, facility: FACILITY }, count: 2 },
    ]);
    expect(c.events('audit.exported').at(-1)?.id).toBe(pdf.eventId);

    // A second export of the period never overwrites the first; no unfinished file is left.
    const again = await c.call<{ filename: string; path: string }>('reports.exportTmf621', DAY);
    expect(again.filename).toBe('outages-kumla-2025-01-01-2025-01-02-2.tmf621.json');
    expect(readFileSync(again.path, 'utf8')).toBe(text);
    expect(readdirSync(dirname(tmf.path)).sort()).toEqual([tmf.filename, again.filename].sort());
  });
});
