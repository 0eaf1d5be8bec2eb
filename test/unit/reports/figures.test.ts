/**
 * Figures against hand-computed examples. One day (T0 .. T0+24h), three lines in two
 * units; every expected number is worked out in the comment beside it.
 */
import { describe, expect, it } from 'vitest';
import { buildPeriodReport, type PeriodReportInput } from '../../../src-shared/figures-report.ts';
import { factsFromEvents } from '../../../src-shared/figures-events.ts';
import type { LineCatalog } from '../../../src-shared/figures-catalog.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { FACILITY, H, MIN, T0, at, automaticOutage, event, lineChange, reportedOutage, ticket } from './fixtures.ts';

const catalog: LineCatalog = {
  facilityId: FACILITY,
  facilityName: 'Kumlaanstalten',
  units: [
    { id: 'a', name: 'Avdelning A' },
    { id: 'b', name: 'Avdelning B' },
  ],
  lines: [
    { id: 'a1', name: 'A vakt', unit: 'a', kind: 'desk', criticality: 'critical', via: null },
    { id: 'a2', name: 'A expedition', unit: 'a', kind: 'desk', criticality: 'critical', via: null },
    { id: 'b1', name: 'B vakt', unit: 'b', kind: 'desk', criticality: 'critical', via: null },
  ],
};

const O1 = '01900000-0000-7000-8000-000000000001';
const O2 = '01900000-0000-7000-8000-000000000002';

/** a1 DOWN 10-12, a2 DOWN 11-13 (one outage O1, 10-13), b1 first measured at 6, DOWN 22-26 (O2). */
function dayEvents(): EventEnvelope[] {
  return [
    lineChange('a1', 'UNKNOWN', 'UP', -5),
    lineChange('a2', 'UNKNOWN', 'UP', -5),
    lineChange('b1', 'UNKNOWN', 'UP', 6),
    lineChange('a1', 'UP', 'DOWN', 10),
    ...automaticOutage(['a1', 'a2'], 10, 13, { id: O1 }),
    lineChange('a2', 'UP', 'DOWN', 11),
    lineChange('a1', 'DOWN', 'UP', 12),
    lineChange('a2', 'DOWN', 'UP', 13),
    lineChange('b1', 'UP', 'DOWN', 22),
    ...automaticOutage(['b1'], 22, 26, { id: O2 }),
    lineChange('b1', 'DOWN', 'UP', 26),
    // Before the period: neither counted nor shown.
    ...automaticOutage(['a1'], -10, -8),
  ];
}

function report(events: EventEnvelope[], over: Partial<PeriodReportInput> = {}) {
  const { facts, ledger } = factsFromEvents(events);
  return buildPeriodReport({
    facility: { id: FACILITY, name: 'Kumlaanstalten' },
    catalog,
    period: { from: at(0), to: at(24) },
    asOf: at(30),
    noResponseHours: 24,
    facts,
    ledger,
    ...over,
  });
}

const line = (r: ReturnType<typeof report>, id: string) => r.lines.find((l) => l.lineId === id)!;
const unit = (r: ReturnType<typeof report>, id: string) => r.units.find((u) => u.unit === id)!;

describe('figures per line', () => {
  it('counts DOWN time inside the period against the observed time', () => {
    const a1 = line(report(dayEvents()), 'a1');
    // DOWN 10:00-12:00 = 2 h of 24 h observed: 22/24.
    expect(a1).toMatchObject({
      downtimeMs: 2 * H,
      lineDowntimeMs: 2 * H,
      longestDowntimeMs: 2 * H,
      observedMs: 24 * H,
    });
    expect(a1.availabilityPct).toBeCloseTo((22 / 24) * 100, 10);
    expect(a1.outageCount).toBe(1);
  });

  it('leaves time before the first measurement out of the observed time', () => {
    const b1 = line(report(dayEvents()), 'b1');
    // Measured from 06:00 (18 h); DOWN 22:00 until the period ends at 24:00 (2 h): 16/18.
    expect(b1).toMatchObject({ observedMs: 18 * H, downtimeMs: 2 * H });
    expect(b1.availabilityPct).toBeCloseTo((16 / 18) * 100, 10);
  });

  it('clips an outage that began before the period at the period start', () => {
    const events = [lineChange('a1', 'UP', 'DOWN', -2), lineChange('a1', 'DOWN', 'UP', 1.5)];
    const a1 = line(report(events), 'a1');
    // DOWN from 22:00 the day before until 01:30: 1.5 h of it in the period.
    expect(a1).toMatchObject({ downtimeMs: 1.5 * H, longestDowntimeMs: 1.5 * H, observedMs: 24 * H });
    expect(a1.availabilityPct).toBeCloseTo((22.5 / 24) * 100, 10);
  });

  it('runs an open outage until now, and counts nothing after now as observed', () => {
    const events = dayEvents().filter((e) => !(e.type === 'line.status_changed' && e.deviceTime === at(26)));
    const r = report(
      events.filter((e) => !(e.streamId === O2 && e.type === 'outage.resolved')),
      { asOf: at(23.5) },
    );
    const b1 = line(r, 'b1');
    // Now is 23:30: observed 06:00-23:30 = 17.5 h, DOWN 22:00-23:30 = 1.5 h.
    expect(b1).toMatchObject({ observedMs: 17.5 * H, downtimeMs: 1.5 * H, outageCount: 1 });
    expect(r.outages.find((o) => o.outage.id === O2)).toMatchObject({
      inPeriodMs: 1.5 * H,
      outage: { status: 'open' },
    });
  });

  it('names lines the catalog lacks by id, under no unit', () => {
    const r = report([lineChange('x9', 'UNKNOWN', 'DOWN', 1), lineChange('x9', 'DOWN', 'UP', 2)]);
    expect(line(r, 'x9')).toMatchObject({ name: 'x9', unit: '', downtimeMs: H });
  });
});

describe('figures per unit and facility', () => {
  it('sums line time but counts wall-clock downtime once when lines overlap', () => {
    const r = report(dayEvents());
    const a = unit(r, 'a');
    // a1 10-12 and a2 11-13: 4 h of line downtime, 3 h (10-13) with a line down, 48 h observed.
    expect(a).toMatchObject({
      name: 'Avdelning A',
      lineDowntimeMs: 4 * H,
      downtimeMs: 3 * H,
      longestDowntimeMs: 3 * H,
    });
    expect(a.observedMs).toBe(48 * H);
    expect(a.availabilityPct).toBeCloseTo((44 / 48) * 100, 10);
    expect(a.outageCount).toBe(1);
    // Facility: 24 + 24 + 18 = 66 h observed, 6 h line downtime, union 10-13 and 22-24 = 5 h.
    expect(r.totals).toMatchObject({ observedMs: 66 * H, lineDowntimeMs: 6 * H, downtimeMs: 5 * H, outageCount: 2 });
    expect(r.totals.availabilityPct).toBeCloseTo((60 / 66) * 100, 10);
  });

  it('shows availability over time per hour for a one-day period', () => {
    const r = report(dayEvents());
    expect(r.series.bucket).toBe('hour');
    expect(r.series.points).toHaveLength(24);
    // 00-01: b1 not yet measured, a1 and a2 up: 2 h observed, none down.
    expect(r.series.points[0]).toMatchObject({ from: at(0), to: at(1), availabilityPct: 100, lineDowntimeMs: 0 });
    // 10-11: only a1 down: 3 line-hours observed, 1 down.
    expect(r.series.points[10]!.availabilityPct).toBeCloseTo((2 / 3) * 100, 10);
    // 11-12: a1 and a2 down.
    expect(r.series.points[11]).toMatchObject({ lineDowntimeMs: 2 * H });
    expect(r.series.points[11]!.availabilityPct).toBeCloseTo((1 / 3) * 100, 10);
  });

  it('buckets a quarter by day and a year by week', () => {
    const quarter = report([], { period: { from: T0, to: T0 + 90 * 24 * H } });
    expect(quarter.series).toMatchObject({ bucket: 'day' });
    expect(quarter.series.points).toHaveLength(90);
    const year = report([], { period: { from: T0, to: T0 + 365 * 24 * H }, asOf: T0 + 400 * 24 * H });
    expect(year.series.bucket).toBe('week');
    expect(year.series.points).toHaveLength(53);
    expect(year.totals.availabilityPct).toBeNull();
  });
});

describe('carrier response', () => {
  const tickets = [
    // O1: reported 10:30, acknowledged 11:00 (30 min); restored by measurement at 13:00 (3 h after 10:00).
    ticket(O1, 10.5, { reportedAt: at(10.5), acknowledgedAt: at(11), status: 'acknowledged' }),
    // O2: reported 22:15, never answered; recovered at 26:00 (4 h after 22:00).
    ticket(O2, 22.25, { reportedAt: at(22.25) }),
  ];

  it('means time to acknowledgement and to restore over the outages that have both ends', () => {
    const r = report([...dayEvents(), ...tickets]);
    expect(r.totals.mttaMs).toBe(30 * MIN);
    expect(r.totals.mttrMs).toBe(3.5 * H);
    expect(unit(r, 'a')).toMatchObject({ mttaMs: 30 * MIN, mttrMs: 3 * H });
    expect(unit(r, 'b')).toMatchObject({ mttaMs: null, mttrMs: 4 * H });
  });

  it("prefers the carrier's restore time for MTTR when the supervisor entered one", () => {
    const restored = ticket(O2, 27, { reportedAt: at(22.25), restoredAt: at(25), status: 'restored' });
    expect(unit(report([...dayEvents(), ...tickets, restored]), 'b').mttrMs).toBe(3 * H);
  });

  it('flags an outage the carrier has not answered N hours after the report', () => {
    // Now 30:00 is 7.75 h after O2's report: overdue at N = 4, still pending at N = 24.
    const strict = report([...dayEvents(), ...tickets], { noResponseHours: 4 });
    expect(strict.totals.overdueCount).toBe(1);
    expect(unit(strict, 'a').overdueCount).toBe(0);
    expect(strict.outages.find((o) => o.outage.id === O2)?.carrierResponse).toBe('overdue');
    expect(strict.outages.find((o) => o.outage.id === O1)?.carrierResponse).toBe('in_time');
    const lenient = report([...dayEvents(), ...tickets], { noResponseHours: 24 });
    expect(lenient.totals.overdueCount).toBe(0);
    expect(lenient.outages.find((o) => o.outage.id === O2)?.carrierResponse).toBe('pending');
  });

  it('still flags a carrier that answered, but only after N hours', () => {
    const late = ticket(O2, 29, { reportedAt: at(22.25), acknowledgedAt: at(28.25), status: 'acknowledged' });
    const r = report([...dayEvents(), ...tickets, late], { noResponseHours: 4 });
    expect(r.outages.find((o) => o.outage.id === O2)?.carrierResponse).toBe('late');
    expect(r.totals.overdueCount).toBe(1);
    // MTTA now (30 min + 6 h) / 2.
    expect(r.totals.mttaMs).toBe((30 * MIN + 6 * H) / 2);
  });

  it('marks outages nobody reported to the carrier', () => {
    expect(report(dayEvents()).outages.every((o) => o.carrierResponse === 'not_reported')).toBe(true);
  });
});

describe('reported outages', () => {
  it('count as down once confirmed or resolved by a supervisor, never when dismissed or unconfirmed', () => {
    const confirmed = reportedOutage('a1', 15);
    const dismissed = reportedOutage('a1', 18);
    const unconfirmed = reportedOutage('a1', 20);
    const events = [
      ...dayEvents(),
      ...confirmed.events,
      event(
        'outage.confirmed',
        confirmed.outageId,
        { outageId: confirmed.outageId, at: at(15.5), note: 'Bekräftat' },
        15.5,
        'S200',
      ),
      event(
        'outage.resolved',
        confirmed.outageId,
        {
          outageId: confirmed.outageId,
          resolvedAt: at(17),
          durationMs: 2 * H,
          reason: 'manual',
          note: 'Fungerar igen',
        },
        17,
        'S200',
      ),
      ...dismissed.events,
      event(
        'outage.dismissed',
        dismissed.outageId,
        { outageId: dismissed.outageId, at: at(19), reason: 'Fel lur' },
        19,
        'S200',
      ),
      ...unconfirmed.events,
    ];
    const r = report(events);
    // a1: measured DOWN 10-12 plus the confirmed report 15-17 = 4 h.
    expect(line(r, 'a1')).toMatchObject({ downtimeMs: 4 * H, outageCount: 3 });
    // The dismissed one is listed in the ledger but not counted.
    expect(r.outages.map((o) => o.outage.status)).toContain('dismissed');
    const row = r.outages.find((o) => o.outage.id === confirmed.outageId)!;
    expect(row.notes.map((n) => [n.kind, n.text, n.by])).toEqual([
      ['confirmed', 'Bekräftat', 'S200'],
      ['resolved', 'Fungerar igen', 'S200'],
    ]);
    expect(row.reports.map((rep) => rep.reportId)).toEqual([confirmed.reportId]);
  });
});

describe('figures are the same however the events arrive', () => {
  it('gives identical reports for shuffled events', () => {
    const events = [...dayEvents(), ticket(O1, 10.5, { reportedAt: at(10.5), acknowledgedAt: at(11) })];
    const shuffled = [...events].reverse();
    expect(report(shuffled)).toEqual(report(events));
  });
});
