/**
 * Multi-row INSERT statements as plain SQL, built once per table, columns and row
 * count, for the tracker's two bulk writes (events, HQ's incident rows). Kysely's
 * builder re-parsed and re-compiled every value on every call, which cost more than
 * the insert itself; plain text also lets SQLite's statement cache reuse the
 * prepared statement. The databases differ only in placeholders.
 *
 * On SQLite, columns whose value is the same in every row of a statement (`shared`: the
 * push's facility, receipt time and pushing device) are named parameters, bound once per
 * statement instead of once per row: binding each of a 1,000-row push's 14,000 values was a
 * large share of the INSERT's CPU, and these are three of its fourteen columns (issue 16,
 * branch 16j; test/bench/tracker-insert-costs.ts times the statement). Their values travel
 * as a `SharedValues` at the end of the parameters, which the tracker's statement cache
 * (statement-cache.ts) hands to better-sqlite3 as its named-parameter object.
 */
import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';

const statements = new Map<string, string>();

type Value = string | number | null;

export interface BulkInsert<Column extends string> {
  table: string;
  columns: readonly Column[];
  /** Appended after VALUES: ON CONFLICT and RETURNING clauses. */
  tail: string;
  /** Columns every row of one statement holds the same value in: bound once on SQLite (checked). */
  shared?: readonly Column[];
}

/** The named parameters of a SQLite statement, bound once (`@column`); always the last parameter. */
export class SharedValues {
  readonly values: Readonly<Record<string, Value>>;
  constructor(values: Record<string, Value>) {
    this.values = values;
  }
}

function insertSql(postgres: boolean, spec: BulkInsert<string>, rows: number): string {
  const shared = postgres ? [] : (spec.shared ?? []);
  const key = `${postgres ? 'pg' : 'sqlite'}|${spec.table}|${spec.columns.join(',')}|${shared.join(',')}|${spec.tail}|${rows}`;
  let text = statements.get(key);
  if (text === undefined) {
    let n = 0;
    const placeholder = postgres ? () => `$${++n}` : (column: string) => (shared.includes(column) ? `@${column}` : '?');
    const values = Array.from({ length: rows }, () => `(${spec.columns.map(placeholder).join(', ')})`);
    text = `INSERT INTO ${spec.table} (${spec.columns.join(', ')}) VALUES ${values.join(', ')} ${spec.tail}`;
    statements.set(key, text);
  }
  return text;
}

function compiled<Column extends string>(
  db: Kysely<unknown>,
  spec: BulkInsert<Column>,
  rows: readonly Record<Column, Value>[],
): CompiledQuery {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const shared = postgres ? [] : (spec.shared ?? []);
  const text = insertSql(postgres, spec, rows.length);
  const parameters: (Value | SharedValues)[] = [];
  if (shared.length === 0) {
    for (const row of rows) for (const column of spec.columns) parameters.push(row[column]);
    return CompiledQuery.raw(text, parameters);
  }
  const own = spec.columns.filter((column) => !shared.includes(column));
  const first = rows[0]!;
  for (const row of rows) {
    for (const column of shared) {
      if (row[column] !== first[column])
        throw new Error(`${spec.table}.${column} differs between rows of one statement`);
    }
    for (const column of own) parameters.push(row[column]);
  }
  parameters.push(new SharedValues(Object.fromEntries(shared.map((column) => [column, first[column]]))));
  return CompiledQuery.raw(text, parameters);
}

export async function bulkInsert<Column extends string, Row = unknown>(
  db: Kysely<unknown>,
  spec: BulkInsert<Column>,
  rows: readonly Record<Column, Value>[],
): Promise<Row[]> {
  if (rows.length === 0) return [];
  return (await db.executeQuery<Row>(compiled(db, spec, rows))).rows;
}

/** As bulkInsert, for a statement without RETURNING: how many rows it inserted (ON CONFLICT DO NOTHING skips some). */
export async function bulkInsertCount<Column extends string>(
  db: Kysely<unknown>,
  spec: BulkInsert<Column>,
  rows: readonly Record<Column, Value>[],
): Promise<number> {
  return (await bulkInsertRun(db, spec, rows)).inserted;
}

/**
 * As bulkInsertCount, with the rowid of the last row it inserted (SQLite's last_insert_rowid,
 * which Kysely's driver reports as `insertId`); null when it inserted none or the driver gave none.
 */
export async function bulkInsertRun<Column extends string>(
  db: Kysely<unknown>,
  spec: BulkInsert<Column>,
  rows: readonly Record<Column, Value>[],
): Promise<{ inserted: number; lastRowid: number | null }> {
  if (rows.length === 0) return { inserted: 0, lastRowid: null };
  const result = await db.executeQuery(compiled(db, spec, rows));
  const inserted = Number(result.numAffectedRows ?? 0n);
  return { inserted, lastRowid: inserted > 0 && result.insertId !== undefined ? Number(result.insertId) : null };
}
