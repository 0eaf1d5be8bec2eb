/**
 * `node test/bench/tracker-insert-costs.ts`: what the tracker's push INSERT pays for its
 * foreign keys and secondary indexes (issue 16, branch 16i), and for RETURNING (branch 16j).
 * On a freshly migrated tracker file, the push's own statements (the largest seq, then 1,000
 * rows with ON CONFLICT DO NOTHING, then the new rows read back by seq range, one transaction
 * per push with synchronous=FULL, as insert-events.ts runs them on SQLite) are timed per
 * push, wall clock and this thread's CPU, as shipped (the push's facility, receipt time and
 * pushing device bound once by name), with the single statement `… RETURNING id, server_seq`
 * and every value a positional parameter shipped before 16j, with
 * foreign keys on and off, and with secondary indexes dropped one at a time and all
 * together; the variants take turns within each round, so a busy machine weighs on all
 * alike. Prints the median per variant and the load average.
 */
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openTrackerDb } from '../../src-tracker/db/database.ts';
import { EVENT_INSERT_COLUMNS, EVENT_INSERT_TAIL } from '../../src-tracker/events/insert-events.ts';
import { tempDir } from '../support/temp.ts';
import { percentile, round } from './report.ts';

// `node test/bench/tracker-insert-costs.ts [rows per push]`: 1,000 (a drain's push) unless given, e.g. 25 (a live push).
const ROWS = Number(process.argv[2] ?? 1_000);
if (!Number.isSafeInteger(ROWS) || ROWS < 1) throw new Error(`rows per push: ${process.argv[2]}`);
const PUSHES_PER_ROUND = 10;
const ROUNDS = 5;
const COLUMNS = EVENT_INSERT_COLUMNS;
const SHARED = ['facility', 'received_at', 'pushed_by'] as const;
const OWN_AT = COLUMNS.flatMap((c, at) => ((SHARED as readonly string[]).includes(c) ? [] : [at]));
const SECONDARY = ['events_by_facility_seq', 'events_by_stream', 'events_by_author'];
const VARIANTS: { name: string; foreignKeys: boolean; drop: string[]; returning?: boolean; pageSize?: number }[] = [
  { name: 'as shipped (foreign keys on, every index, 4 KiB pages)', foreignKeys: true, drop: [] },
  // Fewer, larger WAL frames per commit (16q); each frame a whole page, so more bytes per commit (16t).
  { name: 'page size 16 KiB', foreignKeys: true, drop: [], pageSize: 16_384 },
  { name: 'page size 64 KiB', foreignKeys: true, drop: [], pageSize: 65_536 },
  { name: 'RETURNING id, server_seq (before 16j)', foreignKeys: true, drop: [], returning: true },
  { name: 'foreign keys off', foreignKeys: false, drop: [] },
  ...SECONDARY.map((index) => ({ name: `without ${index}`, foreignKeys: true, drop: [index] })),
  { name: 'without all three secondary indexes', foreignKeys: true, drop: SECONDARY },
];

/** Bytes this process has sent to the block layer so far (/proc/self/io), or null where there is no /proc. */
function diskBytes(): number | null {
  try {
    const bytes = /^write_bytes:\s*(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1];
    return bytes === undefined ? null : Number(bytes);
  } catch {
    return null;
  }
}

const dir = tempDir('guardline-tracker-insert-');
const loadBefore = loadavg()[0]!;
try {
  const dbs = [];
  for (const [v, variant] of VARIANTS.entries()) {
    const file = join(dir.path, `variant-${v}.sqlite`);
    if (variant.pageSize) {
      const made = new Database(file);
      made.pragma(`page_size = ${variant.pageSize}`);
      made.pragma('journal_mode = WAL');
      made.close();
    }
    await (await openTrackerDb({ kind: 'sqlite', file })).close();
    dbs.push({ variant, file });
  }
  const opened = dbs.map(({ variant, file }) => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`foreign_keys = ${variant.foreignKeys ? 'ON' : 'OFF'}`);
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    if (pageSize !== (variant.pageSize ?? 4_096)) throw new Error(`${variant.name}: page size ${pageSize}`);
    db.prepare("INSERT INTO facilities (id, created_at, name) VALUES ('F', 0, 'F')").run();
    db.prepare(
      "INSERT INTO devices (id, device_id, facility, label, token_hash, created_at) VALUES ('d', 'dev-1', 'F', 'l', 'h', 0)",
    ).run();
    for (const index of variant.drop) db.exec(`DROP INDEX ${index}`);
    const values = (row: string) =>
      `INSERT INTO events (${COLUMNS.join(', ')}) VALUES ${Array(ROWS).fill(row).join(', ')}`;
    // Before 16j: every column a positional parameter, RETURNING the new rows.
    const returning = db.prepare(`${values(`(${COLUMNS.map(() => '?').join(', ')})`)} ${EVENT_INSERT_TAIL}`);
    // Now: the columns every row of a push shares bound once by name (bulk-insert.ts), no RETURNING.
    const sharedRow = `(${COLUMNS.map((c) => ((SHARED as readonly string[]).includes(c) ? `@${c}` : '?')).join(', ')})`;
    const insert = db.prepare(`${values(sharedRow)} ON CONFLICT (id) DO NOTHING`);
    const head = db.prepare('SELECT max(server_seq) AS head FROM events');
    const readBack = db.prepare('SELECT id, server_seq FROM events WHERE server_seq > ? ORDER BY server_seq');
    const push = db.transaction((rows: unknown[][]) => {
      if (variant.returning) return returning.all(rows.flat()).length;
      const before = (head.get() as { head: number | null }).head ?? 0;
      const own: unknown[] = [];
      for (const row of rows) for (const at of OWN_AT) own.push(row[at]);
      insert.run(own, Object.fromEntries(SHARED.map((c) => [c, rows[0]![COLUMNS.indexOf(c)]])));
      return readBack.all(before).length;
    });
    return { variant, db, push, ms: [] as number[], cpu: [] as number[], bytes: [] as number[], next: 0 };
  });
  const parametersFor = (start: number) => {
    const parameters: unknown[][] = [];
    for (let i = start; i < start + ROWS; i++) {
      const payload = JSON.stringify({ title: `Händelse ${i}`, description: 'x'.repeat(160), severity: 'high' });
      parameters.push([
        `0190${String(i).padStart(28, '0')}`,
        'F',
        `stream-${Math.floor(i / 3)}`,
        'incident.created',
        payload,
        'A-1',
        'dev-1',
        1_700_000_000_000 + i,
        `${String(1_700_000_000_000 + i).padStart(15, '0')}:0000:dev-1`,
        1_700_000_000_000,
        'd',
        i + 1,
        's'.repeat(86),
        'p'.repeat(43),
      ]);
    }
    return parameters;
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of opened) {
      for (let p = 0; p < PUSHES_PER_ROUND; p++) {
        const parameters = parametersFor(variant.next);
        variant.next += ROWS;
        const written = diskBytes();
        const started = performance.now();
        const cpu = process.cpuUsage();
        const stored = variant.push(parameters);
        const used = process.cpuUsage(cpu);
        variant.ms.push(performance.now() - started);
        if (written !== null) variant.bytes.push((diskBytes()! - written) / 1024);
        variant.cpu.push((used.user + used.system) / 1000);
        if (stored !== ROWS) throw new Error(`${variant.variant.name}: ${stored} rows stored of ${ROWS}`);
      }
    }
  }
  console.table(
    opened.map(({ variant, ms, cpu, bytes }) => ({
      variant: variant.name,
      [`ms per ${ROWS}-row push (median)`]: round(percentile(ms, 50), 2),
      p90: round(percentile(ms, 90), 2),
      'CPU ms (median)': round(percentile(cpu, 50), 2),
      // What the commit sent to the disk (this process's write_bytes), WAL frames included: a frame is a whole page.
      'KiB written (median)': bytes.length > 0 ? round(percentile(bytes, 50), 0) : '?',
      pushes: ms.length,
    })),
  );
  for (const { db } of opened) db.close();
} finally {
  dir.cleanup();
}
console.log(`load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`);
