/**
 * `node test/bench/console-plans.ts`: SQLite's EXPLAIN QUERY PLAN for every statement a
 * console prepares against its event log and incident tables, on a freshly migrated console
 * (the console's analogue of tracker-plans.ts). The statements are the ones the code really
 * prepares: `Database.prototype.prepare` is wrapped while a test console opens and while the
 * incident list and search run once, so a reader whose index was dropped (schema 12, 13) shows
 * up here as a SCAN. Statements prepared later, on paths not run here (the mesh's, the
 * retention sweep's), are not listed; their plans are checked in their own tests.
 * Prints the table and, last, the statements that scan `events` or `incidents` whole.
 */
import Database from 'better-sqlite3';
import { cleanupTestConsoles, openTestConsole } from '../support/consoles.ts';
import { listIncidents } from '../../src-main/core/incidents/list.ts';

const seen = new Set<string>();
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, sql: string) {
  seen.add(sql.replace(/\s+/g, ' ').trim());
  return prepare.call(this, sql);
} as typeof prepare;

/** Any values do: the plan depends on the statement's shape, not on them. */
function bindings(sql: string): unknown[] {
  const named = [...sql.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  if (named.length > 0) return [Object.fromEntries(named.map((n) => [n, null]))];
  return Array.from(sql.matchAll(/\?/g), () => null);
}

const touches = /\b(FROM|JOIN|UPDATE|INTO)\s+(events|incidents)\b/i;
try {
  const c = openTestConsole();
  const db = c.core.store.db;
  for (const query of [undefined, 'brand']) {
    listIncidents(db, { limit: 50, offset: 0, query } as Parameters<typeof listIncidents>[1]);
    listIncidents(db, { limit: 50, offset: 0, status: ['open'], query } as Parameters<typeof listIncidents>[1]);
  }
  Database.prototype.prepare = prepare;
  const rows: { sql: string; plan: string }[] = [];
  for (const sql of seen) {
    if (!touches.test(sql) || /^(CREATE|DROP|ALTER|PRAGMA)/i.test(sql)) continue;
    let plan: string;
    try {
      plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...bindings(sql)) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    } catch (error) {
      plan = `(not explained: ${(error as Error).message})`;
    }
    rows.push({ sql: sql.length > 140 ? `${sql.slice(0, 139)}…` : sql, plan });
  }
  rows.sort((a, b) => a.sql.localeCompare(b.sql));
  for (const r of rows) console.log(`${r.sql}\n    ${r.plan || '(no plan: a plain INSERT or VALUES)'}`);
  // A scan in rowid order that stops at its LIMIT (the chain's last hash) reads one row.
  const scans = rows.filter(
    (r) =>
      /\bSCAN (events|incidents|e|i)\b(?! USING (COVERING )?INDEX)/.test(r.plan) &&
      !/ORDER BY seq DESC LIMIT 1$/.test(r.sql),
  );
  console.log(`\n${rows.length} statements on events/incidents; whole-table scans: ${scans.length}`);
  for (const r of scans) console.log(`  SCAN: ${r.sql}\n        ${r.plan}`);
} finally {
  Database.prototype.prepare = prepare;
  cleanupTestConsoles();
}
