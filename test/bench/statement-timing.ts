/**
 * Bench instrumentation: wraps better-sqlite3's statement methods (run, get, all) once per
 * process so that every statement run reports its SQL and its wall time to `onRun`.
 */
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';

export function timeStatements(onRun: (source: string, ms: number) => void): void {
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  for (const method of ['run', 'get', 'all'] as const) {
    const original = statementProto[method] as (...args: unknown[]) => unknown;
    statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
      const t = performance.now();
      try {
        return original.apply(this, args);
      } finally {
        onRun(this.source, performance.now() - t);
      }
    };
  }
}
