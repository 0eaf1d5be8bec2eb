/**
 * No single point of failure (issue 15): two tracker processes on one throwaway
 * PostgreSQL, two consoles holding both URLs. Under a stream of incidents the tracker
 * both consoles use, which also runs the HQ projector, is killed with SIGKILL; the
 * consoles carry on with the other within their backoff, every event is stored exactly
 * once, live updates keep arriving over SSE (console to console and to HQ), and the
 * surviving tracker takes the projector lock and projects every incident once.
 *
 * The failover time measured here (kill → an incident created right after it is stored
 * on the other tracker) is written to bench/results/tracker-failover.json, and README's
 * tables re-rendered, when the run asks for it (`GUARDLINE_RECORD_FAILOVER=1`): in the
 * everyday suite a recorded figure would make README disagree with its JSON mid-run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateReadme } from '../../../scripts/results-tables.ts';

const RECORD_ENV = 'GUARDLINE_RECORD_FAILOVER';
const RECORD = process.env[RECORD_ENV] === '1';
import { requirePostgres, startPostgres, type RunningPostgres } from '../../lab/postgres.ts';
import type { TestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import {
  ADMIN_TOKEN,
  FACILITY,
  hqAdmin,
  consoleIncidents,
  enrol,
  syncConsole,
  trackerEvents,
  waitForSync,
} from '../sync/sync-lab.ts';
import { startChildTracker, type ChildTracker } from './child-tracker.ts';
import { trackerClient } from './http-client.ts';
import { openSse } from './sse-client.ts';

const BEFORE_KILL = 60;
const AFTER_KILL = 60;
const LEADER_LINE = /now runs the HQ projector/;

const run = requirePostgres('two trackers on one PostgreSQL');
let dir: string;
let pg: RunningPostgres;
let t1: ChildTracker;
let t2: ChildTracker;
let a: TestConsole;
let b: TestConsole;

async function tracker(url: string): Promise<ChildTracker> {
  return startChildTracker({
    args: [],
    env: { DATABASE_URL: url, GUARDLINE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info' },
  });
}

async function code(trackerUrl: string): Promise<string> {
  const reply = await trackerClient(trackerUrl).post<{ code: string }>(
    '/v1/admin/enrolment-codes',
    { facility: FACILITY, ttlMinutes: 30 },
    await hqAdmin(trackerUrl),
  );
  return reply.body.code;
}

beforeAll(async () => {
  if (!run) return;
  dir = mkdtempSync(join(tmpdir(), 'guardline-two-trackers-'));
  pg = await startPostgres();
  const url = await pg.createDatabase('guardline_two_trackers');
  t1 = await tracker(url);
  await t1.waitForLine(LEADER_LINE);
  t2 = await tracker(url);
  const both = `${t1.url} ${t2.url}`;
  a = await syncConsole(dir, 'a');
  b = await syncConsole(dir, 'b');
  await enrol(a, both, await code(t2.url));
  await enrol(b, both, await code(t2.url));
  for (const c of [a, b]) await waitForSync(c, (s) => s.state === 'live' && s.pending === 0, 'first sync', 30_000);
}, 120_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await t1?.kill();
  await t2?.kill();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.runIf(run)('two trackers on one PostgreSQL', () => {
  it('only the first tracker runs the HQ projector while both serve', () => {
    expect(t1.output()).toMatch(LEADER_LINE);
    expect(t2.output()).not.toMatch(LEADER_LINE);
  });

  it('fans a push taken by one tracker out to SSE streams held on the other', async () => {
    // Both consoles talk to t1 (first in their list); HQ watches t2.
    const hq = await openSse(`${t2.url}/v1/hq/stream`, await hqAdmin(t2.url));
    const before = Math.max(0, ...hq.messages().map((m) => m.seq));
    const { id } = await a.call<{ id: string }>('incidents.create', incidentInput({ title: 'Före avbrottet' }));
    await hq.waitFor((m) => m.seq > before, 20_000);
    hq.close();
    await waitForSync(b, () => consoleIncidents(b).some((i) => i.id === id), 'B sees A’s incident', 20_000);
  });

  it(
    'keeps every console working through kill -9 of the tracker they use and that runs the projector',
    { timeout: 180_000 },
    async () => {
      const hq = await openSse(`${t2.url}/v1/hq/stream`, await hqAdmin(t2.url));
      const created: string[] = [];
      for (let i = 0; i < BEFORE_KILL; i++) {
        created.push((await a.call<{ id: string }>('incidents.create', incidentInput({ title: `Last ${i}` }))).id);
      }
      await waitForSync(a, (s) => s.pending === 0, 'A pushed before the kill', 60_000);
      const events0 = await trackerEvents(t2.url, a.core.store.getMeta('sync.device_token')!);
      const killedAt = Date.now();
      t1.signal('SIGKILL');
      await t1.exited;
      // Failover time: the first write after the kill is stored on the survivor.
      created.push((await a.call<{ id: string }>('incidents.create', incidentInput({ title: 'Direkt efter' }))).id);
      await waitForSync(a, (s) => s.pending === 0, 'first write after the kill stored', 60_000);
      const failoverMs = Date.now() - killedAt;
      for (let i = 0; i < AFTER_KILL; i++) {
        created.push((await a.call<{ id: string }>('incidents.create', incidentInput({ title: `Efter ${i}` }))).id);
      }
      await waitForSync(
        a,
        (s) => s.pending === 0 && s.state === 'live' && (s.lastSuccessAt ?? 0) > killedAt,
        'A drained on t2',
        60_000,
      );

      // Live updates still arrive: B (whose stream was on t1) gets every one of A's incidents.
      await waitForSync(
        b,
        () => created.every((id) => consoleIncidents(b).some((i) => i.id === id)),
        'B has all of A’s incidents',
        60_000,
      );
      // HQ's stream on the survivor heard the pushes it took after the kill.
      const lastBeforeKill = Math.max(0, ...events0.map((e) => e.serverSeq));
      await hq.waitFor((m) => m.seq > lastBeforeKill, 20_000);
      hq.close();

      // Exactly once in the log, and the survivor took over the projector without double-counting.
      const token = a.core.store.getMeta('sync.device_token')!;
      const events = await trackerEvents(t2.url, token);
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      const createdEvents = events.filter((e) => e.type === 'incident.created').map((e) => e.streamId);
      for (const id of created) expect(createdEvents.filter((s) => s === id)).toHaveLength(1);
      await t2.waitForLine(LEADER_LINE, 30_000);
      const hqIncidents = await trackerClient(t2.url).get<{ incidents: { id: string }[] }>(
        '/v1/hq/incidents?limit=1000',
        await hqAdmin(t2.url),
      );
      const projected = hqIncidents.body.incidents.map((i) => i.id);
      expect(new Set(projected).size).toBe(projected.length);
      for (const id of created) expect(projected).toContain(id);
      const facilities = await trackerClient(t2.url).get<{ facilities: { incidents: number }[] }>(
        '/v1/hq/facilities',
        await hqAdmin(t2.url),
      );
      expect(facilities.body.facilities[0]!.incidents).toBe(projected.length);

      if (!RECORD) return;
      mkdirSync('bench/results', { recursive: true });
      writeFileSync(
        'bench/results/tracker-failover.json',
        `${JSON.stringify(
          {
            measured:
              'kill -9 of the tracker both consoles used (and the HQ projector leader) → an incident created right after it is stored on the other tracker',
            command: `${RECORD_ENV}=1 npx vitest run test/integration/tracker/two-trackers.test.ts`,
            failoverMs,
            incidentsBeforeKill: BEFORE_KILL,
            incidentsAfterKill: AFTER_KILL,
            at: new Date().toISOString(),
          },
          null,
          2,
        )}\n`,
      );
      await updateReadme();
    },
  );
});
