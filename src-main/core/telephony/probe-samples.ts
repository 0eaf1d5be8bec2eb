/**
 * Recent probe results per line (for the RTT sparkline), kept as a fixed-size ring
 * in a plain table: measurements are not events. Writes are buffered and flushed
 * in one transaction, so 200 lines probed every 5 s cost one commit per flush, not
 * forty fsyncs a second.
 *
 * That commit does not wait for the disk either (`synchronous=NORMAL` for it alone, as the
 * search index's): samples are measurements, a power cut may take back the last second of
 * them, and the next durable command's fsync flushes them anyway. Waiting took one fsync a
 * second on the core's thread while a monitor runs, which on a busy disk reached tens of
 * milliseconds (issue 16: 46 ms for one of the retention sweep's commit fsyncs).
 */
import type { Db } from '../store/database.ts';
import type { ProbeResult, RttSample } from '../../../src-shared/telephony.ts';

export const SAMPLES_PER_LINE = 720; // an hour at a 5 s interval

export interface ProbeSamples {
  add(facilityId: string, lineId: string, result: ProbeResult): void;
  flush(): void;
  recent(facilityId: string, lineId: string, limit: number): RttSample[];
  pending(): number;
}

export function createProbeSamples(db: Db, perLine = SAMPLES_PER_LINE): ProbeSamples {
  const buffer: { facilityId: string; lineId: string; result: ProbeResult }[] = [];
  const nextSlot = new Map<string, number>();
  const lastSlotQ = db.prepare<[string, string], { slot: number }>(
    'SELECT slot FROM line_samples WHERE facility_id = ? AND line_id = ? ORDER BY at DESC, slot DESC LIMIT 1',
  );
  const upsert = db.prepare(
    `INSERT INTO line_samples (facility_id, line_id, slot, at, outcome, rtt_ms) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (facility_id, line_id, slot) DO UPDATE SET at = excluded.at, outcome = excluded.outcome, rtt_ms = excluded.rtt_ms`,
  );
  const recentQ = db.prepare<[string, string, number], { at: number; outcome: string; rtt_ms: number | null }>(
    'SELECT * FROM (SELECT at, outcome, rtt_ms, slot FROM line_samples WHERE facility_id = ? AND line_id = ? ORDER BY at DESC, slot DESC LIMIT ?) ORDER BY at, slot',
  );
  const write = db.transaction((rows: typeof buffer) => {
    for (const { facilityId, lineId, result } of rows) {
      const key = `${facilityId}\u0000${lineId}`;
      let slot = nextSlot.get(key);
      if (slot === undefined) {
        const last = lastSlotQ.get(facilityId, lineId);
        slot = last ? (last.slot + 1) % perLine : 0;
      }
      upsert.run(facilityId, lineId, slot, result.at, result.state, result.rttMs);
      nextSlot.set(key, (slot + 1) % perLine);
    }
  });
  return {
    add(facilityId, lineId, result) {
      buffer.push({ facilityId, lineId, result });
    },
    flush() {
      if (buffer.length === 0 || !db.open) return;
      // Not prepared once: SQLite applies `PRAGMA synchronous` as it runs (see lazyCommit).
      const level = db.inTransaction ? 0 : (db.pragma('synchronous', { simple: true }) as number);
      if (level > 1) db.pragma('synchronous = NORMAL');
      try {
        write(buffer.splice(0));
      } finally {
        if (level > 1) db.pragma(`synchronous = ${level}`);
      }
    },
    recent(facilityId, lineId, limit) {
      this.flush();
      return recentQ
        .all(facilityId, lineId, Math.min(limit, perLine))
        .map((r) => ({ at: r.at, outcome: r.outcome as RttSample['outcome'], rttMs: r.rtt_ms }));
    },
    pending: () => buffer.length,
  };
}
