/** Incident commands and queries. Commands append events; the projector keeps the view. */
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope, EventType, EventPayload } from '../../../src-shared/events.ts';
import { canTransition, type Incident, type IncidentStatus } from '../../../src-shared/incident.ts';
import type { IncidentSummary } from '../../../src-shared/api.ts';
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { HybridLogicalClock } from '../../../src-shared/hlc.ts';
import type { EventStore } from '../store/event-store.ts';
import type { CallContext, FeatureApp } from '../app.ts';
import { toFtsQuery } from './search.ts';
import type { AccessLog } from '../access-log/index.ts';

export interface IncidentDeps {
  store: EventStore;
  clock: HybridLogicalClock;
  deviceId: string;
  wallClock: () => number;
  /** Records who opened which incident (data protection); absent in tests that do not care. */
  accessLog?: AccessLog;
  /**
   * Issue 15: the facility identity this console adopted from its tracker at enrolment.
   * The form sends the name it shows; a new incident naming it is filed under its id, so
   * the tracker, HQ and every console agree. Any other facility is left as given (and the
   * tracker refuses it, as before).
   */
  adoptedFacility?: () => { id: string; name: string } | null;
}

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
  pending: number;
}

export function incidentsApp(deps: IncidentDeps): FeatureApp {
  const { store } = deps;
  const getDoc = store.db.prepare<[string], { doc: string }>('SELECT doc FROM incidents WHERE id = ?');

  const isArchived = store.db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM incidents_archived WHERE id = ?',
  );

  function load(id: string): Incident {
    const row = getDoc.get(id);
    if (!row) {
      const why = isArchived.get(id) ? `incident ${id} is archived (retention period)` : `no incident ${id}`;
      throw new ApiFailure(apiError('not_found', why, 'id'));
    }
    return JSON.parse(row.doc) as Incident;
  }

  function event<T extends EventType>(
    type: T,
    streamId: string,
    payload: EventPayload<T>,
    ctx: CallContext,
  ): EventEnvelope {
    return {
      id: uuidv7(),
      streamId,
      type,
      payload,
      actor: ctx.actor,
      deviceId: deps.deviceId,
      deviceTime: Math.floor(deps.wallClock()),
      hlc: deps.clock.now(),
    };
  }

  function commit(id: string, events: EventEnvelope[]): Incident {
    store.append(events);
    return load(id);
  }

  return {
    name: 'incidents',
    handlers: {
      'incidents.create'(input, ctx) {
        const { id: requestedId, ...given } = input;
        const adopted = deps.adoptedFacility?.();
        const fields = adopted?.name === given.facility ? { ...given, facility: adopted.id } : given;
        const id = requestedId ?? uuidv7();
        if (requestedId && getDoc.get(requestedId)) return load(requestedId); // a retried submit
        return commit(id, [event('incident.created', id, fields, ctx)]);
      },
      'incidents.update'(input, ctx) {
        load(input.id);
        return commit(input.id, [event('incident.updated', input.id, { patch: input.patch }, ctx)]);
      },
      'incidents.setStatus'(input, ctx) {
        const current = load(input.id);
        if (!canTransition(current.status, input.to)) {
          throw new ApiFailure(apiError('illegal_transition', `cannot go from ${current.status} to ${input.to}`, 'to'));
        }
        const payload = { from: current.status, to: input.to as IncidentStatus, reason: input.reason ?? '' };
        return commit(input.id, [event('incident.status_changed', input.id, payload, ctx)]);
      },
      'incidents.addNote'(input, ctx) {
        load(input.id);
        return commit(input.id, [event('incident.note_added', input.id, { noteId: uuidv7(), text: input.text }, ctx)]);
      },
      'incidents.get'(input, ctx) {
        const incident = load(input.id);
        deps.accessLog?.incidentOpened(input.id, ctx.actor);
        // Views are the access log, not the incident's history.
        const timeline = store.streamEvents(input.id).filter((e) => e.type !== 'incident.viewed');
        return { incident, timeline };
      },
      'incidents.list'(input) {
        const where: string[] = [];
        const params: unknown[] = [];
        const inList = (column: string, values: readonly string[] | undefined) => {
          if (!values || values.length === 0) return;
          where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
          params.push(...values);
        };
        inList('i.status', input.status);
        inList('i.category', input.category);
        inList('i.severity', input.severity);
        const fts = input.query ? toFtsQuery(input.query) : null;
        // The index is written just after each commit: finish any pending part before matching.
        if (fts) store.catchUpDeferred();
        if (fts) {
          where.push('i.rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)');
          params.push(fts);
        }
        const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
        // One search row per incident, so a pure text search counts in the index alone.
        const total = (
          fts && where.length === 1
            ? store.db.prepare('SELECT count(*) AS n FROM incidents_fts WHERE incidents_fts MATCH ?').get(fts)
            : store.db.prepare(`SELECT count(*) AS n FROM incidents i ${clause}`).get(...params)
        ) as { n: number };
        // Many matches: walk the recency index and stop after one page instead of sorting
        // every match; few matches: sorting them is cheaper than walking the index.
        const walk = total.n > DENSE_MATCHES ? 'INDEXED BY incidents_recent' : '';
        const rows = store.db
          .prepare(
            // Page first, then look up sync state for the page only (not for every match).
            `SELECT p.*, EXISTS (SELECT 1 FROM events e WHERE e.stream_id = p.id AND e.synced_at IS NULL
                                   AND e.type <> 'incident.viewed') AS pending
             FROM (SELECT i.* FROM incidents i ${walk} ${clause} ORDER BY i.created_hlc DESC LIMIT ? OFFSET ?) p
             ORDER BY p.created_hlc DESC`,
          )
          .all(...params, input.limit, input.offset) as IncidentRow[];
        return { items: rows.map(toSummary), total: total.n };
      },
    },
  };
}

/** Above this many matches a page is found faster by walking the recency index. */
const DENSE_MATCHES = 2000;

function toSummary(row: IncidentRow): IncidentSummary {
  return {
    id: row.id,
    facility: row.facility,
    unit: row.unit,
    category: row.category as IncidentSummary['category'],
    severity: row.severity as IncidentSummary['severity'],
    status: row.status as IncidentSummary['status'],
    title: row.title,
    occurredAt: row.occurred_at,
    reportedBy: row.reported_by,
    createdHlc: row.created_hlc,
    updatedHlc: row.updated_hlc,
    noteCount: row.note_count,
    conflictCount: row.conflict_count,
    pendingSync: row.pending === 1,
  };
}
