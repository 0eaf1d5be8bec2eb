/**
 * From raw events to the facts figures are computed from: line state changes, guard
 * reports, outage ledger entries and the line catalog. The tracker reads events
 * straight from its log; a console may read the same facts from its projections.
 */
import { compareEvents, parseEventPayload, type EventEnvelope } from './events.ts';
import { LINE_STATES, type LineProblemReportedPayload, type LineState } from './telephony.ts';
import { ledgerEntry, type LedgerEntry } from './carrier-ticket-ledger.ts';
import type { LineFact } from './figures.ts';

export interface FacilityFacts {
  facts: LineFact[];
  reports: LineProblemReportedPayload[];
  ledger: LedgerEntry[];
}

/**
 * The fields figures read from a `line.status_changed` payload, checked by hand: a year
 * of history is hundreds of thousands of these, and every payload was validated against
 * its schema where it entered (dispatch, the tracker's push).
 */
function lineFactOf(payload: unknown): LineFact | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as { lineId?: unknown; to?: unknown; evidence?: { at?: unknown } };
  if (typeof p.lineId !== 'string' || !LINE_STATES.includes(p.to as LineState)) return null;
  const at = p.evidence?.at;
  if (typeof at !== 'number' || !Number.isFinite(at)) return null;
  return { lineId: p.lineId, to: p.to as LineState, at };
}

/**
 * Everything one facility logged about lines and outages (other events are ignored).
 * Events are grouped by stream and each stream is put in fold order: figures only need
 * each line's changes in order, never an order across lines.
 */
export function factsFromEvents(events: readonly EventEnvelope[]): FacilityFacts {
  const lineStreams = new Map<string, EventEnvelope[]>();
  const outageStreams = new Map<string, EventEnvelope[]>();
  const reports: LineProblemReportedPayload[] = [];
  const reportEvents: EventEnvelope[] = [];
  for (const e of events) {
    const into = e.type === 'line.status_changed' ? lineStreams : e.type.startsWith('outage.') ? outageStreams : null;
    if (e.type === 'line.problem_reported') reportEvents.push(e);
    if (!into) continue;
    const list = into.get(e.streamId);
    if (list) list.push(e);
    else into.set(e.streamId, [e]);
  }
  for (const e of reportEvents.sort(compareEvents)) {
    const p = parseEventPayload('line.problem_reported', e.payload);
    if (p.success) reports.push(p.data);
  }
  const facts: LineFact[] = [];
  for (const stream of lineStreams.values()) {
    for (const e of stream.sort(compareEvents)) {
      const fact = lineFactOf(e.payload);
      if (fact) facts.push(fact);
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
  /** The HLC of the change: orders states of one line folded from different streams. */
  hlc: string;
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
    .map(([lineId, v]) => ({ lineId, state: v.state, since: v.since, hlc: v.event.hlc }))
    .sort((a, b) => (a.lineId < b.lineId ? -1 : 1));
}
