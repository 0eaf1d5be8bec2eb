/**
 * Line views folded from each line's events: current state (the latest status change
 * in HLC order, so consoles that sync converge), state history, and guard reports.
 */
import type { Projector } from '../store/event-store.ts';
import type { Db } from '../store/database.ts';
import { facilityOfFacts } from './facility-identity.ts';
import { compareEvents, parseEventPayload } from '../../../src-shared/events.ts';
import type {
  LineEvidence,
  LineProblemReportedPayload,
  LineState,
  LineTransition,
  LineView,
} from '../../../src-shared/telephony.ts';

export const lineProjector: Projector = {
  name: 'lines',
  handles: (type) => type.startsWith('line.'),
  project(db, _streamId, events) {
    const ordered = [...events].sort(compareEvents);
    const insertHistory = db.prepare(
      `INSERT OR IGNORE INTO line_status_history (event_id, facility_id, line_id, from_state, to_state, at, hlc, device_id, evidence)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertReport = db.prepare(
      'INSERT OR IGNORE INTO line_reports (report_id, event_id, facility_id, line_id, hlc, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    let status: {
      facilityId: string;
      lineId: string;
      state: LineState;
      since: number;
      evidence: LineEvidence;
      hlc: string;
    } | null = null;
    let report: (LineProblemReportedPayload & { hlc: string }) | null = null;
    for (const e of ordered) {
      if (e.type === 'line.status_changed') {
        const p = parseEventPayload('line.status_changed', e.payload);
        if (!p.success) continue;
        const { lineId, from, to, evidence } = p.data;
        const facilityId = facilityOfFacts(db, p.data.facilityId);
        insertHistory.run(e.id, facilityId, lineId, from, to, evidence.at, e.hlc, e.deviceId, JSON.stringify(evidence));
        status = { facilityId, lineId, state: to, since: evidence.at, evidence, hlc: e.hlc };
      } else if (e.type === 'line.problem_reported') {
        const p = parseEventPayload('line.problem_reported', e.payload);
        if (!p.success) continue;
        const facilityId = facilityOfFacts(db, p.data.facilityId);
        insertReport.run(p.data.reportId, e.id, facilityId, p.data.lineId, e.hlc, JSON.stringify(p.data));
        report = { ...p.data, facilityId, hlc: e.hlc };
      }
    }
    const facilityId = status?.facilityId ?? report?.facilityId;
    const lineId = status?.lineId ?? report?.lineId;
    if (facilityId === undefined || lineId === undefined) return;
    const lastReport = report
      ? JSON.stringify({ problem: report.problem, text: report.text, reporter: report.reporter, at: report.at })
      : null;
    db.prepare(
      `INSERT INTO line_status (facility_id, line_id, state, since, evidence, last_report, updated_hlc)
       VALUES (@facilityId, @lineId, @state, @since, @evidence, @lastReport, @hlc)
       ON CONFLICT (facility_id, line_id) DO UPDATE SET state = excluded.state, since = excluded.since,
         evidence = excluded.evidence, last_report = excluded.last_report, updated_hlc = excluded.updated_hlc
         -- A line has a second stream once its console adopts the tracker's facility id
         -- (facility-identity.ts): an older stream's late event never undoes a newer state.
         WHERE excluded.updated_hlc >= line_status.updated_hlc`,
    ).run({
      facilityId,
      lineId,
      state: status?.state ?? 'UNKNOWN',
      since: status?.since ?? null,
      evidence: status ? JSON.stringify(status.evidence) : null,
      lastReport,
      hlc: [status?.hlc, report?.hlc]
        .filter((h): h is string => !!h)
        .sort()
        .at(-1)!,
    });
  },
};

export interface StoredLineStatus {
  state: LineState;
  since: number | null;
  evidence: LineEvidence | null;
  lastReport: LineView['lastReport'];
}

export function createLineQueries(db: Db) {
  const statusQ = db.prepare<
    [string],
    { line_id: string; state: string; since: number | null; evidence: string | null; last_report: string | null }
  >('SELECT line_id, state, since, evidence, last_report FROM line_status WHERE facility_id = ?');
  const historyQ = db.prepare<
    [string, string, number],
    {
      event_id: string;
      from_state: string;
      to_state: string;
      at: number;
      hlc: string;
      device_id: string;
      evidence: string;
    }
  >(
    `SELECT * FROM (SELECT event_id, from_state, to_state, at, hlc, device_id, evidence FROM line_status_history
       WHERE facility_id = ? AND line_id = ? ORDER BY hlc DESC, device_id DESC, event_id DESC LIMIT ?) ORDER BY hlc, device_id, event_id`,
  );
  const reportsQ = db.prepare<[string, string, number], { doc: string }>(
    'SELECT doc FROM (SELECT doc, hlc FROM line_reports WHERE facility_id = ? AND line_id = ? ORDER BY hlc DESC LIMIT ?) ORDER BY hlc',
  );
  return {
    /** Every line of the facility that has events, by line id. */
    statuses(facilityId: string): Map<string, StoredLineStatus> {
      const out = new Map<string, StoredLineStatus>();
      for (const row of statusQ.all(facilityId)) {
        out.set(row.line_id, {
          state: row.state as LineState,
          since: row.since,
          evidence: row.evidence ? (JSON.parse(row.evidence) as LineEvidence) : null,
          lastReport: row.last_report ? (JSON.parse(row.last_report) as LineView['lastReport']) : null,
        });
      }
      return out;
    },
    transitions(facilityId: string, lineId: string, limit: number): LineTransition[] {
      return historyQ.all(facilityId, lineId, limit).map((r) => ({
        eventId: r.event_id,
        from: r.from_state as LineState,
        to: r.to_state as LineState,
        at: r.at,
        hlc: r.hlc,
        deviceId: r.device_id,
        evidence: JSON.parse(r.evidence) as LineEvidence,
      }));
    },
    reports(facilityId: string, lineId: string, limit: number): LineProblemReportedPayload[] {
      return reportsQ.all(facilityId, lineId, limit).map((r) => JSON.parse(r.doc) as LineProblemReportedPayload);
    },
  };
}
export type LineQueries = ReturnType<typeof createLineQueries>;
