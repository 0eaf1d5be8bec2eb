/** Incident commands and queries. Commands append events; the projector keeps the view. */
import { timeOrderedId } from '../time-ordered-ids.ts';
import { parsedPayload, type EventEnvelope, type EventType, type EventPayload } from '../../../src-shared/events.ts';
import { canTransition, type Incident, type IncidentStatus } from '../../../src-shared/incident.ts';
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { HybridLogicalClock } from '../../../src-shared/hlc.ts';
import type { EventStore } from '../store/event-store.ts';
import type { CallContext, FeatureApp } from '../app.ts';
import { listIncidents, type IncidentListOutput, type IncidentListQuery } from './list.ts';
import type { AccessLog } from '../access-log/index.ts';
import { incidentWritten } from './projection.ts';

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
  /**
   * Lists and searches (issue 16): the core passes the background reader, so a search over
   * 100,000 incidents never holds its thread; absent, the list is read in-thread.
   */
  list?: (input: IncidentListQuery) => Promise<IncidentListOutput>;
  /**
   * The escalation runner (absent in tests without one): a new incident that a policy makes
   * escalate has its escalation started in the create's own transaction, so the guard's alarm
   * waits for one commit and one disk flush, not two (round 16u: a threat's create committed
   * twice, the second time for the start the runner appended after the first commit).
   */
  escalation?: {
    startsFor(incident: Pick<Incident, 'category' | 'severity'>): boolean;
    checkInCommand(incidentId: string): void;
  };
}

/** A new incident's append: its stream and its event's id were made here (UUIDv7), so the log holds neither. */
const FRESH = { newStreams: true, heldIds: new Set<string>() } as const;

export function incidentsApp(deps: IncidentDeps): FeatureApp {
  const { store } = deps;
  const getDoc = store.db.prepare<[string], { doc: string }>('SELECT doc FROM incidents WHERE id = ?');

  const isArchived = store.db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM incidents_archived WHERE id = ?',
  );

  /**
   * The incident: the one the projector just wrote when it still holds it (a command's own
   * commit, a recent command on the same incident), else its row. Read-only: the object may
   * be the projector's (`incidentWritten`).
   */
  function load(id: string): Incident {
    return incidentWritten(store.db, id) ?? read(id);
  }

  function read(id: string): Incident {
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
      id: timeOrderedId(),
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
        const id = requestedId ?? timeOrderedId();
        if (requestedId && getDoc.get(requestedId)) return load(requestedId); // a retried submit
        // `given` is the dispatch's parse of IncidentFields (plus an id), so the fold need not
        // parse it again, unless the facility is the adopted id, which the tracker chose.
        const payload = fields === given ? parsedPayload('incident.created', fields) : fields;
        const created = event('incident.created', id, payload, ctx);
        // Made here, the incident's id and its event's are new to the log: neither is looked up.
        const options = requestedId ? undefined : FRESH;
        const escalation = deps.escalation;
        if (!escalation?.startsFor(payload)) {
          store.append([created], options);
          return load(id);
        }
        store.transaction(() => {
          store.append([created], options);
          escalation.checkInCommand(id);
        });
        return load(id);
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
        return commit(input.id, [
          event('incident.note_added', input.id, { noteId: timeOrderedId(), text: input.text }, ctx),
        ]);
      },
      'incidents.get'(input, ctx) {
        const incident = load(input.id);
        deps.accessLog?.incidentOpened(input.id, ctx.actor);
        // Views are the access log, not the incident's history.
        const timeline = store.streamEvents(input.id).filter((e) => e.type !== 'incident.viewed');
        return { incident, timeline };
      },
      'incidents.list': (input) => {
        // The search index is written just after each commit: finish any pending part here,
        // on the writer, before the (possibly background) reader matches against it.
        if (input.query) store.catchUpDeferred();
        return deps.list ? deps.list(input) : listIncidents(store.db, input);
      },
    },
  };
}
