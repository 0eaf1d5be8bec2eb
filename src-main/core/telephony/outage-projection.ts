/** Outage views folded from each outage's events (see `foldOutage`), and the queries over them. */
import type { Projector } from '../store/event-store.ts';
import type { Db } from '../store/database.ts';
import { foldOutage } from '../../../src-shared/outage-fold.ts';
import { facilityOfFacts } from './facility-identity.ts';
import type { Outage } from '../../../src-shared/outages.ts';

export const outageProjector: Projector = {
  name: 'outages',
  handles: (type) => type.startsWith('outage.'),
  project(db, streamId, events) {
    const folded = foldOutage(events);
    const outage = folded && { ...folded, facilityId: facilityOfFacts(db, folded.facilityId) };
    db.prepare('DELETE FROM outage_lines WHERE outage_id = ?').run(streamId);
    if (!outage) {
      db.prepare('DELETE FROM outages WHERE id = ?').run(streamId);
      return;
    }
    db.prepare(
      `INSERT INTO outages (id, facility_id, kind, status, cause, trunk, opened_at, resolved_at, opened_hlc, updated_hlc, doc)
       VALUES (@id, @facilityId, @kind, @status, @cause, @trunk, @openedAt, @resolvedAt, @openedHlc, @updatedHlc, @doc)
       ON CONFLICT (id) DO UPDATE SET facility_id = excluded.facility_id, kind = excluded.kind, status = excluded.status,
         cause = excluded.cause, trunk = excluded.trunk, opened_at = excluded.opened_at, resolved_at = excluded.resolved_at,
         opened_hlc = excluded.opened_hlc, updated_hlc = excluded.updated_hlc, doc = excluded.doc`,
    ).run({
      id: outage.id,
      facilityId: outage.facilityId,
      kind: outage.kind,
      status: outage.status,
      cause: outage.cause,
      trunk: outage.trunk,
      openedAt: outage.openedAt,
      resolvedAt: outage.resolvedAt,
      openedHlc: outage.openedHlc,
      updatedHlc: outage.updatedHlc,
      doc: JSON.stringify(outage),
    });
    const link = db.prepare('INSERT OR IGNORE INTO outage_lines (outage_id, line_id) VALUES (?, ?)');
    for (const lineId of outage.lineIds) link.run(outage.id, lineId);
  },
};

export function createOutageQueries(db: Db) {
  const openQ = db.prepare<[string], { doc: string }>(
    "SELECT doc FROM outages WHERE facility_id = ? AND status = 'open' ORDER BY opened_at",
  );
  const listQ = db.prepare<[string, number, number], { doc: string }>(
    "SELECT doc FROM outages WHERE facility_id = ? AND (? = 0 OR status = 'open') ORDER BY opened_at DESC LIMIT ?",
  );
  const getQ = db.prepare<[string], { doc: string }>('SELECT doc FROM outages WHERE id = ?');
  // An outage's key is its trunk, or its only line when it has none (outage-model.ts `outageKey`).
  const latestQ = db.prepare<[string, string, string], { id: string }>(
    `SELECT id FROM outages WHERE facility_id = ? AND kind = 'automatic'
       AND (trunk = ? OR (trunk IS NULL AND id IN (SELECT outage_id FROM outage_lines WHERE line_id = ?)))
     ORDER BY opened_at DESC, id DESC LIMIT 1`,
  );
  const parse = (row: { doc: string }) => JSON.parse(row.doc) as Outage;
  return {
    open: (facilityId: string): Outage[] => openQ.all(facilityId).map(parse),
    list: (facilityId: string, onlyOpen: boolean, limit: number): Outage[] =>
      listQ.all(facilityId, onlyOpen ? 1 : 0, limit).map(parse),
    /** The most recent automatic outage with this key: the predecessor of the next one. */
    latestAutomatic: (facilityId: string, key: string): string | null => latestQ.get(facilityId, key, key)?.id ?? null,
    get(id: string): Outage | null {
      const row = getQ.get(id);
      return row ? parse(row) : null;
    },
  };
}
export type OutageQueries = ReturnType<typeof createOutageQueries>;
