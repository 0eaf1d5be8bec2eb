import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EscalationView } from '../../../src-shared/escalation.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import type { StoredEvent } from '../../../src-shared/events.ts';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole, type TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { escalationIdFor, foldEscalation, stepEventId } from '../../../src-main/core/escalation/model.ts';
import { escalationState, keptEscalationState } from '../../../src-main/core/escalation/projection.ts';
import { offlineBacklog } from '../../bench/sync/offline-events.ts';

const T0 = Date.UTC(2026, 10, 25, 22, 0, 0);
const DAY = 24 * 60 * 60_000;
const open: TestConsole[] = [];

function console_(options: Parameters<typeof openTestConsole>[0] = {}) {
  const c = openTestConsole({ wallClock: () => Date.now(), idleLockMs: DAY, ...options });
  open.push(c);
  return c;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
});

afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  vi.useRealTimers();
  cleanupTestConsoles();
});

/** The standard roster enrolled on `a` and copied to the others' logs, as sync brought it earlier. */
async function rosterShared(a: TestConsole, ...others: TestConsole[]): Promise<void> {
  await enrolStandardRoster(a);
  for (const x of others) deliver(a.events(), x);
}

/** Copy events into another console's log, as the sync engine does with pulled events. */
function deliver(events: readonly StoredEvent[], to: TestConsole) {
  to.core.store.append(
    events.map(({ id, streamId, type, payload, actor, deviceId, deviceTime, hlc }) => ({
      id,
      streamId,
      type,
      payload,
      actor,
      deviceId,
      deviceTime,
      hlc,
    })),
  );
}

describe('escalation across a restart', () => {
  it('resumes mid-escalation from the log: the pending timeout fires on time after reopening', async () => {
    let c = console_();
    await enrolStandardRoster(c);
    const incident = await c.call<Incident>('incidents.create', incidentInput());
    await vi.advanceTimersByTimeAsync(60_000); // level 1 timed out, level 2 notified at T0+60s
    expect(c.events('escalation.notified')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20_000);
    const file = c.file;
    await c.close();
    open.splice(open.indexOf(c), 1);

    c = console_({ file });
    await vi.advanceTimersByTimeAsync(39_999);
    expect(c.events('escalation.timed_out')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const timedOut = c.events('escalation.timed_out');
    expect(timedOut.map((e) => [e.payload, e.deviceTime])).toEqual([
      [{ incidentId: incident.id, level: 1, round: 1 }, T0 + 60_000],
      [{ incidentId: incident.id, level: 2, round: 1 }, T0 + 120_000],
    ]);
    expect(c.events('escalation.notified').at(-1)!.payload).toMatchObject({ level: 3, round: 1 });
  });

  it('acts at once on a deadline that passed while the console was closed', async () => {
    let c = console_();
    await enrolStandardRoster(c);
    await c.call('incidents.create', incidentInput());
    const file = c.file;
    await c.close();
    open.splice(open.indexOf(c), 1);
    vi.setSystemTime(T0 + 10 * 60_000);

    c = console_({ file });
    expect(c.events('escalation.timed_out').map((e) => e.deviceTime)).toEqual([T0 + 10 * 60_000]);
    await c.signIn('G1');
    const { items } = await c.call<{ items: EscalationView[] }>('escalation.list', {});
    expect(items[0]).toMatchObject({ level: 2, round: 1, nextDueAt: T0 + 11 * 60_000 });
  });
});

describe('two consoles racing offline', () => {
  it('record the same escalation steps under the same ids, so sync keeps one of each', async () => {
    const a = console_();
    const b = console_();
    await rosterShared(a, b); // the roster reached B earlier
    await a.signIn('G1');
    const incident = await a.call<Incident>('incidents.create', incidentInput());
    // B pulls only the incident before the link goes down; both run the escalation on their own.
    deliver(
      a.events().filter((e) => e.streamId === incident.id && e.type === 'incident.created'),
      b,
    );
    await vi.advanceTimersByTimeAsync(60_000 + 60_000);

    const steps = (c: TestConsole) =>
      c
        .events()
        .filter((e) => e.type.startsWith('escalation.') || e.type === 'incident.status_changed')
        .map((e) => [e.type, e.id])
        .sort();
    const fromA = a.events('escalation.timed_out');
    const fromB = b.events('escalation.timed_out');
    expect(fromA).toHaveLength(2);
    expect(fromB.map((e) => e.id)).toEqual(fromA.map((e) => e.id));
    expect(fromB.map((e) => e.deviceId)).not.toEqual(fromA.map((e) => e.deviceId)); // really produced twice
    expect(steps(b)).toEqual(steps(a));

    // Reconnect: each side receives the other's events; every step is a duplicate.
    const before = b.events().length;
    deliver(
      a.events().filter((e) => e.type.startsWith('escalation.')),
      b,
    );
    expect(b.events().length).toBe(before);
  });

  it('escalates every alarming incident of a catch-up once, with the same steps as one at a time', async () => {
    const a = console_({ escalationPolicies: [] }); // A only logs; B, catching up, escalates
    const b = console_();
    const c = console_();
    await rosterShared(a, b, c);
    await a.signIn('G1');
    const incidents: Incident[] = [];
    for (let i = 0; i < 100; i++) incidents.push(await a.call<Incident>('incidents.create', incidentInput()));
    const backlog = a.events().filter((e) => incidents.some((x) => x.id === e.streamId));
    // B gets the whole backlog in one batch (its runner then records many steps per commit);
    // C gets it one event at a time (one commit per step, as a live alarm).
    deliver(backlog, b);
    for (const e of backlog) deliver([e], c);
    const steps = (x: TestConsole) =>
      x
        .events()
        .filter((e) => e.type.startsWith('escalation.') || e.type === 'incident.status_changed')
        .map((e) => `${e.type} ${e.id}`)
        .sort();
    expect(b.events('escalation.started')).toHaveLength(100);
    expect(new Set(b.events('escalation.started').map((e) => e.streamId)).size).toBe(100);
    expect(steps(b)).toEqual(steps(c));
    expect(b.core.store.verifyChain()).toMatchObject({ ok: true });
  });
  it("a catch-up's own steps alarm and leave the console once on disk, their commit not waiting for it", async () => {
    // Issue 12p: the steps B's runner records for a batch it received commit flushLater, so its
    // thread does not wait for their fsync while a peer's next frames wait. Until the store's
    // flush on libuv's pool is done they are in B's log, and nothing shows or passes them on.
    const a = console_({ escalationPolicies: [] }); // A only logs; B, catching up, escalates
    const b = console_();
    await rosterShared(a, b);
    await a.signIn('G1');
    await b.signIn('S1');
    const incidents: Incident[] = [];
    for (let i = 0; i < 20; i++) incidents.push(await a.call<Incident>('incidents.create', incidentInput()));
    const backlog = a.events().filter((e) => incidents.some((x) => x.id === e.streamId));
    const alarmPushes = () => b.pushes.filter((p) => p.name === 'alarm.changed');
    const pushedBefore = alarmPushes().length;
    // A slow machine: each slice of the runner's steps runs out of its time after one step, so
    // the catch-up's steps take many commits, down to a last single one; none of them is durable.
    let clock = performance.now();
    const slow = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 25));
    try {
      deliver(backlog, b);
    } finally {
      slow.mockRestore();
    }
    const started = b.events('escalation.started');
    expect(started.map((e) => e.streamId).sort()).toEqual(incidents.map((x) => escalationIdFor(x.id, 1)).sort());
    // The received events are on disk (delivered with a durable commit); B's steps after them are not yet.
    const received = new Set(backlog.map((e) => e.id));
    const lastReceived = Math.max(
      ...b
        .events()
        .filter((e) => received.has(e.id))
        .map((e) => e.seq),
    );
    expect(b.events().filter((e) => e.seq > lastReceived)).toContainEqual(expect.objectContaining(started[0]));
    expect(b.core.store.shareableThrough()).toBe(lastReceived);
    expect(alarmPushes().length).toBe(pushedBefore);

    await b.core.store.flushed();
    expect(b.core.store.shareableThrough()).toBe(Number.MAX_SAFE_INTEGER);
    const alarms = (alarmPushes().at(-1)!.payload as { alarms: { incidentId: string }[] }).alarms;
    expect(alarms.map((x) => x.incidentId).sort()).toEqual(incidents.map((x) => x.id).sort());
  });

  it('the steps for a few live incidents at once keep their durable commit: alarmed and shared at once', async () => {
    const a = console_({ escalationPolicies: [] });
    const b = console_();
    await rosterShared(a, b);
    await a.signIn('G1');
    await b.signIn('S1');
    const incidents: Incident[] = [];
    for (let i = 0; i < 3; i++) incidents.push(await a.call<Incident>('incidents.create', incidentInput()));
    deliver(
      a.events().filter((e) => incidents.some((x) => x.id === e.streamId)),
      b,
    );
    expect(b.events('escalation.started')).toHaveLength(3);
    expect(b.core.store.shareableThrough()).toBe(Number.MAX_SAFE_INTEGER);
    const alarms = (
      b.pushes.filter((p) => p.name === 'alarm.changed').at(-1)!.payload as { alarms: { incidentId: string }[] }
    ).alarms;
    expect(alarms.map((x) => x.incidentId).sort()).toEqual(incidents.map((x) => x.id).sort());
  });

  it('after a catch-up of handled, resolved and alarming incidents, records what one event at a time does, now and as time passes', async () => {
    // A logs with its runner on; B gets the log in one batch (its runner reads ahead for many
    // checks per commit), C one event at a time. Left out of both: A's resolution of one
    // escalation whose incident was resolved, so B and C resolve it themselves.
    const a = console_();
    const b = console_();
    const c = console_();
    await rosterShared(a, b, c);
    await a.signIn('S1');
    const create = (overrides: Parameters<typeof incidentInput>[0] = {}) =>
      a.call<Incident>('incidents.create', incidentInput(overrides));
    const escalationOf = async (incident: Incident) =>
      (await a.call<{ items: EscalationView[] }>('escalation.list', { incidentId: incident.id })).items[0]!;
    const acknowledged = await create();
    await a.call('escalation.acknowledge', { escalationId: (await escalationOf(acknowledged)).escalationId });
    const resolvedHere = await create();
    await a.call('incidents.setStatus', { id: resolvedHere.id, to: 'resolved' });
    const resolvedThere = await create();
    await a.call('incidents.setStatus', { id: resolvedThere.id, to: 'resolved' });
    const alarming = await create();
    const quiet = await create({ severity: 'medium' });
    await a.call('incidents.setStatus', { id: quiet.id, to: 'resolved' });
    await create({ category: 'medical' });
    const withheld = stepEventId(escalationIdFor(resolvedThere.id, 1), 'resolved');
    const backlog = a.events().filter((e) => e.id !== withheld && !e.type.startsWith('staff.'));
    deliver(backlog, b);
    for (const e of backlog) deliver([e], c);

    const steps = (x: TestConsole) =>
      x
        .events()
        .filter((e) => e.type.startsWith('escalation.') || e.type === 'incident.status_changed')
        .map((e) => `${e.type} ${e.id} ${e.deviceTime}`)
        .sort();
    const ownSteps = (x: TestConsole) =>
      x.events().filter((e) => e.deviceId === x.core.info().deviceId && e.type.startsWith('escalation.'));
    expect(steps(b)).toEqual(steps(c));
    // B resolved the escalation of the incident resolved without it, and started none (C,
    // seeing each creation before A's start, recorded those steps itself, under the same ids).
    expect(ownSteps(b).map((e) => e.id)).toEqual([withheld]);
    expect(ownSteps(c).map((e) => e.id)).toContain(withheld);
    // Only the alarming incident's escalation times out and climbs, on both; a resolved one's
    // timer was cleared, not left to fire.
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    const timedOut = (x: TestConsole) => x.events('escalation.timed_out').map((e) => e.streamId);
    expect(timedOut(b)).toEqual([escalationIdFor(alarming.id, 1), escalationIdFor(alarming.id, 1)]);
    expect(timedOut(c)).toEqual(timedOut(b));
    expect(steps(b)).toEqual(steps(c));
  });

  it('a catch-up of incidents that need nothing from the runner opens no transaction for their checks', async () => {
    // A logs without a runner; every incident it logs is either off B's policies (medium) or
    // resolved before B sees it, so B's checks all end at the row and record nothing.
    const a = console_({ escalationPolicies: [] });
    const b = console_();
    await rosterShared(a, b);
    await a.signIn('S1');
    for (let i = 0; i < 10; i++) {
      const quiet = await a.call<Incident>('incidents.create', incidentInput({ severity: 'medium' }));
      await a.call('incidents.setStatus', { id: quiet.id, to: 'acknowledged' });
      const handled = await a.call<Incident>(
        'incidents.create',
        incidentInput({ severity: 'low', category: 'technical' }),
      );
      await a.call('incidents.setStatus', { id: handled.id, to: 'resolved' });
    }
    const backlog = a.events().filter((e) => e.type.startsWith('incident.'));
    const transactions = vi.spyOn(b.core.store, 'transaction');
    const before = b.events().length;
    deliver(backlog, b);
    expect(b.events().length - before).toBe(backlog.length);
    expect(transactions).not.toHaveBeenCalled();
    // One that does alarm, in the same kind of batch, is still escalated.
    const alarming = await a.call<Incident>('incidents.create', incidentInput());
    deliver(
      a.events().filter((e) => e.streamId === alarming.id),
      b,
    );
    expect(b.events('escalation.started').map((e) => e.streamId)).toEqual([escalationIdFor(alarming.id, 1)]);
  });

  it('a catch-up of threats handled on the sender and of alarms with nothing due yet opens no transaction of the runner, and the alarms still climb', async () => {
    // A logs with its runner on: threats acknowledged and resolved (their escalations resolved
    // before the incident), and threats still alarming, notified at level 1 with the timeout
    // ahead. B gets it all in one batch: its checks of the resolved threats find no escalation
    // left open and its drives of the alarming ones nothing due, so nothing is written and no
    // slice of steps is opened (round 12aa: each was a transaction before); the alarming ones'
    // timers are armed all the same, so they time out and climb on B as on A.
    const a = console_();
    const b = console_();
    await rosterShared(a, b);
    await a.signIn('S1');
    await b.signIn('S1');
    const handled: Incident[] = [];
    for (let i = 0; i < 4; i++) {
      const threat = await a.call<Incident>('incidents.create', incidentInput());
      const [escalation] = (await a.call<{ items: EscalationView[] }>('escalation.list', { incidentId: threat.id }))
        .items;
      await a.call('escalation.acknowledge', { escalationId: escalation!.escalationId });
      await a.call('incidents.setStatus', { id: threat.id, to: 'resolved' });
      handled.push(threat);
    }
    const alarming = [
      await a.call<Incident>('incidents.create', incidentInput()),
      await a.call<Incident>('incidents.create', incidentInput()),
    ];
    await a.call<Incident>('incidents.create', incidentInput({ severity: 'medium' }));
    const backlog = a.events().filter((e) => e.type.startsWith('incident.') || e.type.startsWith('escalation.'));
    const transactions = vi.spyOn(b.core.store, 'transaction');
    const before = b.events().length;
    deliver(backlog, b);
    expect(b.events().length - before).toBe(backlog.length);
    expect(transactions).not.toHaveBeenCalled();
    const own = (x: TestConsole) =>
      x.events().filter((e) => e.deviceId === x.core.info().deviceId && e.type.startsWith('escalation.'));
    expect(own(b)).toEqual([]);
    for (const threat of handled) {
      const { items } = await b.call<{ items: EscalationView[] }>('escalation.list', { incidentId: threat.id });
      expect(items.map((e) => e.status)).toEqual(['resolved']);
    }
    // The alarming ones' level-1 timeouts fire on B (its own steps) as on A.
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    const timedOut = (x: TestConsole) =>
      x
        .events('escalation.timed_out')
        .filter((e) => e.deviceId === x.core.info().deviceId)
        .map((e) => e.streamId)
        .sort();
    const expected = alarming.map((i) => escalationIdFor(i.id, 1)).sort();
    expect([...new Set(timedOut(a))]).toEqual(expected);
    expect(timedOut(b)).toEqual(timedOut(a));
  });

  it('a batch of more checks than one slice takes opens no transaction when none of them needs the runner', async () => {
    // 700 incidents (the bench's backlog: notes, acknowledgements, threats escalated,
    // acknowledged and resolved on their device) in one batch: more checks than STEPS_PER_COMMIT
    // (512). Every one is quiet, so none goes into a slice, not only the first 512 (round 12aa).
    const b = console_();
    await enrolStandardRoster(b);
    const { events } = offlineBacklog({
      count: 2_800,
      deviceId: '01939b00-0000-7000-8000-00000000b0b0',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'v1234',
      startMs: T0 - 10_000,
      escalations: true,
    });
    const transactions = vi.spyOn(b.core.store, 'transaction');
    const before = b.events().length;
    b.core.store.append(events);
    expect(b.events().length - before).toBe(events.length);
    expect(transactions).not.toHaveBeenCalled();
    expect(b.events().filter((e) => e.deviceId === b.core.info().deviceId && e.type.startsWith('escalation.'))).toEqual(
      [],
    );
  });

  it('in a catch-up, an incident off the policies resolved with its escalation still open has that escalation resolved', async () => {
    // A medium incident escalated by hand on A, then resolved; A's runner's resolution of the
    // escalation is left out of what B gets. B's runner tells most incidents off its policies
    // quiet from the projector's memory (round 12aa), but not a closed one: its open escalation
    // is resolved, by B itself.
    const a = console_();
    const b = console_();
    await rosterShared(a, b);
    await a.signIn('S1');
    const byHand = await a.call<Incident>('incidents.create', incidentInput({ severity: 'medium' }));
    const escalation = await a.call<EscalationView>('escalation.start', { incidentId: byHand.id });
    await a.call('incidents.setStatus', { id: byHand.id, to: 'resolved' });
    for (let i = 0; i < 20; i++) await a.call<Incident>('incidents.create', incidentInput({ severity: 'low' }));
    const withheld = stepEventId(escalation.escalationId, 'resolved');
    const backlog = a
      .events()
      .filter((e) => e.id !== withheld && (e.type.startsWith('incident.') || e.type.startsWith('escalation.')));
    deliver(backlog, b);
    const own = b.events('escalation.resolved').filter((e) => e.deviceId === b.core.info().deviceId);
    expect(own.map((e) => e.id)).toEqual([withheld]);
  });

  it('an escalation acknowledged in the same batch as its start ends silent: resolved once, never notified again', async () => {
    // A's own resolution is withheld, so B (the whole log in one batch: its runner drives the
    // escalation from the fold its projector made in that transaction) and C (one event at a
    // time) each resolve it from the acknowledgement, and nothing climbs as time passes.
    const a = console_();
    const b = console_();
    const c = console_();
    await rosterShared(a, b, c);
    await a.signIn('S1');
    const incident = await a.call<Incident>('incidents.create', incidentInput());
    const escalationId = escalationIdFor(incident.id, 1);
    await a.call('escalation.acknowledge', { escalationId });
    const withheld = stepEventId(escalationId, 'resolved');
    const backlog = a.events().filter((e) => e.id !== withheld && !e.type.startsWith('staff.'));
    expect(backlog.map((e) => e.type)).toEqual(
      expect.arrayContaining(['escalation.started', 'escalation.notified', 'escalation.acknowledged']),
    );
    deliver(backlog, b);
    for (const e of backlog) deliver([e], c);
    const ofIt = (x: TestConsole) =>
      x
        .events()
        .filter((e) => e.streamId === escalationId)
        .map((e) => `${e.type} ${e.id} ${e.deviceTime}`)
        .sort();
    for (const x of [b, c]) {
      expect(x.events('escalation.resolved').map((e) => [e.id, e.payload])).toEqual([
        [withheld, { incidentId: incident.id, reason: 'acknowledged' }],
      ]);
      const row = x.core.store.db.prepare('SELECT status FROM escalations WHERE escalation_id = ?').get(escalationId);
      expect(row).toEqual({ status: 'resolved' });
    }
    const before = ofIt(b);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(ofIt(b)).toEqual(before);
    expect(ofIt(c)).toEqual(before);
    expect(b.events('escalation.notified').filter((e) => e.streamId === escalationId)).toHaveLength(1);
  });

  /** A threat escalated and acknowledged on A; B holds all of it but the acknowledgement and resolution. */
  async function acknowledgedOnAHeldByB() {
    const a = console_();
    const b = console_();
    await rosterShared(a, b);
    await a.signIn('S1');
    const incident = await a.call<Incident>('incidents.create', incidentInput());
    const escalationId = escalationIdFor(incident.id, 1);
    await a.call('escalation.acknowledge', { escalationId });
    const ack = a.events('escalation.acknowledged');
    const rest = a
      .events()
      .filter(
        (e) =>
          e.streamId === incident.id ||
          (e.streamId === escalationId && e.type !== 'escalation.acknowledged' && e.type !== 'escalation.resolved'),
      );
    deliver(rest, b);
    return { b, incident, escalationId, ack };
  }

  /** The fold B's runner drives from is the log's, without the acknowledgement. */
  function expectFoldWithoutAck(b: TestConsole, escalationId: string) {
    const read = () => b.core.store.streamEvents(escalationId);
    expect(escalationState(b.core.store.db, escalationId, read)).toEqual(foldEscalation(read()));
    expect(escalationState(b.core.store.db, escalationId, read)?.acks).toEqual([]);
    // What the runner's dropQuiet takes without a read (round 12aa): none, or the log's fold.
    const kept = keptEscalationState(b.core.store.db, escalationId);
    if (kept) expect(kept).toEqual(foldEscalation(read()));
  }

  it('an acknowledgement rolled back is not in the fold the runner drives from', async () => {
    const { b, incident, escalationId, ack } = await acknowledgedOnAHeldByB();
    // The projector folds the acknowledgement inside the transaction, which then rolls back.
    expect(() =>
      b.core.store.transaction(() => {
        deliver(ack, b);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expectFoldWithoutAck(b, escalationId);
    // The runner, driving from it, keeps climbing; the acknowledgement then arriving ends it.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(b.events('escalation.timed_out').map((e) => e.streamId)).toEqual([escalationId]);
    // The row the UI shows was extended from a fold without the acknowledgement too.
    const row = b.core.store.db.prepare('SELECT doc FROM escalations WHERE escalation_id = ?').get(escalationId) as {
      doc: string;
    };
    expect(JSON.parse(row.doc)).toMatchObject({ status: 'active', acknowledgedBy: [] });
    expect(b.events('escalation.resolved')).toEqual([]);
    deliver(ack, b);
    expect(b.events('escalation.resolved').map((e) => e.payload)).toEqual([
      { incidentId: incident.id, reason: 'acknowledged' },
    ]);
  });

  // The kept fold is taken without reading the log only while no write can have been undone
  // (issue 12k): a transaction opened on the database itself rolls back behind the store's back.
  it('a fold kept inside a transaction the store did not open is not taken once that rolls back', async () => {
    const { b, escalationId, ack } = await acknowledgedOnAHeldByB();
    expect(() =>
      b.core.store.db.transaction(() => {
        deliver(ack, b);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expectFoldWithoutAck(b, escalationId);
  });
});
