/**
 * Round 12w: the incident row's UPDATE for a received note, as the projection writes it (the
 * whole document from JSON.stringify of the folded incident, bound as one text) against SQLite
 * editing the stored text in place (`doc = json_set(doc, '$.notes[#]', json(?), '$.updatedHlc', ?)`,
 * only the note bound). The documents and notes are those of the receive bench's backlog
 * folded by a real console: its 5,000 incidents as created (notes taken out), then their
 * 10,000 notes in HLC order, 1,000 a transaction, WAL and synchronous=FULL. Prints main-thread
 * CPU per variant (the variants in turns) and how many rows end byte-identical to
 * JSON.stringify of the incident folded in JavaScript.
 * Run from the worktree: node bench/results/history/12w-runs/doc-update.ts [rounds]
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
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
const rows = c.core.store.db.prepare('SELECT id, doc FROM incidents').all() as { id: string; doc: string }[];
await c.close();
cleanupTestConsoles();
type Note = { hlc: string };
const start = new Map(
  rows.map((r) => {
    const d = JSON.parse(r.doc) as { notes: Note[]; updatedHlc: string; createdHlc: string };
    const notes = d.notes;
    d.notes = [];
    d.updatedHlc = d.createdHlc;
    return [r.id, { doc: JSON.stringify(d), notes }] as const;
  }),
);
const steps: { id: string; note: Note }[] = [];
for (const [id, s] of start) for (const note of s.notes) steps.push({ id, note });
steps.sort((a, b) => (a.note.hlc < b.note.hlc ? -1 : a.note.hlc > b.note.hlc ? 1 : 0));
const sizes = rows.map((r) => r.doc.length).sort((a, b) => a - b);
const dir = mkdtempSync(join(tmpdir(), 'doc-update-'));
type Mode = 'stringify' | 'json_set';
function run(mode: Mode): { ms: number; same: number } {
  const file = join(dir, 'x.sqlite');
  for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE incidents (id TEXT PRIMARY KEY, facility TEXT NOT NULL, unit TEXT NOT NULL, category TEXT NOT NULL,
      severity TEXT NOT NULL, status TEXT NOT NULL, title TEXT NOT NULL, occurred_at TEXT NOT NULL, reported_by TEXT NOT NULL,
      created_hlc TEXT NOT NULL, updated_hlc TEXT NOT NULL, note_count INTEGER NOT NULL, conflict_count INTEGER NOT NULL, doc TEXT NOT NULL);
    CREATE INDEX incidents_status ON incidents (status, created_hlc);`);
  const insert = db.prepare('INSERT INTO incidents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)');
  const folded = new Map<string, Record<string, unknown> & { notes: Note[]; updatedHlc: string }>();
  db.transaction(() => {
    for (const [id, s] of start) {
      const d = JSON.parse(s.doc);
      folded.set(id, d);
      insert.run(id, d.facility, d.unit, d.category, d.severity, d.status, d.title, d.occurredAt, d.reportedBy,
        d.createdHlc, d.updatedHlc, 0, 0, s.doc);
    }
  })();
  const whole = db.prepare('UPDATE incidents SET updated_hlc = ?, note_count = ?, doc = ? WHERE id = ?');
  const inPlace = db.prepare(
    "UPDATE incidents SET updated_hlc = ?, note_count = ?, doc = json_set(doc, '$.notes[#]', json(?), '$.updatedHlc', ?) WHERE id = ?",
  );
  const t0 = process.threadCpuUsage();
  for (let i = 0; i < steps.length; i += 1000) {
    db.transaction(() => {
      for (let j = i; j < Math.min(i + 1000, steps.length); j++) {
        const { id, note } = steps[j]!;
        const d = folded.get(id)!;
        d.notes.push(note);
        d.updatedHlc = note.hlc;
        if (mode === 'stringify') whole.run(note.hlc, d.notes.length, JSON.stringify(d), id);
        else inPlace.run(note.hlc, d.notes.length, JSON.stringify(note), note.hlc, id);
      }
    })();
  }
  const u = process.threadCpuUsage(t0);
  let same = 0;
  for (const r of db.prepare('SELECT id, doc FROM incidents').all() as { id: string; doc: string }[])
    if (r.doc === JSON.stringify(folded.get(r.id))) same++;
  db.close();
  return { ms: (u.user + u.system) / 1000, same };
}
console.log(
  `${start.size} incidents (document ${sizes[0]}-${sizes.at(-1)} characters once folded), ${steps.length} notes, ` +
    `${rounds} rounds after a warm-up; load ${loadavg()[0]!.toFixed(2)}`,
);
const modes: Mode[] = ['stringify', 'json_set'];
const ms = new Map<Mode, number[]>(modes.map((m) => [m, []]));
for (const m of modes) run(m);
for (let r = 1; r <= rounds; r++) {
  const line = modes.map((m) => {
    const { ms: t, same } = run(m);
    ms.get(m)!.push(t);
    return `${m} ${t.toFixed(0)} ms (${same} of ${start.size} rows as JSON.stringify gives them)`;
  });
  console.log(`round ${r}: ${line.join(', ')}; load ${loadavg()[0]!.toFixed(2)}`);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
const base = median(ms.get('stringify')!);
for (const m of modes) {
  const med = median(ms.get(m)!);
  console.log(`median ${m}: ${med.toFixed(0)} ms, ${((med / steps.length) * 1000).toFixed(2)} us a note, ${(((med - base) / base) * 100).toFixed(1)} % against stringify`);
}
rmSync(dir, { recursive: true, force: true });
