/** Escalation projection: one row per escalation, folded from its stream by the pure model. */
import { ESCALATION_STATUSES, type EscalationStatus, type EscalationView } from '../../../src-shared/escalation.ts';
import type { Db } from '../store/database.ts';
import type { Statement } from 'better-sqlite3';
import { projectionEpoch, type Projector } from '../store/event-store.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import { continueEscalation, foldEscalation, toView, type EscalationState } from './model.ts';

/** Prepared once per database (better-sqlite3 does not cache `prepare`; a catch-up starts hundreds). */
const upserts = new WeakMap<Db, Statement>();

/** Escalations kept folded (a catch-up's escalations are driven right after their batch's commit). */
const FOLDS_KEPT = 4_096;

/**
 * The fold the projector last made of each escalation, keyed by the chain hash of the stream's
 * last event in the log (the highest seq). The runner drives an escalation right after the
 * append that projected it (a received batch, or its own step), and read the whole stream and
 * folded it again each time (receiver's profile, issue 12i/12j). The chain hash covers the
 * whole log up to that event, so while the stream's last row holds it, the stream holds exactly
 * the events that were folded: an append rolled back, or a stream grown since, is never
 * mistaken for the kept one. A fold is pure of its events and nobody changes a state after it.
 * While no write can have been undone since the fold was kept (`projectionEpoch` unchanged: no
 * rollback, no append in a transaction the store did not open), the stream's last row is the
 * kept one without reading it: every event appended to an escalation's stream passes through
 * this projector, which keeps its new fold (issue 12k: the runner's drive and the extension each
 * read the stream's last row for every escalation of a catch-up).
 */
const folds = new WeakMap<
  Db,
  {
    kept: Map<string, { hash: string; epoch: number; state: EscalationState }>;
    last: Statement<[string], { hash: string }>;
    lastBefore: Statement<[string, number], { hash: string }>;
  }
>();

function foldsOf(db: Db) {
  let f = folds.get(db);
  if (!f) {
    f = {
      kept: new Map(),
      last: db.prepare<[string], { hash: string }>(
        'SELECT hash FROM events WHERE stream_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      lastBefore: db.prepare<[string, number], { hash: string }>(
        'SELECT hash FROM events WHERE stream_id = ? AND seq < ? ORDER BY seq DESC LIMIT 1',
      ),
    };
    folds.set(db, f);
  }
  return f;
}

function keep(db: Db, events: readonly StoredEvent[], state: EscalationState): void {
  let last: StoredEvent | undefined;
  for (const e of events) if (!last || e.seq > last.seq) last = e;
  if (!last) return;
  const { kept } = foldsOf(db);
  kept.delete(state.escalationId);
  kept.set(state.escalationId, { hash: last.hash, epoch: projectionEpoch(db), state });
  if (kept.size > FOLDS_KEPT) kept.delete(kept.keys().next().value!);
}

/**
 * The escalation's state as folding its stream gives it: the projector's fold when the log's
 * stream is still the one it folded, otherwise `read()` folded here.
 */
export function escalationState(
  db: Db,
  escalationId: string,
  read: () => readonly StoredEvent[],
): EscalationState | null {
  const f = foldsOf(db);
  const kept = f.kept.get(escalationId);
  if (kept && (kept.epoch === projectionEpoch(db) || f.last.get(escalationId)?.hash === kept.hash)) return kept.state;
  return foldEscalation(read());
}

/**
 * The projector's fold of the escalation when it holds one kept under the current
 * `projectionEpoch` (so the stream is still what it folded), without reading anything; null
 * otherwise. The runner's decision that a drive has nothing due takes only this: where a read and a
 * fold would be needed, the drive itself does them (round 12aa).
 */
export function keptEscalationState(db: Db, escalationId: string): EscalationState | null {
  const kept = foldsOf(db).kept.get(escalationId);
  return kept && kept.epoch === projectionEpoch(db) ? kept.state : null;
}

export const escalationProjector: Projector = {
  name: 'escalations',
  handles: (type) => type.startsWith('escalation.'),
  project(db, streamId, events) {
    const state = foldEscalation(events);
    if (!state) return; // steps pulled before their start: the row appears when the start arrives
    keep(db, events, state);
    write(db, state);
  },
  /**
   * The new events folded onto the kept fold of what the stream held, when that fold is of
   * exactly those events: the stream's last row before this append's still holds the chain hash
   * it was kept with. The stream need not be read back (a catch-up re-read each escalation's
   * stream at every batch that touched it).
   */
  extend(db, streamId, fresh) {
    const f = foldsOf(db);
    const kept = f.kept.get(streamId);
    if (!kept) return false;
    if (kept.epoch !== projectionEpoch(db)) {
      let firstSeq = Number.POSITIVE_INFINITY;
      for (const e of fresh) if (e.seq < firstSeq) firstSeq = e.seq;
      if (f.lastBefore.get(streamId, firstSeq)?.hash !== kept.hash) return false;
    }
    const state = continueEscalation(kept.state, fresh);
    keep(db, fresh, state);
    write(db, state);
    return true;
  },
};

function write(db: Db, state: EscalationState): void {
  const view = toView(state);
  let upsert = upserts.get(db);
  if (!upsert) {
    upsert = db.prepare(
      `INSERT INTO escalations (escalation_id, incident_id, status, unit, severity, started_at, next_due_at, doc)
       VALUES (@escalationId, @incidentId, @status, @unit, @severity, @startedAt, @nextDueAt, @doc)
       ON CONFLICT (escalation_id) DO UPDATE SET status = excluded.status, unit = excluded.unit,
         severity = excluded.severity, next_due_at = excluded.next_due_at, doc = excluded.doc`,
    );
    upserts.set(db, upsert);
  }
  upsert.run({ ...view, doc: JSON.stringify(view) });
}

export interface EscalationQueries {
  view(escalationId: string): EscalationView | null;
  list(filter: { status?: readonly EscalationStatus[]; incidentId?: string; limit: number }): EscalationView[];
  /** Escalations that still need attention (active or exhausted), oldest first. */
  open(): EscalationView[];
  countForIncident(incidentId: string): number;
  openForIncident(incidentId: string): EscalationView[];
}

/**
 * The statuses of escalations that still need attention, as an SQL list: `status IN (…)` is a
 * search of the (status, started_at) index, where `status != 'resolved'` scanned every
 * escalation the console ever held, and the alarm feed reads them after every escalation
 * change (a threat's create: ~0.1 ms with 400 resolved behind it, growing with the history;
 * round 16u).
 */
const OPEN_STATUSES = ESCALATION_STATUSES.filter((s) => s !== 'resolved')
  .map((s) => `'${s}'`)
  .join(', ');

export function createEscalationQueries(db: Db): EscalationQueries {
  const q = {
    view: db.prepare<[string], { doc: string }>('SELECT doc FROM escalations WHERE escalation_id = ?'),
    open: db.prepare<[], { doc: string }>(
      `SELECT doc FROM escalations WHERE status IN (${OPEN_STATUSES}) ORDER BY started_at, escalation_id`,
    ),
    count: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM escalations WHERE incident_id = ?'),
    openFor: db.prepare<[string], { doc: string }>(
      "SELECT doc FROM escalations WHERE incident_id = ? AND status != 'resolved'",
    ),
  };
  const parse = (row: { doc: string }) => JSON.parse(row.doc) as EscalationView;
  return {
    view(escalationId) {
      const row = q.view.get(escalationId);
      return row ? parse(row) : null;
    },
    list({ status, incidentId, limit }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (status && status.length > 0) {
        where.push(`status IN (${status.map(() => '?').join(', ')})`);
        params.push(...status);
      }
      if (incidentId) {
        where.push('incident_id = ?');
        params.push(incidentId);
      }
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const rows = db
        .prepare(`SELECT doc FROM escalations ${clause} ORDER BY started_at DESC, escalation_id LIMIT ?`)
        .all(...params, limit) as { doc: string }[];
      return rows.map(parse);
    },
    open: () => q.open.all().map(parse),
    countForIncident: (incidentId) => q.count.get(incidentId)?.n ?? 0,
    openForIncident: (incidentId) => q.openFor.all(incidentId).map(parse),
  };
}
