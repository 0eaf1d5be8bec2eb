/**
 * `--import` preload for the tracker process (issue 16, round 16ab): the main thread's CPU
 * time (`process.threadCpuUsage`, so a COMMIT's wait for the disk is not in it) and wall time
 * per SQL statement, by the statement's text with its VALUES lists folded, written as JSON to
 * `$GUARDLINE_BENCH_SQL_STATS.<pid>.json` every second and at exit. cpuprofile-stages.ts can
 * only say "a statement" (Kysely runs it a few promise hops from the code that built it);
 * this says which. Other threads (the projector's, the workers') are left alone.
 *
 *   node test/bench/sync/drain-ab.ts 50000 1 "NODE_OPTIONS=--import=$PWD/test/bench/sync/sqlite-statement-preload.ts,GUARDLINE_BENCH_SQL_STATS=/tmp/sql" ""
 *   node test/bench/sync/sqlite-statement-preload.ts --events 50004 /tmp/sql.<pid>.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

interface Use {
  calls: number;
  cpuMs: number;
  wallMs: number;
}

/** The statement's text with its multi-row VALUES list and IN lists folded, so a 1,000-row INSERT is one key. */
export function statementKey(source: string): string {
  return source
    .replace(/VALUES\s*(\([^)]*\))(\s*,\s*\([^)]*\))*/gi, 'VALUES (…)')
    .replace(/in\s*\((\s*\?\s*,)*\s*\?\s*\)/gi, 'in (…)')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}

function instrument(out: string): void {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  const uses = new Map<string, Use>();
  const cpuMs = () => {
    const { user, system } = process.threadCpuUsage();
    return (user + system) / 1000;
  };
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    const original = proto[method] as (...args: unknown[]) => unknown;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      const cpu = cpuMs();
      const wall = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        const key = statementKey(this.source);
        const use = uses.get(key) ?? { calls: 0, cpuMs: 0, wallMs: 0 };
        use.calls += 1;
        use.cpuMs += cpuMs() - cpu;
        use.wallMs += performance.now() - wall;
        uses.set(key, use);
      }
    };
  }
  const file = `${out}.${process.pid}.json`;
  const write = () =>
    writeFileSync(file, JSON.stringify({ threadCpuMs: cpuMs(), statements: Object.fromEntries(uses) }, null, 1));
  setInterval(write, 1000).unref();
  process.on('exit', write);
}

/** Prints a stats file as a table, in ms per 1,000 events. */
function report(events: number, file: string): void {
  const { threadCpuMs, statements } = JSON.parse(readFileSync(file, 'utf8')) as {
    threadCpuMs: number;
    statements: Record<string, Use>;
  };
  const per = (ms: number) => Math.round((ms / events) * 1000 * 100) / 100;
  const rows = Object.entries(statements).sort((a, b) => b[1].cpuMs - a[1].cpuMs);
  const total = rows.reduce((sum, [, u]) => sum + u.cpuMs, 0);
  console.log(
    `${file}: the main thread's CPU ${Math.round(threadCpuMs)} ms over the process's life, in SQL statements ${Math.round(total)} ms ` +
      `(${per(total)} ms per 1,000 of ${events} events)`,
  );
  console.table(
    rows.slice(0, 15).map(([sql, u]) => ({
      statement: sql.slice(0, 90),
      calls: u.calls,
      'CPU ms per 1,000 events': per(u.cpuMs),
      'wall ms per 1,000 events': per(u.wallMs),
    })),
  );
}

const stats = process.env.GUARDLINE_BENCH_SQL_STATS;
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const [flag, events, ...files] = process.argv.slice(2);
  if (flag !== '--events' || !events || files.length === 0)
    throw new Error('usage: sqlite-statement-preload.ts --events <n> <stats.json>…');
  for (const file of files) report(Number(events), file);
} else if (stats && isMainThread) {
  instrument(stats);
}
