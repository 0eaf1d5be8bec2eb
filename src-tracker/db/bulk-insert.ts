/**
 * Multi-row INSERT statements as plain SQL, built once per table, columns and row
 * count, for the tracker's two bulk writes (events, HQ's incident rows). Kysely's
 * builder re-parsed and re-compiled every value on every call, which cost more than
 * the insert itself; plain text also lets SQLite's statement cache reuse the
 * prepared statement. The databases differ only in placeholders.
 */
import { CompiledQuery, PostgresAdapter, type Kysely } from 'kysely';

const statements = new Map<string, string>();

export interface BulkInsert<Column extends string> {
  table: string;
  columns: readonly Column[];
  /** Appended after VALUES: ON CONFLICT and RETURNING clauses. */
  tail: string;
}

function insertSql(postgres: boolean, spec: BulkInsert<string>, rows: number): string {
  const key = `${postgres ? 'pg' : 'sqlite'}|${spec.table}|${spec.columns.join(',')}|${spec.tail}|${rows}`;
  let text = statements.get(key);
  if (text === undefined) {
    let n = 0;
    const placeholder = postgres ? () => `$${++n}` : () => '?';
    const values = Array.from({ length: rows }, () => `(${spec.columns.map(placeholder).join(', ')})`);
    text = `INSERT INTO ${spec.table} (${spec.columns.join(', ')}) VALUES ${values.join(', ')} ${spec.tail}`;
    statements.set(key, text);
  }
  return text;
}

function compiled<Column extends string>(
  db: Kysely<unknown>,
  spec: BulkInsert<Column>,
  rows: readonly Record<Column, string | number | null>[],
): CompiledQuery {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const parameters: (string | number | null)[] = [];
  for (const row of rows) for (const column of spec.columns) parameters.push(row[column]);
  return CompiledQuery.raw(insertSql(postgres, spec, rows.length), parameters);
}

export async function bulkInsert<Column extends string, Row = unknown>(
  db: Kysely<unknown>,
  spec: BulkInsert<Column>,
  rows: readonly Record<Column, string | number | null>[],
): Promise<Row[]> {
  if (rows.length === 0) return [];
  return (await db.executeQuery<Row>(compiled(db, spec, rows))).rows;
}

/** As bulkInsert, for a statement without RETURNING: how many rows it inserted (ON CONFLICT DO NOTHING skips some). */
export async function bulkInsertCount<Column extends string>(
  db: Kysely<unknown>,
  spec: BulkInsert<Column>,
  rows: readonly Record<Column, string | number | null>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  return Number((await db.executeQuery(compiled(db, spec, rows))).numAffectedRows ?? 0n);
}
