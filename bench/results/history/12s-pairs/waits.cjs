// node waits.cjs <timeline dir>: B's waits for room in the WAL during the catch-up (the
// receiver's `wal-wait`/`wal-room` marks, issue 12r/12s), each with its length, and the
// catch-up's span from B's first frame to its last stored transaction.
const fs = require('node:fs');
const path = require('node:path');
const [dir] = process.argv.slice(2);
const sessions = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
const stored = (s) => s.filter((m) => m.kind === 'store').reduce((n, m) => n + m.events, 0);
const B = sessions.sort((a, b) => stored(b) - stored(a))[0];
const first = Math.min(...B.filter((m) => m.kind === 'chunk').map((m) => m.at));
const last = Math.max(...B.filter((m) => m.kind === 'stored').map((m) => m.at));
const lengths = [];
let open = null;
for (const m of B) {
  if (m.kind === 'wal-wait') open = m.at;
  if (m.kind === 'wal-room' && open !== null) lengths.push(m.at - open), (open = null);
}
const sum = lengths.reduce((n, x) => n + x, 0);
console.log(`catch-up on B (first frame to last stored): ${(last - first).toFixed(1)} ms, ${stored(B)} events stored`);
console.log(`waits for room in the WAL: ${lengths.length}, ${sum.toFixed(1)} ms in them (${lengths.map((x) => x.toFixed(1)).join(', ')})`);
