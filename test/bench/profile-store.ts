/**
 * `npm run bench profile`: where the time of a durable incident command goes (issue 16).
 * Not a speed race but an account, every figure written by this code:
 *  - statements: each SQL statement a command runs, how often per command, its share of
 *    the command's time and its query plan (EXPLAIN QUERY PLAN), plus statements
 *    prepared per command (better-sqlite3 does not cache `db.prepare`);
 *  - pages: WAL frames appended per command, split by the table or index each page
 *    belongs to (the WAL's frame headers name the page; SQLite's dbstat names its owner);
 *  - disk vs CPU: the same command with synchronous=FULL and, in a throwaway copy of the
 *    profile only, synchronous=OFF, so the difference is the wait for the disk;
 *  - CPU profile: the functions with the most self time (node:inspector's profiler).
 * Pages are read from the WAL's frame headers, following the WAL when a checkpoint restarts it.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ConsoleCore } from '../../src-main/core/console-core.ts';
import { tempDir } from '../support/temp.ts';
import type { ProfileNode } from './cpuprofile.ts';
import { startBenchConsole, timedIncidentCommand } from './bench-console.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';
import { timeStatements } from './statement-timing.ts';

const WARMUP = 100;
const COMMANDS = 400;

interface StatementUse {
  calls: number;
  ms: number;
}

/** Counts and times every statement run, by its SQL, and every prepare. */
function instrumentSqlite(): { uses: Map<string, StatementUse>; prepares: () => number; reset: () => void } {
  const uses = new Map<string, StatementUse>();
  let prepares = 0;
  timeStatements((source, ms) => {
    const use = uses.get(source) ?? { calls: 0, ms: 0 };
    use.calls += 1;
    use.ms += ms;
    uses.set(source, use);
  });
  const dbProto = Database.prototype as unknown as Record<string, unknown>;
  const prepare = dbProto.prepare as (...args: unknown[]) => unknown;
  dbProto.prepare = function (this: unknown, ...args: unknown[]) {
    prepares += 1;
    return prepare.apply(this, args);
  };
  return {
    uses,
    prepares: () => prepares,
    reset: () => {
      uses.clear();
      prepares = 0;
    },
  };
}

const command = (core: ConsoleCore, i: number) => timedIncidentCommand(core, `Profile ${i}`);

/**
 * Between commands the console's event loop turns (IPC), and work queued after a commit
 * runs then: the search index (issue 16). Outside the timed command, as in the console.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Page numbers of the WAL frames appended since the last call (32-byte header, then per
 * frame a 24-byte header + the page). A checkpoint lets the writer restart the WAL from its
 * start with new salts; frames are valid while their salt matches the header's.
 */
function walPages(
  walFile: string,
  last: { salt: string; end: number },
  pageSize: number,
): { pages: number[]; salt: string; end: number } {
  const size = statSync(walFile).size;
  const fd = openSync(walFile, 'r');
  const head = Buffer.alloc(24);
  const pages: number[] = [];
  try {
    readSync(fd, head, 0, 8, 16);
    const salt = head.subarray(0, 8).toString('hex');
    let at = salt === last.salt ? Math.max(last.end, 32) : 32;
    for (; at + 24 + pageSize <= size; at += 24 + pageSize) {
      readSync(fd, head, 0, 24, at);
      if (head.subarray(8, 16).toString('hex') !== salt) break;
      pages.push(head.readUInt32BE(0));
    }
    return { pages, salt, end: at };
  } finally {
    closeSync(fd);
  }
}

export interface StoreProfile {
  commands: number;
  statements: { sql: string; perCommand: number; msPerCommand: number; share: number; plan: string[] }[];
  preparesPerCommand: number;
  walFramesPerCommand: number;
  /** Frames written after the command's commit, before the next command (the search index; no fsync of their own). */
  walFramesAfterCommitPerCommand: number;
  oneRowWalFramesPerCommit: number;
  pagesByOwner: { owner: string; perCommand: number }[];
  commandFull: { p50: number; p99: number };
  commandNoSync: { p50: number; p99: number };
  cpuTop: { fn: string; where: string; selfMsPerCommand: number; share: number }[];
  /** The same command signed and unsigned, alternating blocks: commit pages and CPU-only (synchronous=OFF) time. */
  signing?: Record<'on' | 'off', { walFramesPerCommand: number; cpuOnlyP50: number; cpuOnlyP99: number }>;
}

export async function profileStore(): Promise<StoreProfile> {
  const dir = tempDir('guardline-profile-');
  const sql = instrumentSqlite();
  try {
    const core = await startBenchConsole(join(dir.path, 'profile.sqlite'));
    const db = core.store.db;
    for (let i = 0; i < WARMUP; i++) await command(core, i);
    db.pragma('wal_checkpoint(TRUNCATE)');

    // Statements, pages, and time with synchronous=FULL (as shipped).
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const walFile = `${core.store.file}-wal`;
    let wal = { salt: '', end: 0 };
    const pageCounts = new Map<number, number>();
    let frames = 0;
    let framesAfter = 0;
    sql.reset();
    const full: number[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      full.push(await command(core, i));
      const { pages, salt, end } = walPages(walFile, wal, pageSize);
      wal = { salt, end };
      frames += pages.length;
      for (const p of pages) pageCounts.set(p, (pageCounts.get(p) ?? 0) + 1);
      await turn();
      const after = walPages(walFile, wal, pageSize);
      wal = { salt: after.salt, end: after.end };
      framesAfter += after.pages.length;
      progress('profile commands (FULL)', i + 1, COMMANDS);
    }
    const uses = [...sql.uses.entries()];
    const preparesPerCommand = sql.prepares() / COMMANDS;
    const commandMs = full.reduce((a, b) => a + b, 0);
    const owners = new Map<number, string>(
      (db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]).map((r) => [
        r.pageno,
        r.name,
      ]),
    );
    const byOwner = new Map<string, number>();
    for (const [page, count] of pageCounts) {
      const owner = page === 1 ? 'database header (page 1)' : (owners.get(page) ?? 'freelist / new page');
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + count);
    }
    const statements = uses
      .filter(([source]) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)/i.test(source))
      .map(([source, use]) => {
        // The plan with every parameter bound to NULL: the shape of the plan does not depend on values.
        const named = Object.fromEntries([...source.matchAll(/@(\w+)/g)].map((m) => [m[1], null]));
        const positional = Array.from({ length: (source.match(/\?/g) ?? []).length }, () => null);
        const explain = db.prepare(`EXPLAIN QUERY PLAN ${source}`);
        const plan = (
          (Object.keys(named).length ? explain.all(named) : explain.all(...positional)) as { detail: string }[]
        ).map((r) => r.detail);
        return {
          sql: source.replace(/\s+/g, ' ').trim(),
          perCommand: round(use.calls / COMMANDS, 2),
          msPerCommand: round(use.ms / COMMANDS, 4),
          share: round(use.ms / commandMs, 3),
          plan,
        };
      })
      .sort((a, b) => b.msPerCommand - a.msPerCommand);

    // The same command without waiting for the disk (profile copy only).
    db.pragma('synchronous = OFF');
    const noSync: number[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      noSync.push(await command(core, i));
      await turn();
    }

    // CPU profile of the shipped configuration.
    db.pragma('synchronous = FULL');
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    for (let i = 0; i < COMMANDS; i++) {
      await command(core, i);
      await turn();
    }
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();

    // What signing adds (identity, issue 12): the same command unsigned, pages and CPU-only time,
    // in alternating blocks with the signed command so both see the same machine.
    const signing = { on: { frames: 0, n: 0, ms: [] as number[] }, off: { frames: 0, n: 0, ms: [] as number[] } };
    // Skip the frames the OFF and CPU phases wrote: only the signing blocks' own commits count.
    ({ salt: wal.salt, end: wal.end } = walPages(walFile, wal, pageSize));
    for (let block = 0; block < 8; block++) {
      const side = block % 2 === 0 ? signing.off : signing.on;
      core.store.useSigner(side === signing.off ? null : core.identity);
      for (let i = 0; i < COMMANDS / 8; i++) {
        db.pragma('synchronous = FULL');
        await command(core, i);
        const { pages, salt, end } = walPages(walFile, wal, pageSize);
        wal = { salt, end };
        side.frames += pages.length;
        side.n += 1;
        await turn();
        ({ salt: wal.salt, end: wal.end } = walPages(walFile, wal, pageSize));
        db.pragma('synchronous = OFF');
        side.ms.push(await command(core, i));
        await turn();
        ({ salt: wal.salt, end: wal.end } = walPages(walFile, wal, pageSize));
      }
    }
    db.pragma('synchronous = FULL');
    core.store.useSigner(core.identity);
    await core.close();

    const oneRow = new Database(join(dir.path, 'one-row.sqlite'));
    oneRow.pragma('journal_mode = WAL');
    oneRow.pragma('synchronous = FULL');
    oneRow.pragma('wal_autocheckpoint = 0');
    oneRow.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const oneRowStart = statSync(join(dir.path, 'one-row.sqlite-wal')).size;
    const insert = oneRow.prepare('INSERT INTO t (v) VALUES (?)');
    for (let i = 0; i < COMMANDS; i++) insert.run('x'.repeat(300));
    const oneRowFrames = (statSync(join(dir.path, 'one-row.sqlite-wal')).size - oneRowStart) / (24 + pageSize);
    oneRow.close();

    return {
      commands: COMMANDS,
      statements,
      preparesPerCommand: round(preparesPerCommand, 2),
      walFramesPerCommand: round(frames / COMMANDS, 2),
      walFramesAfterCommitPerCommand: round(framesAfter / COMMANDS, 2),
      oneRowWalFramesPerCommit: round(oneRowFrames / COMMANDS, 2),
      pagesByOwner: [...byOwner.entries()]
        .map(([owner, n]) => ({ owner, perCommand: round(n / COMMANDS, 2) }))
        .sort((a, b) => b.perCommand - a.perCommand),
      commandFull: { p50: round(percentile(full, 50)), p99: round(percentile(full, 99)) },
      commandNoSync: { p50: round(percentile(noSync, 50)), p99: round(percentile(noSync, 99)) },
      cpuTop: cpuTop(profile, COMMANDS),
      signing: Object.fromEntries(
        (['on', 'off'] as const).map((k) => [
          k,
          {
            walFramesPerCommand: round(signing[k].frames / signing[k].n, 2),
            cpuOnlyP50: round(percentile(signing[k].ms, 50)),
            cpuOnlyP99: round(percentile(signing[k].ms, 99)),
          },
        ]),
      ) as StoreProfile['signing'],
    };
  } finally {
    dir.cleanup();
  }
}

export function cpuTop(
  profile: { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[] },
  commands: number,
): StoreProfile['cpuTop'] {
  const total = profile.samples?.length ?? 0;
  const usPerSample = total ? (profile.endTime - profile.startTime) / total : 0;
  const self = new Map<string, { fn: string; where: string; hits: number }>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const fn = node.callFrame.functionName || '(anonymous)';
    const where = node.callFrame.url
      ? `${node.callFrame.url.replace(/^.*\/(src-|node_modules\/|test\/)/, '$1')}:${node.callFrame.lineNumber + 1}`
      : '';
    const key = `${fn}@${where}`;
    const entry = self.get(key) ?? { fn, where, hits: 0 };
    entry.hits += hits;
    self.set(key, entry);
  }
  return [...self.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, 15)
    .map((e) => ({
      fn: e.fn,
      where: e.where,
      selfMsPerCommand: round((e.hits * usPerSample) / 1000 / commands, 4),
      share: round(e.hits / total, 3),
    }));
}

/** The bench suite: the headline figures as rows; the whole account goes into the JSON. */
export async function profileBench(): Promise<{ rows: BenchRow[]; detail: StoreProfile }> {
  const p = await profileStore();
  const rows: BenchRow[] = [
    { metric: 'WAL frames (pages) written per incident command', value: p.walFramesPerCommand, unit: 'pages' },
    {
      metric: 'WAL frames written after the command commit (search index, no fsync of its own)',
      value: p.walFramesAfterCommitPerCommand,
      unit: 'pages',
    },
    ...(p.signing
      ? (['on', 'off'] as const).flatMap((k) => [
          {
            metric: `signing ${k}: WAL frames per incident command`,
            value: p.signing![k].walFramesPerCommand,
            unit: 'pages',
          },
          {
            metric: `signing ${k}: command p50, synchronous=OFF (CPU only)`,
            value: p.signing![k].cpuOnlyP50,
            unit: 'ms',
          },
          {
            metric: `signing ${k}: command p99, synchronous=OFF (CPU only)`,
            value: p.signing![k].cpuOnlyP99,
            unit: 'ms',
          },
        ])
      : []),
    { metric: 'WAL frames per SQLite one-row commit', value: p.oneRowWalFramesPerCommit, unit: 'pages' },
    { metric: 'statements prepared per incident command', value: p.preparesPerCommand, unit: 'prepares' },
    { metric: 'incident command p50, synchronous=FULL', value: p.commandFull.p50, unit: 'ms' },
    { metric: 'incident command p50, synchronous=OFF (CPU only)', value: p.commandNoSync.p50, unit: 'ms' },
    { metric: 'incident command p99, synchronous=FULL', value: p.commandFull.p99, unit: 'ms' },
    { metric: 'incident command p99, synchronous=OFF (CPU only)', value: p.commandNoSync.p99, unit: 'ms' },
  ];
  return { rows, detail: p };
}
