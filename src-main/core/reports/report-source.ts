/**
 * Reads what a period report needs from the console's projections: line state changes
 * (the last one before the period and every one inside it, in fold order), guard
 * reports, the outages overlapping the period folded into ledger entries, and the
 * facility's latest line catalogue. The tracker gets the same facts from its event log.
 */
import type { Db } from '../store/database.ts';
import { facilityOfFacts } from '../telephony/facility-identity.ts';
import type { EventStore } from '../store/event-store.ts';
import { ledgerEntry, type LedgerEntry } from '../../../src-shared/carrier-ticket-ledger.ts';
import { catalogStreamId, type LineCatalog } from '../../../src-shared/figures-catalog.ts';
import { foldLineCatalog } from '../../../src-shared/figures-catalog-fold.ts';
import type { LineFact, Period } from '../../../src-shared/figures.ts';
import type { LineProblemReportedPayload, LineState } from '../../../src-shared/telephony.ts';
import type { LineVoiceTestedPayload } from '../../../src-shared/voice.ts';

export interface ReportFacts {
  facts: LineFact[];
  ledger: LedgerEntry[];
  catalog: LineCatalog | null;
  voiceCalls: LineVoiceTestedPayload[];
}

type FactRow = { line_id: string; to_state: string; at: number; hlc: string; device_id: string; event_id: string };

/** What the facts are read from: the store, or a read-only connection in the background worker. */
export type ReportStore = Pick<EventStore, 'db' | 'streamEvents'>;

export function createReportSource(store: ReportStore) {
  const db: Db = store.db;
  const q = {
    // The state each line was in when the period began: its latest change before then, in fold order.
    before: db.prepare<[string, number], FactRow>(
      // SQLite takes bare columns from the row holding max(hlc).
      `SELECT line_id, to_state, at, max(hlc) AS hlc, device_id, event_id FROM line_status_history
        WHERE facility_id = ? AND at < ? GROUP BY line_id`,
    ),
    during: db.prepare<[string, number, number], FactRow>(
      `SELECT line_id, to_state, at, hlc, device_id, event_id FROM line_status_history
        WHERE facility_id = ? AND at >= ? AND at < ? ORDER BY hlc, device_id, event_id`,
    ),
    outages: db.prepare<[string, number, number], { id: string }>(
      `SELECT id FROM outages WHERE facility_id = ? AND opened_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)`,
    ),
    outage: db.prepare<[string], { id: string; facility_id: string }>(
      'SELECT id, facility_id FROM outages WHERE id = ?',
    ),
    // Test calls live in one stream per line, `voice:<facility>:<line>`: a range on the stream index.
    voice: db.prepare<[string, string, number, number], { payload: string }>(
      `SELECT payload FROM events WHERE stream_id >= ? AND stream_id < ? AND type = 'line.voice_tested'
        AND json_extract(payload, '$.at') >= ? AND json_extract(payload, '$.at') < ?`,
    ),
    reports: db.prepare<[string, number], { doc: string }>(
      "SELECT doc FROM line_reports WHERE facility_id = ? AND json_extract(doc, '$.at') >= ? ORDER BY hlc",
    ),
  };

  /**
   * The stream-id range of the facility's test calls. Once this console adopted the
   * tracker's facility, calls recorded under its config's id are the adopted one's too
   * (telephony/facility-identity.ts): the store holds no other facility's calls.
   */
  function voiceStreams(facilityId: string): [string, string] {
    const adopted = facilityOfFacts(db, '') === facilityId;
    return adopted ? ['voice:', 'voice;'] : [`voice:${facilityId}:`, `voice:${facilityId};`];
  }

  function reportsSince(facilityId: string, from: number): LineProblemReportedPayload[] {
    return q.reports.all(facilityId, from).map((r) => JSON.parse(r.doc) as LineProblemReportedPayload);
  }

  function entry(outageId: string, reports: readonly LineProblemReportedPayload[]): LedgerEntry | null {
    return ledgerEntry(store.streamEvents(outageId), reports);
  }

  return {
    catalog(facilityId: string): LineCatalog | null {
      return foldLineCatalog(store.streamEvents(catalogStreamId(facilityId)));
    },

    facts(facilityId: string, period: Period, asOf: number): ReportFacts {
      const end = Math.min(period.to, asOf);
      const rows = [
        ...q.before.all(facilityId, period.from),
        ...q.during.all(facilityId, period.from, Math.max(end, period.from)),
      ].sort((a, b) =>
        a.hlc !== b.hlc
          ? a.hlc < b.hlc
            ? -1
            : 1
          : a.device_id !== b.device_id
            ? a.device_id < b.device_id
              ? -1
              : 1
            : a.event_id < b.event_id
              ? -1
              : a.event_id > b.event_id
                ? 1
                : 0,
      );
      const ids = q.outages.all(facilityId, end, period.from).map((r) => r.id);
      const streams = ids.map((id) => store.streamEvents(id));
      // A loop, not Math.min(...all): a year of outages is more arguments than the stack holds.
      let earliest = period.from;
      for (const s of streams) for (const e of s) if (e.deviceTime < earliest) earliest = e.deviceTime;
      const reports = reportsSince(facilityId, earliest - 86_400_000);
      const ledger = streams.map((s) => ledgerEntry(s, reports)).filter((e): e is LedgerEntry => e !== null);
      return {
        facts: rows.map((r) => ({ lineId: r.line_id, to: r.to_state as LineState, at: r.at })),
        ledger,
        catalog: this.catalog(facilityId),
        voiceCalls: q.voice
          .all(...voiceStreams(facilityId), period.from, Math.max(end, period.from))
          .map((r) => JSON.parse(r.payload) as LineVoiceTestedPayload),
      };
    },

    /** One outage's ledger entry, with the guard reports filed since a day before it opened. */
    ledgerEntry(outageId: string): LedgerEntry | null {
      const row = q.outage.get(outageId);
      if (!row) return null;
      const events = store.streamEvents(outageId);
      const from = Math.min(...events.map((e) => e.deviceTime));
      return entry(outageId, reportsSince(row.facility_id, from - 86_400_000));
    },
  };
}
export type ReportSource = ReturnType<typeof createReportSource>;
