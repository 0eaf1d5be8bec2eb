/**
 * `node test/bench/mesh-timeline.ts <dir> [--all]`: where the receiving console's thread waited
 * during a mesh catch-up, from the peer sessions' timelines
 * (`GUARDLINE_MESH_BENCH=catch-up GUARDLINE_MESH_TIMELINE=<root> npm run bench mesh` writes them
 * to <root>/worker and <root>/inline; core/mesh/session-timeline.ts).
 *
 * The receiver (B) is the session that stored the most events, the sender (A) the one that sent
 * them. Between two of B's transactions (`stored` → next `store`) B's thread either worked
 * (its CPU time moved: TLS, the frames' JSON, listeners, the search index) or idled; each idle
 * gap is charged to what the next transaction's first frame was still waiting for at the
 * gap's start: A had not sent it yet (A's window was full, waiting for an ack, or A was
 * reading/encoding), it was on its way (sent, not yet all in at B), in B's frame worker's
 * queue, being prepared there, or its answer was posted and B's thread had not taken it.
 * `--all` prints every transaction.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Mark {
  at: number;
  cpu: number;
  kind: string;
  [field: string]: unknown;
}

const args = process.argv.slice(2);
const all = args.includes('--all');
const dir = args.find((a) => !a.startsWith('--'));
if (!dir) throw new Error('usage: mesh-timeline.ts <dir> [--all]');

const sessions = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .map((f) => ({
    file: f,
    marks: readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Mark),
  }));
const stored = (s: (typeof sessions)[number]) =>
  s.marks.filter((m) => m.kind === 'store').reduce((n, m) => n + (m.events as number), 0);
const sent = (s: (typeof sessions)[number]) =>
  s.marks.filter((m) => m.kind === 'sent').reduce((n, m) => n + (m.events as number), 0);
const receiver = [...sessions].sort((a, b) => stored(b) - stored(a))[0];
const sender = [...sessions].sort((a, b) => sent(b) - sent(a))[0];
if (!receiver || !sender) throw new Error(`no sessions in ${dir}`);

const B = receiver.marks;
const A = sender.marks;
const stores = B.filter((m) => m.kind === 'store' && (m.events as number) >= 100);
const t0 = Math.min(
  B.find((m) => m.kind === 'chunk')?.at ?? Infinity,
  A.find((m) => m.kind === 'sent')?.at ?? Infinity,
);
const ms = (x: number) => x.toFixed(1);

/** Per frame (by job number): when B's thread posted it to the worker, the worker's start and end, when B's thread took the answer. */
const frames = new Map<number, { posted?: number; start?: number; end?: number; prepared: number; bytes: number }>();
for (const m of B)
  if (m.kind === 'prepared' && typeof m.job === 'number')
    frames.set(m.job, {
      ...(typeof m.posted === 'number' ? { posted: m.posted } : {}),
      ...(typeof m.start === 'number' ? { start: m.start } : {}),
      ...(typeof m.end === 'number' ? { end: m.end } : {}),
      prepared: m.at,
      bytes: m.bytes as number,
    });
/** A's frames by `last`: when A started reading the feed for it and when it was written. */
const sentAt = new Map<number, { feed: number; sent: number }>();
for (let i = 0; i < A.length; i++) {
  const m = A[i]!;
  if (m.kind !== 'sent') continue;
  let feed = m.at;
  for (let j = i - 1; j >= 0; j--)
    if (A[j]!.kind === 'feed') {
      feed = A[j]!.at;
      break;
    }
  sentAt.set(m.last as number, { feed, sent: m.at });
}
/** When A's window was last full before `t`, and the next ack A took after that. */
function senderState(t: number): string {
  let last: Mark | undefined;
  for (const m of A) {
    if (m.at > t) break;
    if (m.kind === 'window-full' || m.kind === 'sent' || m.kind === 'ack-in' || m.kind === 'feed') last = m;
  }
  if (!last) return 'A not started';
  if (last.kind === 'window-full') return 'A: window full (waiting for an ack)';
  if (last.kind === 'feed') return 'A: reading its feed';
  return 'A: writing / taking an ack';
}

type Cause =
  | 'A had not sent it: window full'
  | 'A had not sent it: A reading/encoding'
  | 'A had not sent it: other'
  | 'on the wire / not yet all in at B'
  | 'in the worker queue'
  | 'being prepared by the worker'
  | 'answer posted, B thread not yet taken it'
  | 'ready and queued (B thread scheduling)';
const causes = new Map<Cause, { gaps: number; idle: number }>();
let busyBetween = 0;
let idleBetween = 0;
let storeWall = 0;
let storeCpu = 0;
const rows: string[] = [];
for (let i = 0; i < stores.length; i++) {
  const s = stores[i]!;
  const end = B.find((m) => m.kind === 'stored' && m.at >= s.at)!;
  storeWall += end.at - s.at;
  storeCpu += end.cpu - s.cpu;
  const prev = i > 0 ? B.find((m) => m.kind === 'stored' && m.at >= stores[i - 1]!.at)! : null;
  let note = '';
  if (prev) {
    const wall = s.at - prev.at;
    const cpu = s.cpu - prev.cpu;
    const idle = Math.max(0, wall - cpu);
    busyBetween += Math.min(cpu, wall);
    idleBetween += idle;
    const job = (s.jobs as (number | null)[])[0];
    const last = (s.lasts as number[])[0]!;
    const f = job === null || job === undefined ? undefined : frames.get(job);
    const a = sentAt.get(last);
    const g = prev.at;
    let cause: Cause;
    if (a && a.sent > g) {
      const state = senderState(g);
      cause = state.includes('window')
        ? 'A had not sent it: window full'
        : state.includes('reading')
          ? 'A had not sent it: A reading/encoding'
          : 'A had not sent it: other';
    } else if (f?.posted !== undefined && f.posted > g) cause = 'on the wire / not yet all in at B';
    else if (f?.start !== undefined && f.start > g) cause = 'in the worker queue';
    else if (f?.end !== undefined && f.end > g) cause = 'being prepared by the worker';
    else if (f && f.prepared > g) cause = 'answer posted, B thread not yet taken it';
    else cause = 'ready and queued (B thread scheduling)';
    const c = causes.get(cause) ?? { gaps: 0, idle: 0 };
    c.gaps += 1;
    c.idle += idle;
    causes.set(cause, c);
    note = `gap ${ms(wall)} ms (B cpu ${ms(cpu)}, idle ${ms(idle)}) waited on: ${cause}`;
    if (f)
      note += ` [frame job ${job}: A sent +${a ? ms(a.sent - t0) : '?'}, B posted +${ms((f.posted ?? 0) - t0)}, worker ${ms((f.start ?? 0) - t0)}–${ms((f.end ?? 0) - t0)}, B took +${ms(f.prepared - t0)}]`;
  }
  rows.push(
    `+${ms(s.at - t0)} store ${s.events} events in ${(s.jobs as unknown[]).length} frame(s), ${ms(end.at - s.at)} ms (cpu ${ms(end.cpu - s.cpu)}), queued after ${s.queued}, preparing ${s.preparing}; ${note}`,
  );
}
const first = stores[0];
const lastStored = [...B].reverse().find((m) => m.kind === 'stored');
console.log(`receiver ${receiver.file}, sender ${sender.file}`);
if (first && lastStored) {
  const span = lastStored.at - t0;
  const bFirst = B.find((m) => m.kind === 'chunk')!;
  console.log(
    `from the session's first frame (either side) to B's last transaction stored: ${ms(span)} ms; B's thread CPU over it ${ms(lastStored.cpu - bFirst.cpu)} ms`,
  );
  console.log(
    `B's transactions (≥ 100 events): ${stores.length}, ${ms(storeWall)} ms wall, ${ms(storeCpu)} ms CPU (${ms(storeWall - storeCpu)} ms off B's CPU inside them: each commit's flush, and time the machine gave other threads); between them ${ms(busyBetween)} ms busy, ${ms(idleBetween)} ms idle`,
  );
  console.log(`B's first transaction began at +${ms(first.at - t0)} ms`);
}
console.log('\nidle between transactions, by what the next one waited on:');
for (const [cause, c] of [...causes].sort((x, y) => y[1].idle - x[1].idle))
  console.log(`  ${cause.padEnd(44)} ${String(c.gaps).padStart(3)} gaps ${ms(c.idle).padStart(7)} ms`);
const tallies = B.find((m) => m.kind === 'counters');
if (tallies && typeof tallies.chainGuessTaken === 'number')
  console.log(
    `\nB's chain hashes guessed on the frame worker: ${tallies.chainGuessTaken} taken by the append, ${String(tallies.chainGuessMissed)} not taken (hashed on B's thread, or the event was held already)`,
  );
const acks = A.filter((m) => m.kind === 'ack-in');
const fulls = A.filter((m) => m.kind === 'window-full');
const sends = A.filter((m) => m.kind === 'sent');
console.log(
  `\nA: ${sends.length} frames sent, window full ${fulls.length} times, ${acks.length} acks taken; most buffered in A's socket ${Math.max(...sends.map((m) => m.buffered as number))} bytes`,
);
const feedCpu = sends.reduce((n, m) => {
  const feed = [...A.slice(0, A.indexOf(m))].reverse().find((x) => x.kind === 'feed');
  return n + (feed ? m.cpu - feed.cpu : 0);
}, 0);
console.log(`A's thread CPU reading and writing the frames: ${ms(feedCpu)} ms`);
if (all) for (const row of rows) console.log(row);
