/**
 * Runs escalations on this console: starts them when a committed incident matches a
 * policy (whether logged here or pulled from the tracker), records each due step as an
 * event, and keeps one timer per open escalation for the next deadline. Timers are
 * rebuilt from the log on start, so a restart mid-escalation resumes where it stood,
 * and a deadline that passed while the console was off is acted on at once.
 *
 * All work goes through one queue: appending a step commits, the commit is observed,
 * and the observation only enqueues, so nothing re-enters half-way through a step.
 */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import { EscalationStartedPayload, matchingPolicy, type EscalationPolicy } from '../../../src-shared/escalation.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { IncidentStatusChangedPayload, parsedPayload } from '../../../src-shared/events.ts';
import { canTransition, type Incident } from '../../../src-shared/incident.ts';
import type { Role } from '../../../src-shared/staff.ts';
import { projectionEpoch, type AppendResult, type EventStore } from '../store/event-store.ts';
import { SYSTEM_ACTOR, type EventFactory } from '../event-factory.ts';
import type { Timers } from '../timers.ts';
import type { Logger } from '../app.ts';
import type { Roster } from '../auth/index.ts';
import {
  decideAcknowledge,
  dueAction,
  escalationIdFor,
  foldEscalation,
  nextAction,
  stepCount,
  stepEventId,
  type EscalationState,
} from './model.ts';
import { escalationState, keptEscalationState, type EscalationQueries } from './projection.ts';
import { resolveTargets } from './targets.ts';
import { incidentWritten, incidentWrittenNow } from '../incidents/projection.ts';

export interface RunnerDeps {
  store: EventStore;
  queries: EscalationQueries;
  roster: Roster;
  event: EventFactory;
  wallClock: () => number;
  timers: Timers;
  /** Read at each decision, so a config reload applies to the next escalation step. */
  policies: () => readonly EscalationPolicy[];
  logger: Logger;
  /** After a batch of work: these escalations changed (push, alarms). */
  changed(escalationIds: string[]): void;
}

export interface EscalationRunner {
  /** Rebuild timers from the log and act on anything that fell due while the console was off. */
  resume(): void;
  start(incidentId: string, actor: string, policyId?: string): EscalationState;
  /** Whether an incident of this category and severity starts an escalation by itself (a policy matches). */
  startsFor(incident: Pick<Incident, 'category' | 'severity'>): boolean;
  /**
   * The check a commit of the incident prompts, now, inside the command's own transaction: a
   * new threat's escalation start commits with the incident (one commit and one disk flush
   * before the alarm, not two). A failure is logged and its savepoint rolled back; the check
   * after the commit then tries again, as for any incident.
   */
  checkInCommand(incidentId: string): void;
  acknowledge(escalationId: string, by: { staffNumber: string; role: Role }): EscalationState;
  load(escalationId: string): EscalationState | null;
  stop(): void;
}

const CLOSED_STATUSES = new Set(['resolved', 'closed']);

export function createEscalationRunner(deps: RunnerDeps): EscalationRunner {
  const { store, queries, event, wallClock, timers } = deps;
  const getIncident = store.db.prepare<[string], { doc: string }>('SELECT doc FROM incidents WHERE id = ?');
  // What a check decides on: the incident row's columns, how many escalations it has had and
  // how many of them are not resolved (a closed incident's check resolves those, round 12aa).
  const TRIAGE = `SELECT id, status, category, severity,
                         (SELECT count(*) FROM escalations e WHERE e.incident_id = i.id) AS escalations,
                         (SELECT count(*) FROM escalations e
                           WHERE e.incident_id = i.id AND e.status != 'resolved') AS open
                    FROM incidents i`;
  const getTriage = store.db.prepare<[string], Triage>(`${TRIAGE} WHERE id = ?`);
  const getTriages = store.db.prepare<[string], Triage>(`${TRIAGE} WHERE id IN (SELECT value FROM json_each(?))`);
  // `+status`: by the asked ids (the primary key), not by the status index, where SQLite went
  // through every escalation ever resolved to find the few asked for (round 16u: each threat's
  // create drains its incident's check and its escalation's drive together).
  const getResolved = store.db
    .prepare<[string], string>(
      `SELECT escalation_id FROM escalations
        WHERE +status = 'resolved' AND escalation_id IN (SELECT value FROM json_each(?))`,
    )
    .pluck();
  const deadlines = new Map<string, unknown>();
  const toDrive = new Set<string>();
  const toCheck = new Set<string>();
  /**
   * Read ahead for the checks and drives of one slice, in two statements instead of two per
   * check (a catch-up checks thousands of incidents, nearly all ending at the row's status,
   * the escalation count or the policy). A pre-read stays true until that incident's own check:
   * a step writes only its own incident's and escalation's rows (a check starts or resolves
   * that incident's escalations, a drive records its escalation's steps). Resolved is final
   * (nothing after a resolution changes an escalation), so a drive of one has only its timer
   * to clear. Both are forgotten when the slice ends.
   */
  const triaged = new Map<string, Triage | null>();
  const resolved = new Set<string>();
  const changedIds = new Set<string>();
  let draining = false;
  let stopped = false;

  // The escalation projector's fold of the same stream when the log still holds what it folded.
  const load = (escalationId: string) =>
    escalationState(store.db, escalationId, () => store.streamEvents(escalationId));
  // Read, never kept or changed: the incident the projector just wrote when it still holds it
  // (the check of a command's own incident runs right after its commit), else its row.
  const incident = (id: string): Incident | null => {
    const written = incidentWritten(store.db, id);
    if (written) return written;
    const row = getIncident.get(id);
    return row ? (JSON.parse(row.doc) as Incident) : null;
  };

  /**
   * Incidents checked inside the command that commits them (checkInCommand), with the store's
   * projection epoch then: their commit needs no second check (it found their escalation
   * started, and read the triage again, round 16u). A rollback changes the epoch, so a mark of
   * an undone command is never taken; the marks go at each commit's observation.
   */
  const checkedInCommand = new Map<string, number>();

  function observe(result: AppendResult) {
    if (stopped) return;
    const epoch = checkedInCommand.size > 0 ? projectionEpoch(store.db) : -1;
    // Indexed: called once per commit, mostly before V8 optimises it, where a for-of made an
    // iterator result per stored event (heap sampling of a catch-up, round 12q).
    for (let i = 0; i < result.stored.length; i++) {
      const e = result.stored[i]!;
      if (e.type.startsWith('escalation.')) {
        toDrive.add(e.streamId);
        changedIds.add(e.streamId);
      } else if (
        e.type === 'incident.created' ||
        e.type === 'incident.updated' ||
        e.type === 'incident.status_changed'
      ) {
        if (checkedInCommand.get(e.streamId) !== epoch) toCheck.add(e.streamId);
      }
    }
    checkedInCommand.clear();
    drain();
  }

  /**
   * Escalation steps of a catch-up share one transaction, for at most STEP_SLICE_MS of the
   * core's thread and STEPS_PER_COMMIT steps. Most steps of a catch-up are checks that find
   * the incident handled or not matching and write nothing: counted 64 to a commit, a mesh
   * catch-up paid a disk flush for every 64 checks, most of them writing nothing (receiver's
   * profile, npm run bench mesh; docs/performance.md "The mesh catch-up").
   */
  const STEPS_PER_COMMIT = 512;
  const STEP_SLICE_MS = 20;
  /**
   * A catch-up's steps commit without waiting for their fsync (the store syncs the WAL on
   * libuv's pool, issue 12p): each of these commits held the receiving console's thread for a
   * `synchronous=FULL` flush while a peer's next frames waited (B's own commits, these among
   * them, made 15 of its thread's 16 syncs during a mesh catch-up: strace in
   * bench/results/history/12p-pairs). No one sees them earlier than
   * before: the store announces them (and so this runner's `changed`, the alarms) and shares
   * them with peers and the tracker only once they are on disk. A power cut before that
   * takes them back with what was received after them; the events that prompted them are
   * ahead of them in the WAL, as they were ahead of a durable commit of them (which a cut
   * during its fsync took back the same way; `resume` drives open escalations only, so such a
   * start waits for the author's own, as before, only the window is now the pool's flush
   * rather than the thread's). These are not a user's command: `start` and
   * `acknowledge`, and the few steps of live events, keep their durable commit: a drain that
   * began with fewer than CATCH_UP_STEPS checks and drives waiting. With every slice flushLater
   * the LAN alarm's p95 was higher in three of three runs (mesh bench, alarm part); likely
   * cause: a live event's own flush then queues on the pool behind the steps of the one before.
   */
  const CATCH_UP_COMMIT = { flushLater: true } as const;
  const CATCH_UP_STEPS = 16;

  function drain() {
    if (draining) return;
    draining = true;
    try {
      const waiting = () => toCheck.size > 0 || toDrive.size > 0;
      let pass = 0;
      const step = () => {
        const incidentId = first(toCheck);
        if (incidentId !== null) {
          toCheck.delete(incidentId);
          const known = triaged.get(incidentId);
          triaged.delete(incidentId);
          guarded(`checking incident ${incidentId}`, () => checkIncident(incidentId, known));
          return;
        }
        const escalationId = first(toDrive)!;
        toDrive.delete(escalationId);
        if (resolved.delete(escalationId)) forget(escalationId);
        else guarded(`driving escalation ${escalationId}`, () => drive(escalationId));
      };
      // Decided once for the whole drain: its later slices (cut by the time budget) and its
      // last single step commit as its first did, not durably, which would sync on this thread.
      const catchUp = toCheck.size + toDrive.size >= CATCH_UP_STEPS;
      // Bounded: every pass either records a step (finite per escalation) or empties a queue.
      while (pass < 10_000 && waiting()) {
        if (!catchUp && toCheck.size + toDrive.size === 1) {
          pass += 1;
          step(); // a live alarm: its own commit, as before
          continue;
        }
        // Many at once (a peer's or the tracker's catch-up brought many incidents): the
        // checks the rows show will write nothing go first, without a transaction; the
        // rest's steps share one commit per slice instead of one disk flush each. A step
        // that fails rolls back to its own savepoint (nested append) and is logged.
        dropQuiet(STEPS_PER_COMMIT);
        if (!waiting()) break;
        // One step left (a threat's start committed with its incident: the incident's check was
        // quiet, its escalation's drive remains): its own commit, as a live alarm's, not a slice.
        if (!catchUp && toCheck.size + toDrive.size === 1) continue;
        try {
          store.transaction(
            () => {
              const until = performance.now() + STEP_SLICE_MS;
              readAhead(STEPS_PER_COMMIT);
              for (let i = 0; i < STEPS_PER_COMMIT && pass < 10_000 && waiting(); i++, pass++) {
                if (i > 0 && performance.now() >= until) break;
                step();
              }
            },
            catchUp ? CATCH_UP_COMMIT : undefined,
          );
        } finally {
          triaged.clear();
          resolved.clear();
        }
      }
    } finally {
      draining = false;
    }
    if (changedIds.size > 0) {
      const ids = [...changedIds];
      changedIds.clear();
      guarded('reporting escalation changes', () => deps.changed(ids));
    }
  }

  /** The triage of up to `limit` incidents waiting for a check, and which escalations waiting for a drive are resolved. */
  function readAhead(limit: number) {
    const incidents = take(toCheck, limit);
    if (incidents.length > 0) {
      for (const id of incidents) triaged.set(id, null);
      for (const row of getTriages.all(JSON.stringify(incidents))) triaged.set(row.id, row);
    }
    const escalations = take(toDrive, limit);
    if (escalations.length > 0) for (const id of getResolved.all(JSON.stringify(escalations))) resolved.add(id);
  }

  /**
   * Every waiting check and drive that can write nothing, told from the rows (`chunk` ids a
   * statement) and taken off the queues without a transaction: a check whose triage ends it
   * (checkMayWrite), the drive of a resolved escalation (its timer cleared) and one with no step
   * due (its timer armed). Nearly all of a catch-up's checks and drives end so (the backlog's
   * incidents are handled or match no policy); each slice of them cost a write transaction, a
   * closure and a message string per check (receiver's profile, npm run bench mesh). Nothing
   * writes between the read and the decision. All of the queues, not only their first `chunk`:
   * a batch of more checks than that had the rest's quiet ones taken by slices (round 12aa).
   */
  function dropQuiet(chunk: number) {
    const incidents = [...toCheck];
    for (let i = 0; i < incidents.length; i += chunk) dropQuietChecks(incidents.slice(i, i + chunk));
    const escalations = [...toDrive];
    for (let i = 0; i < escalations.length; i += chunk) dropQuietDrives(escalations.slice(i, i + chunk));
  }

  function dropQuietChecks(incidents: readonly string[]) {
    // An open incident no policy matches is told quiet from the projector's memory of its row
    // (its status, category and severity, as triageOf reads them) without a statement: most of
    // a catch-up's incidents, read by id with two counts each before (round 12aa). The rest
    // (closed, matching a policy, or not held) are read as before.
    const policies = deps.policies();
    const ask: string[] = [];
    for (const id of incidents) {
      const written = incidentWrittenNow(store.db, id);
      if (written && !CLOSED_STATUSES.has(written.status) && matchingPolicy(policies, written) === null) {
        toCheck.delete(id);
      } else ask.push(id);
    }
    if (ask.length > 0) {
      const triages = new Map(getTriages.all(JSON.stringify(ask)).map((row) => [row.id, row]));
      for (const id of ask) if (!checkMayWrite(triages.get(id) ?? null)) toCheck.delete(id);
    }
  }

  function dropQuietDrives(escalations: readonly string[]) {
    const done = new Set(getResolved.all(JSON.stringify(escalations)));
    for (const id of escalations) {
      if (done.has(id)) {
        toDrive.delete(id);
        forget(id);
      } else if (armIfNothingDue(id)) toDrive.delete(id);
    }
  }

  /**
   * What a check decides on, from the projector's memory when it holds the incident (see
   * `incident`). The escalation count is read only when asked for: an open incident that
   * matches no policy (most commands' incidents) ends at the policy, and the count was the
   * command's dearest statement (16u, `npm run bench profile`).
   */
  function triageOf(incidentId: string): Triage | null {
    // Its three fields taken at once, the object not kept: it stays the projector's to fold onto.
    const written = incidentWrittenNow(store.db, incidentId);
    if (!written) return getTriage.get(incidentId) ?? null;
    const { status, category, severity } = written;
    let escalations: number | undefined;
    let open: number | undefined;
    return {
      id: incidentId,
      status,
      category,
      severity,
      get escalations() {
        return (escalations ??= queries.countForIncident(incidentId));
      },
      get open() {
        return (open ??= queries.openForIncident(incidentId).length);
      },
    };
  }

  /** Whether checking an incident with this triage may record anything (checkIncident's own early ends). */
  function checkMayWrite(triage: Triage | null): boolean {
    if (!triage) return false;
    // Closed: only its open escalations are to resolve (those not resolved yet; a catch-up's
    // resolved threats, whose escalations were resolved before them, each cost a slice's
    // transaction and a read of none, round 12aa).
    if (CLOSED_STATUSES.has(triage.status)) return triage.open > 0;
    // The policy before the count (see triageOf): an incident no policy matches never starts one.
    if (matchingPolicy(deps.policies(), triage as Pick<Incident, 'category' | 'severity'>) === null) return false;
    // Only the first escalation of an incident starts by itself; editing a handled incident does not re-alarm.
    return triage.escalations === 0;
  }

  /** A resolved escalation: nothing is ever due again, so only its timer goes. */
  function forget(escalationId: string) {
    const pending = deadlines.get(escalationId);
    if (pending !== undefined) timers.clearTimeout(pending);
    deadlines.delete(escalationId);
  }

  function guarded(what: string, fn: () => void) {
    try {
      fn();
    } catch (error) {
      deps.logger.error(`escalation: failed ${what}`, error);
    }
  }

  /** Auto-start on a matching incident; resolve open escalations when the incident is resolved or closed. */
  function checkIncident(incidentId: string, known?: Triage | null) {
    // The row's columns first: most checks of a catch-up end at the status, the count or the
    // policy, and need not parse the incident's document.
    const triage = known === undefined ? triageOf(incidentId) : known;
    if (!triage || !checkMayWrite(triage)) return;
    if (CLOSED_STATUSES.has(triage.status)) {
      for (const open of queries.openForIncident(incidentId)) {
        const id = stepEventId(open.escalationId, 'resolved');
        const payload = { incidentId, reason: 'incident_resolved' as const };
        store.append([event('escalation.resolved', open.escalationId, payload, SYSTEM_ACTOR, id)]);
      }
      return;
    }
    const current = incident(incidentId);
    if (!current) return;
    const policy = matchingPolicy(deps.policies(), current);
    if (policy) begin(current, policy, 'auto', SYSTEM_ACTOR);
  }

  function begin(current: Incident, policy: EscalationPolicy, trigger: 'auto' | 'manual', actor: string) {
    const escalationId = escalationIdFor(current.id, queries.countForIncident(current.id) + 1);
    // Parsed here once and marked so: the start's own fold below and the projectors' folds in
    // the append take them as parsed (zod ran twice on the start's payload and twice
    // on the status change's, round 16u's profile of a threat's create).
    const startedPayload = EscalationStartedPayload.parse({
      incidentId: current.id,
      trigger,
      policyId: policy.id,
      levels: policy.levels,
      repeat: policy.repeat,
      requiredAcks: policy.twoPersonSeverities.includes(current.severity) ? 2 : 1,
      unit: current.unit,
      severity: current.severity,
      title: current.title,
    });
    const started = event(
      'escalation.started',
      escalationId,
      parsedPayload('escalation.started', startedPayload),
      actor,
      stepEventId(escalationId, 'started'),
    );
    const events: EventEnvelope[] = [started];
    if (current.status !== 'escalated' && canTransition(current.status, 'escalated')) {
      const payload = parsedPayload(
        'incident.status_changed',
        IncidentStatusChangedPayload.parse({ from: current.status, to: 'escalated', reason: 'escalation' }),
      );
      events.push(
        event('incident.status_changed', current.id, payload, actor, stepEventId(escalationId, 'incident_escalated')),
      );
    }
    // The first notification is due at once: it goes in the same transaction as the start, so
    // an alarm waits for one disk flush, not two (on every console of the mesh that raises it).
    const initial = foldEscalation([started]);
    const first = initial ? dueAction(initial, wallClock()) : null;
    if (initial && first?.kind === 'notify') events.push(notifyEvent(initial, first.level, first.round));
    store.append(events);
    return escalationId;
  }

  function notifyEvent(state: EscalationState, level: number, round: number): EventEnvelope {
    const { escalationId, incidentId } = state;
    const targets = resolveTargets(state.levels[level - 1]!, state.unit, deps.roster);
    const id = stepEventId(escalationId, 'notified', level, round);
    return event('escalation.notified', escalationId, { incidentId, level, round, targets }, SYSTEM_ACTOR, id);
  }

  /**
   * A drive that can record nothing, done without a transaction: when the projector holds the
   * escalation's fold (keptEscalationState, no read) and no step of it is due now, what `drive`
   * would do (its timer set for the next deadline, or none) and true; otherwise nothing and
   * false, and the drive reads and folds in its slice as before (a resume's escalations, which
   * nothing has folded yet, are not folded twice). A catch-up's escalations just started or
   * acknowledged are mostly so, and each drive cost a slice's transaction (round 12aa).
   */
  function armIfNothingDue(escalationId: string): boolean {
    const state = keptEscalationState(store.db, escalationId);
    const now = wallClock();
    if (!state || dueAction(state, now)) return false;
    forget(escalationId);
    arm(escalationId, state, now);
    return true;
  }

  /** One timer for the escalation's next deadline, when it has one. */
  function arm(escalationId: string, state: EscalationState, now: number) {
    const next = nextAction(state);
    if (next.kind === 'none' || stopped) return;
    deadlines.set(
      escalationId,
      timers.setTimeout(() => {
        deadlines.delete(escalationId);
        toDrive.add(escalationId);
        drain();
      }, next.dueAt - now),
    );
  }

  /** Record every step that is due now, then arm one timer for the next deadline. */
  function drive(escalationId: string) {
    forget(escalationId);
    let state = load(escalationId);
    for (let guard = 0; state && guard <= stepCount(state) * 2 + 2; guard++) {
      const now = wallClock();
      const action = dueAction(state, now);
      if (!action) {
        arm(escalationId, state, now);
        return;
      }
      const { incidentId } = state;
      if (action.kind === 'notify') {
        store.append([notifyEvent(state, action.level, action.round)]);
      } else if (action.kind === 'time_out') {
        const id = stepEventId(escalationId, 'timed_out', action.level, action.round);
        const payload = { incidentId, level: action.level, round: action.round };
        store.append([event('escalation.timed_out', escalationId, payload, SYSTEM_ACTOR, id)]);
      } else {
        const id = stepEventId(escalationId, 'resolved');
        store.append([
          event('escalation.resolved', escalationId, { incidentId, reason: action.reason }, SYSTEM_ACTOR, id),
        ]);
      }
      state = load(escalationId);
    }
  }

  const unsubscribe = store.onCommitted(observe);

  return {
    resume() {
      for (const open of queries.open()) toDrive.add(open.escalationId);
      drain();
    },
    start(incidentId, actor, policyId) {
      const current = incident(incidentId);
      if (!current) throw new ApiFailure(apiError('not_found', `no incident ${incidentId}`, 'incidentId'));
      if (CLOSED_STATUSES.has(current.status)) {
        throw new ApiFailure(
          apiError('illegal_transition', `cannot escalate a ${current.status} incident`, 'incidentId'),
        );
      }
      if (queries.openForIncident(incidentId).length > 0) {
        throw new ApiFailure(apiError('conflict', 'the incident is already being escalated', 'incidentId'));
      }
      const policy =
        policyId !== undefined
          ? deps.policies().find((p) => p.id === policyId)
          : (matchingPolicy(deps.policies(), current) ?? deps.policies()[0]);
      if (!policy)
        throw new ApiFailure(apiError('not_found', `no escalation policy ${policyId ?? ''}`.trim(), 'policyId'));
      const escalationId = begin(current, policy, 'manual', actor);
      return load(escalationId)!;
    },
    acknowledge(escalationId, by) {
      const state = load(escalationId);
      if (!state) throw new ApiFailure(apiError('not_found', `no escalation ${escalationId}`, 'escalationId'));
      const decision = decideAcknowledge(state, by.staffNumber, by.role);
      if (!decision.ok) throw new ApiFailure({ ...decision.error, field: 'escalationId' });
      const { incidentId } = state;
      const ack = event(
        'escalation.acknowledged',
        escalationId,
        { incidentId, by: by.staffNumber, role: by.role },
        by.staffNumber,
        stepEventId(escalationId, 'acknowledged', by.staffNumber),
      );
      const resolved = decision.resolves
        ? [
            event(
              'escalation.resolved',
              escalationId,
              { incidentId, reason: 'acknowledged' },
              by.staffNumber,
              stepEventId(escalationId, 'resolved'),
            ),
          ]
        : [];
      store.append([ack, ...resolved]);
      return load(escalationId)!;
    },
    startsFor: (incident) => matchingPolicy(deps.policies(), incident) !== null,
    checkInCommand(incidentId) {
      if (stopped) return;
      try {
        checkIncident(incidentId);
        checkedInCommand.set(incidentId, projectionEpoch(store.db));
      } catch (error) {
        // Its savepoint rolled back; the check after the commit tries again.
        deps.logger.error(`escalation: failed checking incident ${incidentId}`, error);
      }
    },
    load,
    stop() {
      stopped = true;
      unsubscribe();
      for (const handle of deadlines.values()) timers.clearTimeout(handle);
      deadlines.clear();
    },
  };
}

interface Triage {
  id: string;
  status: string;
  category: string;
  severity: string;
  escalations: number;
  /** Its escalations not resolved yet (what a closed incident's check resolves). */
  open: number;
}

/** Up to `limit` members of `set`, in its order. */
function take(set: Set<string>, limit: number): string[] {
  const out: string[] = [];
  for (const value of set) {
    if (out.length >= limit) break;
    out.push(value);
  }
  return out;
}

function first(set: Set<string>): string | null {
  for (const value of set) return value;
  return null;
}
