/**
 * Which SQL statements a piece of work runs, for tests that pin down what a command reads
 * (a fold that must not read back a row, a sign-in that reads the staff record once):
 * better-sqlite3's Statement methods that return rows, wrapped while `fn` runs.
 */
import Database from 'better-sqlite3';

/** The SQL of every statement run with get, all or iterate while `fn` runs, that `matches` accepts. */
export async function statementsRunDuring(
  matches: (sql: string) => boolean,
  fn: () => Promise<void>,
): Promise<string[]> {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  const reads: string[] = [];
  const originals = (['get', 'all', 'iterate'] as const).map((m) => [m, proto[m]!] as const);
  for (const [m, original] of originals) {
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      if (matches(this.source)) reads.push(this.source);
      return original.apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    for (const [m, original] of originals) proto[m] = original;
  }
  return reads;
}
