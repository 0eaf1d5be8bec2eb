/**
 * The retention sweep's slices commit without waiting for their fsync (issue 16: the fsync
 * alone held the core's thread up to 46 ms); the store syncs the WAL off the thread and
 * only then lets the archives leave the console. Whatever the sweep was doing when the
 * console died, a guard's saved incidents are all there, the file and the log's hash chain
 * are whole, the projections agree with the log, and the next sweep finishes the job:
 * every due incident archived exactly once, this console's feed numbered without gaps.
 *
 * A kill -9 keeps what the process wrote (the operating system holds the WAL); a power cut
 * may take back the last slice not yet flushed. The second test makes that crash image (the
 * database file and the WAL as far as the last flush) and shows the slice never left the
 * console and the next sweep redoes it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { ConsoleCore } from '../../../src-main/core/console-core.ts';
import { openRetentionConsole } from './fixtures/retention-console.ts';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { encodeHlc } from '../../../src-shared/hlc.ts';
import { DAY_MS } from '../../../src-shared/retention.ts';
import { incidentInput } from '../../support/incidents.ts';
import { signIn } from '../../support/staff.ts';
import { tempDir } from '../../support/temp.ts';
import { walEnd } from '../../support/wal.ts';

const dir = tempDir('guardline-retention-crash-');
afterAll(() => dir.cleanup());

const DUE = 400;
/** The kill comes after this many slices have committed (of the ~100 or more a 1 ms budget gives). */
const KILL_AFTER_SLICES = 12;

const openConsole = (dataFile: string, retention: boolean): ConsoleCore =>
  openRetentionConsole(dataFile, retention ? { closedIncidentDays: 30 } : null);

/** This console's feed is numbered 1, 2, 3… without a gap or a repeat. */
function expectGapFreeFeed(core: ConsoleCore): void {
  const feed = core.store.db
    .prepare(
      'SELECT count(device_seq) AS n, count(DISTINCT device_seq) AS d, max(device_seq) AS top FROM events WHERE device_id = ?',
    )
    .get(core.info().deviceId) as { n: number; d: number; top: number };
  expect(feed.n).toBe(feed.top);
  expect(feed.d).toBe(feed.top);
}

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
      expectGapFreeFeed(core);
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

  it('a power cut before a slice is flushed takes back that slice alone: it never left the console, and the next sweep archives it', async () => {
    const file = join(dir.path, 'power.sqlite');
    await seed(file);
    const core = openRetentionConsole(file, { closedIncidentDays: 30, sliceBudgetMs: 1 });
    const wal = `${file}-wal`;
    const image = join(dir.path, 'after-power-cut.sqlite');
    const isArchive = (e: { type: string }) => e.type === 'incident.archived';
    let flushedWalBytes = 0;
    let flushedArchives = 0;
    let slices = 0;
    let cut: { lost: string[]; inOutbox: number; shareable: number; firstLostSeq: number; flushed: number } | null =
      null;
    try {
      await signIn(core.dispatch);
      // Everything so far was committed durably: on disk up to the WAL's last frame.
      flushedWalBytes = walEnd(file);
      core.store.onCommitted((result) => {
        const n = result.stored.filter(isArchive).length;
        if (n === 0) return;
        // Announced: flushed. The sweep writes nothing more until then, so this is its WAL's synced end.
        flushedArchives += n;
        flushedWalBytes = walEnd(file);
      });
      const store = core.store as { append: typeof core.store.append };
      const append = core.store.append.bind(core.store);
      store.append = (events, options) => {
        const result = append(events, options);
        // Early in the sweep: before the checkpoint settled() asks for every few slices (a
        // checkpoint syncs the WAL first, so after one the slice would be on disk after all).
        if (options?.flushLater && ++slices === 2 && !cut) {
          // The power fails now: this slice is committed, its flush not done. What the disk
          // holds is the database file (no checkpoint has run) and the WAL up to the last flush.
          expect(core.store.checkpoints()?.completed).toBe(0);
          const lost = result.stored.map((e) => e.id);
          const outbox = new Set(core.store.outbox(100_000).map((e) => e.id));
          cut = {
            lost,
            inOutbox: lost.filter((id) => outbox.has(id)).length,
            shareable: core.store.shareableThrough(),
            firstLostSeq: result.stored[0]!.seq,
            flushed: flushedArchives,
          };
          copyFileSync(file, image);
          copyFileSync(`${file}-device-key.pem`, `${image}-device-key.pem`);
          writeFileSync(`${image}-wal`, readFileSync(wal).subarray(0, flushedWalBytes));
        }
        return result;
      };
      const run = await core.dispatch('retention.run', {}, { origin: 'test' });
      expect(run.ok).toBe(true);
    } finally {
      await core.close();
    }

    // The slice was committed but had not left: not in the outbox, past what may be shared.
    expect(cut).not.toBeNull();
    const { lost, inOutbox, shareable, firstLostSeq, flushed } = cut!;
    expect(lost.length).toBeGreaterThan(0);
    expect(inOutbox).toBe(0);
    expect(shareable).toBeLessThan(firstLostSeq);

    const raw = new Database(image);
    let archivedAfterCut: number;
    try {
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      archivedAfterCut = count(raw, 'SELECT count(*) AS n FROM incidents_archived');
      const has = raw.prepare<[string], { one: number }>('SELECT 1 AS one FROM events WHERE id = ?');
      for (const id of lost) expect(has.get(id), `lost archive ${id}`).toBeUndefined();
    } finally {
      raw.close();
    }
    // The image holds the flushed archives and nothing of the lost slice.
    expect(archivedAfterCut).toBe(flushed);
    expect(archivedAfterCut).toBeGreaterThan(0);

    const again = openConsole(image, true);
    try {
      expect(again.store.verifyChain()).toMatchObject({ ok: true });
      await signIn(again.dispatch);
      const run = await again.dispatch('retention.run', {}, { origin: 'test' });
      expect(run.ok).toBe(true);
      expect((run as { value: { archived: number } }).value.archived).toBe(DUE - archivedAfterCut);
      const db = again.store.db;
      expect(count(db, "SELECT count(*) AS n FROM events WHERE type = 'incident.archived'")).toBe(DUE);
      expectGapFreeFeed(again);
      expect(again.store.verifyChain()).toMatchObject({ ok: true });
    } finally {
      await again.close();
    }
    process.stderr.write(
      `retention power cut: slice ${lost.length} archives lost of ${DUE}, ${archivedAfterCut} flushed before it kept; the next sweep archived the remaining ${DUE - archivedAfterCut}\n`,
    );
  }, 120_000);
});
