/**
 * `node --import ./test/bench/sync/push-wire-preload.ts test/bench/sync/drain-ab.ts …`: where each
 * push of this process spent its time before the tracker could work on it (round 16t). From
 * undici's diagnostics channels (Node's fetch is undici), per `POST /v1/events`: request:create
 * (fetch made the request) to client:sendHeaders (its headers written to the socket) and to
 * request:bodySent (its whole body written), bodySent to request:headers (the answer's
 * headers), and an answer to the next push's create and to its whole body written (16v); and how many
 * pushes were still unanswered when each was created (16x: 1 when two are in flight, where
 * "answer->next create" is then negative or missing). Printed to stderr at exit, medians and sums.
 */
import { subscribe } from 'node:diagnostics_channel';

interface Times {
  create: number;
  headers?: number;
  body?: number;
  answer?: number;
}
type Message = { request: { method: string; path: string } };

const times = new WeakMap<object, Times>();
const answered: Times[] = [];
const isPush = ({ request }: Message) => request.method === 'POST' && request.path.endsWith('/v1/events');
const on = (channel: string, note: (message: Message) => void) =>
  subscribe(channel, (message) => note(message as Message));

/** Pushes created and not yet answered; and, per push, how many of them there were at its create (16x: two in flight). */
const unanswered = new Set<object>();
const besideAtCreate: number[] = [];

on('undici:request:create', (m) => {
  if (!isPush(m)) return;
  times.set(m.request, { create: performance.now() });
  besideAtCreate.push(unanswered.size);
  unanswered.add(m.request);
});
on('undici:client:sendHeaders', (m) => {
  const t = times.get(m.request);
  if (t) t.headers = performance.now();
});
on('undici:request:bodySent', (m) => {
  const t = times.get(m.request);
  if (t) t.body = performance.now();
});
on('undici:request:headers', (m) => {
  const t = times.get(m.request);
  if (!t) return;
  unanswered.delete(m.request);
  t.answer = performance.now();
  answered.push(t);
});

function summary(name: string, spans: number[]): string {
  const sorted = spans.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return `${name} ?`;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return `${name} median ${median.toFixed(2)} sum ${sum.toFixed(0)}`;
}

process.on('exit', () => {
  const span = (from: keyof Times, to: keyof Times) => answered.map((t) => (t[to] ?? NaN) - (t[from] ?? NaN));
  // Within one drain only: a gap longer than a second is the pause between two drains of the run.
  const gaps = answered
    .slice(1)
    .map((t, i) => t.create - answered[i]!.answer!)
    .filter((g) => g < 1000);
  // From an answer's headers to the next push's whole body on the socket: what the tracker waits (16v).
  const toNextBody = answered
    .slice(1)
    .map((t, i) => (t.body ?? NaN) - answered[i]!.answer!)
    .filter((g) => g < 1000);
  process.stderr.write(
    `pushes ${answered.length}: ${summary('create->sendHeaders', span('create', 'headers'))}; ` +
      `${summary('create->bodySent', span('create', 'body'))}; ${summary('bodySent->answer', span('body', 'answer'))}; ` +
      `${summary('answer->next create', gaps)}; ${summary('answer->next bodySent', toNextBody)} ms\n`,
  );
  const beside = new Map<number, number>();
  for (const n of besideAtCreate) beside.set(n, (beside.get(n) ?? 0) + 1);
  process.stderr.write(
    `pushes by how many others were unanswered at their create: ${[...beside].map(([n, k]) => `${n}: ${k}`).join(', ')}\n`,
  );
});
