/**
 * Shared set-up for sync tests: a real tracker child process, enrolment codes from its
 * admin API, consoles enrolled through dispatch, and awaiting sync state via pushes.
 */
import { join } from 'node:path';
import { startChildTracker, type ChildTracker } from '../tracker/child-tracker.ts';
import { hqSignIn, trackerClient, type HqCredential } from '../tracker/http-client.ts';
import { technicalIncident } from '../../support/incidents.ts';
import { openTestConsole, type TestConsole, type TestConsoleOptions } from '../../support/consoles.ts';
import { foldIncident } from '../../../src-shared/incident-fold.ts';
import { projectionHash } from '../../../src-shared/projection-hash.ts';
import type { Incident } from '../../../src-shared/incident.ts';
import type { SyncStatus } from '../../../src-shared/sync.ts';
import { PulledEvent } from '../../../src-shared/sync-wire.ts';
import { canonicalEvent, toStored } from '../../../src-main/core/store/event-store.ts';
import type { EventRow, EventStore } from '../../../src-main/core/store/event-store.ts';
import type { z } from 'zod';

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123456789abcdef';
export const FACILITY = 'Märsta';

export async function startTracker(dataFile: string, args: string[] = []): Promise<ChildTracker> {
  return startChildTracker({
    args: ['--data', dataFile, ...args],
    env: { GUARDLINE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'warn' },
  });
}

const hqSessions = new Map<string, Promise<HqCredential>>();

/** An HQ admin session on the tracker (the admin token creates that admin the first time). */
export function hqAdmin(trackerUrl: string): Promise<HqCredential> {
  let session = hqSessions.get(trackerUrl);
  if (!session) {
    session = hqSignIn(trackerUrl, ADMIN_TOKEN);
    session.catch(() => hqSessions.delete(trackerUrl));
    hqSessions.set(trackerUrl, session);
  }
  return session;
}

export async function enrolmentCode(trackerUrl: string): Promise<string> {
  const reply = await trackerClient(trackerUrl).post<{ code: string }>(
    '/v1/admin/enrolment-codes',
    { facility: FACILITY, ttlMinutes: 30 },
    await hqAdmin(trackerUrl),
  );
  if (reply.status !== 200 && reply.status !== 201)
    throw new Error(`enrolment code: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.code;
}

/** A console with an admin signed in, sync idle until `enrol`. Short backoff keeps fault tests quick. */
export async function syncConsole(dir: string, name: string, options: TestConsoleOptions = {}): Promise<TestConsole> {
  const c = openTestConsole({
    file: join(dir, `${name}.sqlite`),
    ...options,
    sync: { start: false, backoffBaseMs: 20, backoffCapMs: 400, streamSilenceMs: 5_000, ...options.sync },
  });
  await c.call('auth.bootstrapAdmin', { staffNumber: `A-${name}`, name: `Admin ${name}`, pin: '1111' });
  return c;
}

export async function enrol(c: TestConsole, trackerUrlForConsole: string, code: string): Promise<void> {
  // Test consoles with a facility config name their own facility; they take the tracker's (issue 15).
  await c.call('sync.enroll', { trackerUrl: trackerUrlForConsole, code, label: 'test console', adoptFacility: true });
  c.core.sync.start();
}

/** Resolve when the console's sync status satisfies `predicate` (checked now and on every push). */
export function waitForSync(
  c: TestConsole,
  predicate: (s: SyncStatus) => boolean,
  what: string,
  timeoutMs = 120_000,
): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    let last = c.core.sync.status();
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}; last status ${JSON.stringify(last)}`));
    }, timeoutMs);
    const check = () => {
      last = c.core.sync.status();
      if (predicate(last)) {
        clearTimeout(timer);
        stop();
        resolve(last);
      }
    };
    const stop = c.core.subscribe((name) => {
      if (name === 'sync.status' || name === 'incidents.changed') check();
    });
    check();
  });
}

/** Nothing left to push and the link up: a drain finished. */
export const live = (s: Pick<SyncStatus, 'pending' | 'state'>): boolean => s.pending === 0 && s.state === 'live';

/** Log `count` technical incidents titled `<tag> <i>`, one command each; their titles, in order. */
export async function logTechnicalIncidents(c: TestConsole, count: number, tag: string): Promise<string[]> {
  const titles: string[] = [];
  for (let i = 0; i < count; i++) {
    titles.push(`${tag} ${i}`);
    await c.call('incidents.create', technicalIncident(`${tag} ${i}`));
  }
  return titles;
}

/** The titles of the incidents the console created, as the tracker holds them, in the tracker's order. */
export async function ownTitlesAtTracker(trackerUrl: string, c: TestConsole): Promise<string[]> {
  return (await trackerEvents(trackerUrl, deviceToken(c)))
    .filter((e) => e.deviceId === c.core.info().deviceId && e.type === 'incident.created')
    .sort((a, b) => a.serverSeq - b.serverSeq)
    .map((e) => (e.payload as { title: string }).title);
}

/** Events in the console's log that consoles authored (the tracker's `device.enrolled` records left out). */
export function eventCount(c: TestConsole): number {
  return (
    c.core.store.db.prepare("SELECT count(*) AS n FROM events WHERE type != 'device.enrolled'").get() as { n: number }
  ).n;
}

export function consoleIncidents(c: TestConsole): Incident[] {
  return (c.core.store.db.prepare('SELECT doc FROM incidents').all() as { doc: string }[]).map(
    (r) => JSON.parse(r.doc) as Incident,
  );
}

/** Every event the tracker holds for the facility, read through the pull API with a console's token. */
export async function trackerEvents(trackerUrl: string, deviceToken: string): Promise<z.infer<typeof PulledEvent>[]> {
  const all: z.infer<typeof PulledEvent>[] = [];
  let after = 0;
  for (let page = 0; page < 10_000; page++) {
    const reply = await trackerClient(trackerUrl).get<{ events: unknown[]; nextAfter: number; hasMore: boolean }>(
      `/v1/events?after=${after}&limit=1000`,
      deviceToken,
    );
    if (reply.status !== 200) throw new Error(`pull: ${reply.status}`);
    all.push(...reply.body.events.map((e) => PulledEvent.parse(e)));
    after = reply.body.nextAfter;
    if (!reply.body.hasMore) break;
  }
  // The tracker's own device records are not what these tests count.
  return all.filter((e) => e.type !== 'device.enrolled');
}

/** The tracker's picture, folded with the same shared reducer the consoles use. */
export async function trackerProjectionHash(events: z.infer<typeof PulledEvent>[]): Promise<string> {
  const streams = new Map<string, z.infer<typeof PulledEvent>[]>();
  for (const e of events) {
    if (!e.type.startsWith('incident.')) continue;
    streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  }
  const incidents = [...streams.values()].map((s) => foldIncident(s)).filter((i): i is Incident => i !== null);
  return projectionHash(incidents);
}

export function deviceToken(c: TestConsole): string {
  return c.core.store.getMeta('sync.device_token')!;
}

/** What a console wrote and what the tracker holds of it, event by event. */
export interface DeliveryCount {
  /** The console's own events in its log. */
  written: number;
  /** Of those, how many the console has marked synced (the tracker acknowledged them). */
  acknowledged: number;
  /** Events the tracker holds from this console's device. */
  atTracker: number;
  /** Acknowledged here but absent at the tracker. */
  missing: string[];
  /** Held at the tracker for this device but not in the console's log. */
  extra: string[];
  /** Ids the tracker returned more than once, and (device, HLC) pairs held under more than one id. */
  duplicates: string[];
  /** Same id, different content (canonical form of the envelope). */
  payloadMismatches: string[];
  /**
   * Events the tracker stored before one the device numbered earlier (by serverSeq against
   * deviceSeq): a push stored before the push it follows (round 16x keeps two in flight).
   */
  outOfOrder: string[];
}

/**
 * Exactly-once, counted: every event a console's log marks acknowledged is at the tracker
 * once, with the same canonical content, and the tracker holds nothing for that device
 * the console did not write. A `UNIQUE` id column alone cannot show this.
 */
export function deliveryCount(
  store: Pick<EventStore, 'db'>,
  deviceId: string,
  held: readonly z.infer<typeof PulledEvent>[],
): DeliveryCount {
  const rows = store.db.prepare('SELECT * FROM events WHERE device_id = ?').all(deviceId) as EventRow[];
  const local = new Map(
    rows.map(toStored).map((e) => [e.id, { synced: e.syncedAt !== null, text: canonicalEvent(e) }]),
  );
  const mine = held.filter((e) => e.deviceId === deviceId);
  const seenIds = new Map<string, number>();
  const seenHlc = new Map<string, number>();
  for (const e of mine) {
    seenIds.set(e.id, (seenIds.get(e.id) ?? 0) + 1);
    seenHlc.set(e.hlc, (seenHlc.get(e.hlc) ?? 0) + 1);
  }
  const payloadMismatches: string[] = [];
  for (const e of mine) {
    const l = local.get(e.id);
    if (l && l.text !== canonicalEvent(e)) payloadMismatches.push(e.id);
  }
  const outOfOrder: string[] = [];
  let lastSeq = 0;
  for (const e of [...mine].sort((a, b) => a.serverSeq - b.serverSeq)) {
    if (e.deviceSeq === undefined) continue;
    if (e.deviceSeq <= lastSeq) outOfOrder.push(`${e.id} (deviceSeq ${e.deviceSeq} after ${lastSeq})`);
    lastSeq = Math.max(lastSeq, e.deviceSeq);
  }
  return {
    written: local.size,
    acknowledged: [...local.values()].filter((l) => l.synced).length,
    atTracker: mine.length,
    missing: [...local].filter(([id, l]) => l.synced && !seenIds.has(id)).map(([id]) => id),
    extra: mine.filter((e) => !local.has(e.id)).map((e) => e.id),
    duplicates: [
      ...[...seenIds].filter(([, n]) => n > 1).map(([id]) => `id ${id}`),
      ...[...seenHlc].filter(([, n]) => n > 1).map(([hlc]) => `hlc ${hlc}`),
    ],
    payloadMismatches,
    outOfOrder,
  };
}
