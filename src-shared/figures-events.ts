/**
 * From raw events to the facts figures are computed from: line state changes, guard
 * reports, outage ledger entries and the line catalog. The tracker reads events
 * straight from its log; a console may read the same facts from its projections.
 */
import { compareEvents, parseEventPayload, type EventEnvelope } from './events.ts';
import type { LineProblemReportedPayload, LineState } from './telephony.ts';
import { ledgerEntry, type LedgerEntry } from './carrier-ticket-ledger.ts';
import type { LineFact } from './figures.ts';

export interface FacilityFacts {
  facts: LineFact[];
  reports: LineProblemReportedPayload[];
  ledger: LedgerEntry[];
}

/** Everything one facility logged about lines and outages (other events are ignored). */
export function factsFromEvents(events: readonly EventEnvelope[]): FacilityFacts {
  const ordered = [...events].sort(compareEvents);
  const facts: LineFact[] = [];
  const reports: LineProblemReportedPayload[] = [];
  const outageStreams = new Map<string, EventEnvelope[]>();
  for (const e of ordered) {
    if (e.type === 'line.status_changed') {
      const p = parseEventPayload('line.status_changed', e.payload);
      if (p.success) facts.push({ lineId: p.data.lineId, to: p.data.to, at: p.data.evidence.at });
    } else if (e.type === 'line.problem_reported') {
      const p = parseEventPayload('line.problem_reported', e.payload);
      if (p.success) reports.push(p.data);
    } else if (e.type.startsWith('outage.')) {
      const list = outageStreams.get(e.streamId) ?? [];
      list.push(e);
      outageStreams.set(e.streamId, list);
    }
  }
  const ledger: LedgerEntry[] = [];
  for (const stream of outageStreams.values()) {
    const entry = ledgerEntry(stream, reports);
    if (entry) ledger.push(entry);
  }
  return { facts, reports, ledger };
}

export interface CurrentLineState {
  lineId: string;
  state: LineState;
  since: number;
}

/** Each line's latest state change in fold order: what HQ shows as the line's state now. */
export function currentLineStates(events: readonly EventEnvelope[]): CurrentLineState[] {
  const latest = new Map<string, { event: EventEnvelope; state: LineState; since: number }>();
  for (const e of events) {
    if (e.type !== 'line.status_changed') continue;
    const p = parseEventPayload('line.status_changed', e.payload);
    if (!p.success) continue;
    const prior = latest.get(p.data.lineId);
    if (!prior || compareEvents(e, prior.event) > 0)
      latest.set(p.data.lineId, { event: e, state: p.data.to, since: p.data.evidence.at });
  }
  return [...latest.entries()]
    .map(([lineId, v]) => ({ lineId, state: v.state, since: v.since }))
    .sort((a, b) => (a.lineId < b.lineId ? -1 : 1));
}
