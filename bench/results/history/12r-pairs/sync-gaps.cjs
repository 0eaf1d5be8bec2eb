// (12r: as 12p-pairs/sync-gaps.cjs, plus the longest transaction, the database-file fsyncs and the WAL waits)
// node sync-gaps.cjs <timeline dir> <strace file of B's main thread> <commit>
// Places each fsync/fdatasync of B's main thread (strace -ttt -T -y) on B's session timeline
// (the receiver's `store`/`stored` marks): inside a received batch's transaction, or between
// two of them (the gaps mesh-timeline.ts charges), before the catch-up or after it.
const fs = require('node:fs');
const path = require('node:path');
const [dir, straceFile, commit] = process.argv.slice(2);
const sessions = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
const stored = (s) => s.filter((m) => m.kind === 'store').reduce((n, m) => n + m.events, 0);
const B = sessions.sort((a, b) => stored(b) - stored(a))[0];
const txs = [];
for (let i = 0; i < B.length; i++) {
  if (B[i].kind !== 'store' || B[i].events < 100) continue;
  const end = B.slice(i + 1).find((m) => m.kind === 'stored');
  txs.push({ start: B[i].at, end: end.at, events: B[i].events });
}
const first = Math.min(...B.filter((m) => m.kind === 'chunk').map((m) => m.at));
const last = txs.at(-1).end;
const syncs = fs
  .readFileSync(straceFile, 'utf8')
  .split('\n')
  .map((l) => /^(\d+\.\d+) (f(?:data)?sync)\((\d+)<([^>]*)>\).*<([\d.]+)>$/.exec(l))
  .filter(Boolean)
  .map((m) => ({ at: Number(m[1]) * 1000, call: m[2], file: m[4], ms: Number(m[5]) * 1000 }));
const where = (s) => {
  if (s.at < first) return 'before the catch-up';
  if (s.at > last) return 'after the catch-up';
  const i = txs.findIndex((t) => s.at >= t.start && s.at <= t.end);
  if (i >= 0) return `inside transaction ${i + 1} (${txs[i].events} events)`;
  const j = txs.findIndex((t) => t.start > s.at);
  return j === 0 ? 'before the first transaction' : `gap before transaction ${j + 1}`;
};
const during = syncs.filter((s) => s.at >= first && s.at <= last);
const sum = (xs) => xs.reduce((n, s) => n + s.ms, 0).toFixed(1);
console.log(`# syncs of B's main thread (strace -ttt -T -y), placed on B's session timeline; commit ${commit}`);
console.log(`catch-up (B's first frame to its last transaction stored): ${(last - first).toFixed(1)} ms, ${txs.length} transactions`);
console.log(`B's main thread, whole run: ${syncs.length} syncs, ${sum(syncs)} ms in them`);
console.log(`B's main thread during the catch-up: ${during.length} syncs, ${sum(during)} ms in them`);
const inside = during.filter((s) => where(s).startsWith('inside'));
console.log(`  inside received batches' transactions: ${inside.length} syncs, ${sum(inside)} ms`);
console.log(`  between them (B's own commits): ${during.length - inside.length} syncs, ${sum(during.filter((s) => !where(s).startsWith('inside')))} ms`);
const longest = txs.reduce((a, t) => (t.end - t.start > a.end - a.start ? t : a), txs[0]);
console.log(`longest received batch's transaction on B: ${(longest.end - longest.start).toFixed(1)} ms (transaction ${txs.indexOf(longest) + 1}, ${longest.events} events)`);
const dbSyncs = during.filter((s) => path.basename(s.file).endsWith('.sqlite'));
console.log(`database-file fsyncs on B's main thread during the catch-up (SQLite's backstop checkpoint): ${dbSyncs.length}, ${sum(dbSyncs)} ms`);
const waits = B.filter((m) => m.kind === 'wal-wait');
const rooms = B.filter((m) => m.kind === 'wal-room');
const waited = rooms.reduce((n, r, i) => n + (waits[i] ? r.at - waits[i].at : 0), 0);
console.log(`waits for room in the WAL (issue 12r): ${waits.length}, ${waited.toFixed(1)} ms in them`);
console.log('');
for (const s of during)
  console.log(`+${(s.at - first).toFixed(1)} ${s.call} ${path.basename(s.file)} ${s.ms.toFixed(2)} ms — ${where(s)}`);
