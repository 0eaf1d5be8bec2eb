/**
 * Round 12w: the sender's read of its feed (mesh.ts `feedAfter`): 21,670 signed rows of the
 * receive bench's backlog in a real console's log, read 500 a statement as a peer's catch-up
 * reads them, and each row written as its feed JSON (`feedJson`), with
 * (a) `SELECT *, json_valid(payload)` as before this round, and
 * (b) only the columns the feed JSON and the session read.
 * Prints the main thread's CPU per variant, in turns, and whether both give the same texts.
 * Run from the worktree: node bench/results/history/12w-runs/feed-read.ts [rounds]
 */
import { loadavg } from 'node:os';
import { feedJson } from '../../../../src-main/core/mesh/mesh.ts';
import { offlineBacklog } from '../../../../test/bench/sync/offline-events.ts';
import { cleanupTestConsoles, openTestConsole } from '../../../../test/support/consoles.ts';

const rounds = Number(process.argv[2] ?? 5);
const backlog = offlineBacklog({
  count: 20_000,
  deviceId: '01939b00-0000-7000-8000-00000000b0b0',
  facility: 'Märsta',
  unit: 'Avdelning B',
  actor: 'v1234',
  startMs: Date.now() - 20_000,
  signed: true,
  escalations: true,
});
const c = openTestConsole({ facility: 'Märsta', unit: 'Ledningscentral' });
for (let i = 0; i < backlog.events.length; i += 1000) c.core.store.append(backlog.events.slice(i, i + 1000), { received: true });
const db = c.core.store.db;
const WHERE = 'WHERE seq > ? AND seq <= ? AND device_id != ? AND sig IS NOT NULL ORDER BY seq LIMIT ?';
const all = db.prepare(`SELECT *, json_valid(payload) AS payload_ok FROM events ${WHERE}`);
const some = db.prepare(
  `SELECT seq, id, stream_id, type, payload, actor, device_id, device_time, hlc, device_seq, sig, prev, server_seq,
          json_valid(payload) AS payload_ok FROM events ${WHERE}`,
);
type Row = Parameters<typeof feedJson>[0];
function read(statement: typeof all): { ms: number; texts: string[] } {
  const texts: string[] = [];
  const t0 = process.threadCpuUsage();
  for (let after = 0; ; ) {
    const rows = statement.all(after, Number.MAX_SAFE_INTEGER, 'someone-else', 500) as Row[];
    if (rows.length === 0) break;
    for (const row of rows) texts.push(feedJson(row));
    after = rows.at(-1)!.seq;
  }
  const u = process.threadCpuUsage(t0);
  return { ms: (u.user + u.system) / 1000, texts };
}
console.log(`${backlog.events.length} rows, 500 a read, ${rounds} rounds after a warm-up; load ${loadavg()[0]!.toFixed(2)}`);
const variants = { 'select *': all, 'feed columns': some } as const;
const ms = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
for (const s of Object.values(variants)) read(s);
for (let r = 1; r <= rounds; r++) {
  const results = Object.entries(variants).map(([k, s]) => [k, read(s)] as const);
  const same = results[1]![1].texts.every((t, i) => t === results[0]![1].texts[i]) && results[1]![1].texts.length === results[0]![1].texts.length;
  for (const [k, res] of results) ms.get(k)!.push(res.ms);
  console.log(`round ${r}: ${results.map(([k, res]) => `${k} ${res.ms.toFixed(0)} ms`).join(', ')}; same ${results[0]![1].texts.length} texts: ${same}; load ${loadavg()[0]!.toFixed(2)}`);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const base = median(ms.get('select *')!);
for (const [k, v] of ms) console.log(`median ${k}: ${median(v).toFixed(0)} ms, ${(((median(v) - base) / base) * 100).toFixed(1)} % against select *`);
await c.close();
cleanupTestConsoles();
