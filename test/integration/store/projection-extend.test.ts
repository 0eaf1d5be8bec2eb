/**
 * The store folds a stream's new events onto its projection when they sort after everything
 * the stream held (Projector.extend), and re-reads the stream otherwise. Whatever order events
 * arrive in and however they are batched, each incident row must be exactly what folding all
 * of its events gives: that is what makes every console's projectionHash agree.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openEventStore } from '../../../src-main/core/store/event-store.ts';
import { incidentProjector } from '../../../src-main/core/incidents/projection.ts';
import { foldIncident } from '../../../src-shared/incident-fold.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import { projectionHash } from '../../../src-shared/projection-hash.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';
import { corridorThreat } from '../../support/incidents.ts';

interface IncidentRow {
  id: string;
  facility: string;
  unit: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  occurred_at: string;
  reported_by: string;
  created_hlc: string;
  updated_hlc: string;
  note_count: number;
  conflict_count: number;
  doc: string;
}

function columnsOf({ doc: _doc, ...columns }: IncidentRow): Omit<IncidentRow, 'doc'> {
  return columns;
}

function columnsFrom(incident: Incident): Omit<IncidentRow, 'doc'> {
  return {
    id: incident.id,
    facility: incident.facility,
    unit: incident.unit,
    category: incident.category,
    severity: incident.severity,
    status: incident.status,
    title: incident.title,
    occurred_at: incident.occurredAt,
    reported_by: incident.reportedBy,
    created_hlc: incident.createdHlc,
    updated_hlc: incident.updatedHlc,
    note_count: incident.notes.length,
    conflict_count: incident.conflicts.length,
  };
}

const STREAMS = ['0192a0c0-0000-7000-8000-00000000a001', '0192a0c0-0000-7000-8000-00000000a002'];
const CREATED = corridorThreat();

/** One stream's possible events: creations (a second one is a conflict), changes, notes, an archive. */
function streamEvents(stream: string, s: number): EventEnvelope[] {
  let n = 0;
  const ev = (type: EventEnvelope['type'], wallMs: number, device: string, payload: unknown): EventEnvelope => ({
    id: `0192a0c0-0000-7000-8${s}00-${String(++n).padStart(12, '0')}`,
    streamId: stream,
    type,
    payload,
    actor: 'guard-1',
    deviceId: device,
    deviceTime: wallMs,
    hlc: encodeHlc({ wallMs, counter: 0, node: device }),
  });
  return [
    ev('incident.created', 100, 'dev-a', CREATED),
    ev('incident.updated', 90, 'dev-b', { patch: { title: 'before the creation' } }),
    ev('incident.updated', 150, 'dev-b', { patch: { title: 'one', location: 'Rum 1' } }),
    ev('incident.status_changed', 160, 'dev-a', { from: 'open', to: 'acknowledged' }),
    ev('incident.status_changed', 160, 'dev-b', { from: 'open', to: 'resolved' }),
    ev('incident.created', 165, 'dev-c', { ...CREATED, title: 'second creation' }),
    ev('incident.note_added', 180, 'dev-c', { noteId: `0192a0c0-0000-7000-8000-0000000000d${s}`, text: 'n' }),
    ev('incident.status_changed', 190, 'dev-c', { from: 'resolved', to: 'closed' }),
    ev('incident.archived', 400, 'dev-a', { reason: 'retention', retentionDays: 30, lastActivityAt: 190 }),
  ];
}

describe('incident projection, extended or re-read', () => {
  it('leaves each incident row equal to the fold of all its events, whatever the arrival order and batches (property)', () => {
    const pool = STREAMS.flatMap((stream, s) => streamEvents(stream, s));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(pool, { minLength: 1 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: pool.length, maxLength: pool.length }),
        (arrival, sizes) => {
          const store = openEventStore(':memory:');
          try {
            store.registerProjector(incidentProjector);
            for (let at = 0, i = 0; at < arrival.length; i++) {
              store.append(arrival.slice(at, at + sizes[i]!), { received: true });
              at += sizes[i]!;
            }
            for (const stream of STREAMS) {
              const all = store.streamEvents(stream);
              const row = store.db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?').get(stream);
              const archived = all.some((e) => e.type === 'incident.archived');
              const expected = archived ? null : foldIncident(all);
              expect(row ? JSON.parse(row.doc) : null).toEqual(expected);
              // The columns the list filters and sorts on, too: an extension updates only those that changed.
              if (row && expected) expect(columnsOf(row)).toEqual(columnsFrom(expected));
            }
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  /** The first stream's row is the fold of its log: created and acknowledged, the retitle rolled back. */
  function expectRowAcknowledgedUnretitled(store: ReturnType<typeof openEventStore>) {
    const row = store.db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?').get(STREAMS[0]!)!;
    const expected = foldIncident(store.streamEvents(STREAMS[0]!))!;
    expect(expected).toMatchObject({ title: CREATED.title, status: 'acknowledged' });
    expect(JSON.parse(row.doc)).toEqual(expected);
    expect(columnsOf(row)).toEqual(columnsFrom(expected));
  }

  it('folds onto what the row holds after a rolled-back extension, not onto what the rolled-back write left in memory', () => {
    const store = openEventStore(':memory:');
    try {
      store.registerProjector(incidentProjector);
      const [created, , retitled, acknowledged, resolved] = streamEvents(STREAMS[0]!, 0);
      store.append([created!], { received: true });
      expect(() =>
        store.transaction(() => {
          store.append([retitled!], { received: true });
          throw new Error('the command failed after its append');
        }),
      ).toThrow('the command failed');
      store.append([acknowledged!], { received: true });
      // And a savepoint rolled back inside a transaction that commits.
      store.transaction(() => {
        expect(() =>
          store.transaction(() => {
            store.append([resolved!], { received: true });
            throw new Error('one step failed');
          }),
        ).toThrow('one step failed');
      });
      expectRowAcknowledgedUnretitled(store);
    } finally {
      store.close();
    }
  });

  // The projection takes the incident it last wrote without reading its row while no write can
  // have been undone since (issue 12k). A transaction opened on the database itself, not through
  // the store, rolls back behind the store's back: what its appends wrote must not be taken.
  it('folds onto what the row holds after an append in a transaction the store did not open rolled back', () => {
    const store = openEventStore(':memory:');
    try {
      store.registerProjector(incidentProjector);
      const [created, , retitled, acknowledged] = streamEvents(STREAMS[0]!, 0);
      store.append([created!], { received: true });
      expect(() =>
        store.db.transaction(() => {
          store.append([retitled!], { received: true });
          throw new Error('the caller failed after the append');
        })(),
      ).toThrow('the caller failed');
      store.append([acknowledged!], { received: true });
      expectRowAcknowledgedUnretitled(store);
    } finally {
      store.close();
    }
  });

  // Round 12w: the projector keeps the incidents it wrote as objects only, no longer with their
  // documents' text, so under another projectionEpoch (after any rollback) an extension reads and
  // parses its row where it used to compare the row with the kept text and take the kept object.
  // Both ways must write the same bytes: a catch-up folded from the kept objects throughout, and
  // the same catch-up with a rolled-back append before every batch (each extension then folds
  // onto its row's parse), give byte-identical rows and the same projectionHash.
  it('writes byte-identical rows whether an extension folds onto the kept object or onto its row after a rollback', async () => {
    const backlog = offlineBacklog({
      count: 4_000,
      deviceId: '01939b00-0000-7000-8000-00000000b0b0',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'v1234',
      startMs: Date.UTC(2026, 10, 25, 20),
      escalations: true,
    });
    const rowsOf = (rollbackEachBatch: boolean) => {
      const store = openEventStore(':memory:');
      try {
        store.registerProjector(incidentProjector);
        let rolledBack = 0;
        for (let i = 0; i < backlog.events.length; i += 250) {
          if (rollbackEachBatch && i > 0) {
            expect(() =>
              store.transaction(() => {
                store.append(backlog.events.slice(i, i + 1), { received: true });
                throw new Error('undone');
              }),
            ).toThrow('undone');
            rolledBack += 1;
          }
          store.append(backlog.events.slice(i, i + 250), { received: true });
        }
        const rows = store.db.prepare<[], IncidentRow>('SELECT * FROM incidents ORDER BY id').all();
        return { rows, rolledBack };
      } finally {
        store.close();
      }
    };
    const kept = rowsOf(false);
    const reread = rowsOf(true);
    expect(reread.rolledBack).toBe(Math.ceil(backlog.events.length / 250) - 1);
    expect(kept.rows.length).toBe(1_000);
    expect(reread.rows).toEqual(kept.rows);
    for (let i = 0; i < kept.rows.length; i++) expect(reread.rows[i]!.doc).toBe(kept.rows[i]!.doc);
    // Notes and status changes were folded onto stored incidents (not only creations).
    expect(kept.rows.filter((r) => r.note_count === 2 && r.status !== 'open').length).toBeGreaterThan(900);
    const parsed = (rows: IncidentRow[]) => rows.map((r) => JSON.parse(r.doc) as Incident);
    expect(await projectionHash(parsed(reread.rows))).toBe(await projectionHash(parsed(kept.rows)));
  });
});
