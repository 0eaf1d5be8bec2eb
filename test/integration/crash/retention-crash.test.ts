/**
 * The retention sweep's slices commit without waiting for their fsync (issue 16: the fsync
 * alone held the core's thread up to 46 ms); the store syncs the WAL off the thread and
 * only then lets the archives leave the console. Whatever the sweep was doing when the
 * console died, a guard's saved incidents are all there, the file and the log's hash chain
 * are whole, the projections agree with the log, and the next sweep finishes the job:
 * every due incident archived exactly once, this console's feed numbered without gaps.
 *
 * A kill -9 (here) keeps what the process wrote (the operating system holds the WAL); a
 * power cut may take back the last slice not yet flushed, which the next sweep redoes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { createConsoleCore, type ConsoleCore } from '../../../src-main/core/console-core.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { DAY_MS } from '../../../src-shared/retention.ts';
import { incidentInput } from '../../support/incidents.ts';
import { signIn } from '../../support/staff.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir('guardline-retention-crash-');
afterAll(() => dir.cleanup());

const DUE = 400;
/** The kill comes after this many slices have committed (of the ~100 or more a 1 ms budget gives). */
const KILL_AFTER_SLICES = 12;

const openConsole = (dataFile: string, retention: boolean): ConsoleCore =>
  createConsoleCore({
    dataFile,
    host: 'test',
    appVersion: 'retention-crash',
    facility: 'Märsta',
    unit: 'Avdelning B',
    pinParams: { N: 1024, r: 8, p: 1 },
    escalationPolicies: [],
    ...(retention ? { retention: { closedIncidentDays: 30 } } : {}),
  });

/** DUE incidents closed 90 days ago, and some not due: open ones and one closed yesterday. */
async function seed(dataFile: string): Promise<void> {
  const core = openConsole(dataFile, false);
  const long = Date.now() - 90 * DAY_MS;
  let counter = 0;
  const envelope = (type: EventEnvelope['type'], streamId: string, payload: unknown, at: number) =>
    ({
      id: uuidv7(),
      streamId,
      type,
      payload,
      actor: 'V1',
      deviceId: 'seed-desk',
      deviceTime: at,
      hlc: encodeHlc({ wallMs: at, counter: counter++, node: 'seed-desk' }),
    }) as EventEnvelope;
  const closed = (at: number): EventEnvelope[] => {
    const id = uuidv7();
    return [
      envelope('incident.created', id, incidentInput({ title: `Gammalt ärende ${counter}` }), at),
      envelope('incident.status_changed', id, { from: 'open', to: 'resolved', reason: '' }, at + 1),
      envelope('incident.status_changed', id, { from: 'resolved', to: 'closed', reason: '' }, at + 2),
    ];
  };
  try {
    const events: EventEnvelope[] = [];
    for (let i = 0; i < DUE; i++) events.push(...closed(long + i * 1000));
    for (let i = 0; i < 20; i++)
      events.push(envelope('incident.created', uuidv7(), incidentInput({ title: `Öppet ${i}` }), long + i));
    events.push(...closed(Date.now() - DAY_MS));
    core.store.append(events);
  } finally {
    await core.close();
  }
}

interface Killed {
  slices: number;
  lastSlice: number;
  lastDurable: number;
  acked: string[];
  done: boolean;
}

async function sweepThenKill(dataFile: string): Promise<Killed> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/retention-sweeper.ts'), dataFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const out: Killed = { slices: 0, lastSlice: 0, lastDurable: 0, acked: [], done: false };
  let aimed = false;
  // Read to the end of the pipe: the verdict comes from everything the child wrote before it died.
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ');
    if (word === 'slice') {
      out.slices += 1;
      out.lastSlice = Number(value);
    } else if (word === 'durable') out.lastDurable = Number(value);
    else if (word === 'ack') out.acked.push(value!);
    else if (word === 'done') out.done = true;
    if (!aimed && out.slices >= KILL_AFTER_SLICES) {
      aimed = true;
      child.kill('SIGKILL');
    }
  }
  expect(await exited, stderr).toBe('SIGKILL');
  return out;
}

const count = (db: Database.Database, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe('a console killed in the middle of a retention sweep', () => {
  it('keeps every saved incident, a whole log and chain, and the next sweep archives each due incident once', async () => {
    const file = join(dir.path, 'console.sqlite');
    await seed(file);
    const killed = await sweepThenKill(file);

    // The kill landed mid-sweep: slices had committed, the sweep had not finished.
    expect(killed.slices).toBeGreaterThanOrEqual(KILL_AFTER_SLICES);
    expect(killed.done).toBe(false);
    const raw = new Database(file, { readonly: true });
    let archivedAtKill: number;
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      archivedAtKill = count(raw, 'SELECT count(*) AS n FROM incidents_archived');
      // Every slice the child saw commit is in the file (a kill -9 takes back nothing written).
      expect(archivedAtKill).toBeGreaterThanOrEqual(killed.lastSlice);
      expect(killed.lastSlice).toBeGreaterThanOrEqual(killed.lastDurable);
      expect(archivedAtKill).toBeGreaterThan(0);
      expect(archivedAtKill).toBeLessThan(DUE);
      const has = raw.prepare<[string], { one: number }>('SELECT 1 AS one FROM incidents WHERE id = ?');
      for (const id of killed.acked) expect(has.get(id), `saved incident ${id}`).toBeDefined();
    } finally {
      raw.close();
    }

    process.stderr.write(
      `retention crash: killed after ${killed.slices} slices (${killed.lastSlice} archives committed, ${killed.lastDurable} announced on disk), ${archivedAtKill} of ${DUE} archived in the file, ${killed.acked.length} incidents saved meanwhile\n`,
    );
    const core = openConsole(file, true);
    try {
      expect(core.store.verifyChain()).toMatchObject({ ok: true });
      await signIn(core.dispatch);
      const run = await core.dispatch('retention.run', {}, { origin: 'test' });
      expect(run.ok).toBe(true);
      const { archived, status } = (run as { value: { archived: number; status: { due: number; archived: number } } })
        .value;
      expect(archived).toBe(DUE - archivedAtKill);
      expect(status).toMatchObject({ due: 0, archived: DUE });
      const db = core.store.db;
      // Each due incident archived exactly once, by this console, and nothing else archived.
      expect(count(db, "SELECT count(*) AS n FROM events WHERE type = 'incident.archived'")).toBe(DUE);
      expect(
        count(
          db,
          "SELECT count(*) AS n FROM (SELECT stream_id FROM events WHERE type = 'incident.archived' GROUP BY stream_id HAVING count(*) > 1)",
        ),
      ).toBe(0);
      // The guard's incidents stay open (one may have committed just before its ack was written).
      const open = count(db, "SELECT count(*) AS n FROM incidents WHERE status = 'open'");
      expect(open).toBeGreaterThanOrEqual(20 + killed.acked.length);
      expect(open).toBeLessThanOrEqual(20 + killed.acked.length + 1);
      // This console's feed is numbered 1, 2, 3… without a gap or a repeat across the crash.
      const feed = db
        .prepare(
          'SELECT count(device_seq) AS n, count(DISTINCT device_seq) AS d, max(device_seq) AS top FROM events WHERE device_id = ?',
        )
        .get(core.info().deviceId) as { n: number; d: number; top: number };
      expect(feed.n).toBe(feed.top);
      expect(feed.d).toBe(feed.top);
      // The projections agree with the log: archived ones out of the list and the search index.
      core.store.catchUpDeferred();
      expect(count(db, 'SELECT count(*) AS n FROM incidents_fts')).toBe(
        count(db, 'SELECT count(*) AS n FROM incidents'),
      );
      expect(count(db, 'SELECT count(*) AS n FROM incidents i JOIN incidents_archived a ON a.id = i.id')).toBe(0);
      expect(core.store.verifyChain()).toMatchObject({ ok: true });
    } finally {
      await core.close();
    }
  }, 120_000);
});
