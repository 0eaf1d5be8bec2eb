/**
 * Hand-written event histories for the figures tests: a day starting at T0 (UTC
 * midnight), times in hours, events stamped with an HLC at the same instant so fold
 * order follows the story.
 */
import { v7 as uuidv7 } from 'uuid';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope, EventPayload, EventType } from '../../../src-shared/events.ts';
import type { LineEvidence, LineState } from '../../../src-shared/telephony.ts';
import { lineStreamId } from '../../../src-shared/telephony.ts';

export const T0 = Date.UTC(2025, 0, 1);
export const H = 3_600_000;
export const MIN = 60_000;
export const FACILITY = 'kumla';

/** Epoch ms of `hours` after T0 (fractions allowed, negatives are the day before). */
export const at = (hours: number) => T0 + Math.round(hours * H);

let counter = 0;
export function event<T extends EventType>(
  type: T,
  streamId: string,
  payload: EventPayload<T>,
  hours: number,
  actor = 'system:monitor',
  device = 'console-a',
): EventEnvelope {
  counter += 1;
  return {
    id: uuidv7(),
    streamId,
    type,
    payload,
    actor,
    deviceId: device,
    deviceTime: at(hours),
    hlc: encodeHlc({ wallMs: at(hours), counter: counter % 1000, node: device }),
  };
}

export function evidence(hours: number, over: Partial<LineEvidence> = {}): LineEvidence {
  return {
    probeType: 'sip-options',
    ok: false,
    code: 'timeout',
    rttMs: null,
    detail: '',
    failures: 3,
    firstFailureAt: at(hours) - 10_000,
    lastSuccessAt: at(hours) - 15_000,
    at: at(hours),
    ...over,
  };
}

export function lineChange(lineId: string, from: LineState, to: LineState, hours: number): EventEnvelope {
  return event(
    'line.status_changed',
    lineStreamId(FACILITY, lineId),
    { facilityId: FACILITY, lineId, from, to, evidence: evidence(hours, { ok: to === 'UP' }) },
    hours,
  );
}

/** An automatic outage of `lineIds` opened at `openedHours`, resolved at `resolvedHours` unless null. */
export function automaticOutage(
  lineIds: string[],
  openedHours: number,
  resolvedHours: number | null,
  opts: { trunk?: string | null; id?: string } = {},
): EventEnvelope[] {
  const outageId = opts.id ?? uuidv7();
  const events = [
    event(
      'outage.opened',
      outageId,
      {
        facilityId: FACILITY,
        outageId,
        kind: 'automatic',
        cause: opts.trunk ? 'trunk_down' : 'lines_down',
        lineIds,
        trunk: opts.trunk ?? null,
        openedAt: at(openedHours),
        evidence: lineIds.map((lineId) => ({ lineId, evidence: evidence(openedHours) })),
        report: null,
      },
      openedHours,
    ),
  ];
  if (resolvedHours !== null) {
    events.push(
      event(
        'outage.resolved',
        outageId,
        {
          outageId,
          resolvedAt: at(resolvedHours),
          durationMs: at(resolvedHours) - at(openedHours),
          reason: 'recovered',
          note: '',
        },
        resolvedHours,
      ),
    );
  }
  return events;
}

/** A guard's report that opened a `reported` outage on a line that looked UP. */
export function reportedOutage(lineId: string, openedHours: number, reporter = 'G100') {
  const outageId = uuidv7();
  const reportId = uuidv7();
  const report = event(
    'line.problem_reported',
    lineStreamId(FACILITY, lineId),
    {
      facilityId: FACILITY,
      lineId,
      reportId,
      problem: 'no_dial_tone',
      text: 'Ingen ton',
      reporter,
      lineState: 'UP',
      at: at(openedHours),
    },
    openedHours,
    reporter,
  );
  const opened = event(
    'outage.opened',
    outageId,
    {
      facilityId: FACILITY,
      outageId,
      kind: 'reported',
      cause: 'reported',
      lineIds: [lineId],
      trunk: null,
      openedAt: at(openedHours),
      evidence: [{ lineId, evidence: evidence(openedHours, { failures: 0, ok: true, firstFailureAt: null }) }],
      report: { reportId, lineId, problem: 'no_dial_tone', text: 'Ingen ton', reporter },
    },
    openedHours,
    reporter,
  );
  return { outageId, reportId, events: [report, opened] };
}

export function ticket(
  outageId: string,
  hours: number,
  fields: {
    ticketRef?: string;
    reportedAt: number | null;
    acknowledgedAt?: number | null;
    restoredAt?: number | null;
    status?: EventPayload<'outage.carrier_ticket_set'>['status'];
    note?: string;
  },
  actor = 'S200',
): EventEnvelope {
  return event(
    'outage.carrier_ticket_set',
    outageId,
    {
      outageId,
      ticketRef: fields.ticketRef ?? 'TT-1',
      reportedAt: fields.reportedAt,
      acknowledgedAt: fields.acknowledgedAt ?? null,
      restoredAt: fields.restoredAt ?? null,
      status: fields.status ?? 'reported',
      note: fields.note ?? '',
    },
    hours,
    actor,
  );
}
