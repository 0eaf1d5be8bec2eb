import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../../src-tracker/db/statement-cache.ts';

describe('statement cache', () => {
  it('reuses the prepared statement for the same SQL and evicts the least recently used', () => {
    const db = withStatementCache(new Database(':memory:'), 2);
    const one = db.prepare('SELECT 1');
    expect(db.prepare('SELECT 1')).toBe(one);
    const two = db.prepare('SELECT 2');
    db.prepare('SELECT 1'); // now the most recent
    db.prepare('SELECT 3'); // evicts SELECT 2
    expect(db.prepare('SELECT 1')).toBe(one);
    expect(db.prepare('SELECT 2')).not.toBe(two);
    db.close();
  });
});
