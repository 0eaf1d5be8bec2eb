/**
 * `node test/bench/push-body-costs.ts`: the console's CPU per 1,000-event push for reading the
 * outbox and writing the push body (issue 16, round 16m), one thread, CPU time. As shipped
 * (`outboxRows` + push-body.ts: each payload's stored text spliced in) against the way the
 * engine did it before (`outbox`, which parses every payload, `takeBatch`'s JSON.stringify of
 * each payload, then JSON.stringify of the wire objects). The two take turns per push over the
 * sync bench's own offline backlog (20,000 events, signed), and the bodies are checked equal.
 * Prints the median per variant and the load average.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openEventStore, type OutboxRow } from '../../src-main/core/store/event-store.ts';
import { pushBody } from '../../src-main/core/sync/push-body.ts';
import type { StoredEvent } from '../../src-shared/events.ts';
import { bodyFromParsed } from '../support/push-body.ts';
import { tempDir } from '../support/temp.ts';
import { percentile, progress, round } from './report.ts';
import { offlineBacklog } from './sync/offline-events.ts';

const EVENTS = 20_000;
const PUSH = 1_000;
const ROUNDS = 5;

/** What engine.ts did per push before 16m: the parsed outbox, each payload measured, then serialised whole. */
function bodyBefore(events: StoredEvent[]): string {
  let bytes = 64;
  for (const e of events) bytes += JSON.stringify(e.payload).length + 400;
  if (bytes < 0) throw new Error('unreachable: keeps the measurement from being optimised away');
  return bodyFromParsed(events);
}

/** As shipped: the rows' lengths measure the batch (engine.ts takeBatch), push-body.ts writes the body. */
function bodyNow(rows: OutboxRow[]): string {
  let bytes = 64;
  for (const r of rows) bytes += r.payload.length + 400;
  if (bytes < 0) throw new Error('unreachable: keeps the measurement from being optimised away');
  return pushBody(rows);
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

const dir = tempDir('guardline-push-body-');
const loadBefore = loadavg()[0]!;
try {
  const store = openEventStore(join(dir.path, 'console.sqlite'));
  const backlog = offlineBacklog({
    count: EVENTS,
    deviceId: 'dev-bench',
    facility: 'Märsta',
    unit: 'Avdelning B',
    actor: 'A-bench',
    startMs: Date.now() - EVENTS,
    signed: true,
  });
  for (let i = 0; i < backlog.events.length; i += PUSH) {
    store.append(backlog.events.slice(i, i + PUSH));
    progress('backlog appended', Math.min(i + PUSH, backlog.events.length), backlog.events.length);
  }
  const before: number[] = [];
  const now: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let after = 0;
    for (let push = 0; push * PUSH < EVENTS; push++) {
      // Alternate which goes first, so neither always finds the pages the other just read.
      const order = push % 2 === 0 ? ['before', 'now'] : ['now', 'before'];
      const bodies: Record<string, string> = {};
      for (const variant of order) {
        const start = process.cpuUsage();
        if (variant === 'before') {
          bodies.before = bodyBefore(store.outbox(PUSH, after));
          before.push(cpuMs(start));
        } else {
          bodies.now = bodyNow(store.outboxRows(PUSH, after));
          now.push(cpuMs(start));
        }
      }
      if (bodies.before !== bodies.now) throw new Error(`push ${push}: the bodies differ`);
      after = store.outboxRows(PUSH, after).at(-1)!.seq;
    }
    progress('rounds', round + 1, ROUNDS);
  }
  store.close();
  const loadAfter = loadavg()[0]!;
  console.table([
    {
      variant: 'before 16m: outbox (parsed), stringify to measure, stringify the body',
      'CPU ms per 1,000-event push (median)': round(percentile(before, 50), 2),
      pushes: before.length,
    },
    {
      variant: 'as shipped: outboxRows, stored payload text spliced (push-body.ts)',
      'CPU ms per 1,000-event push (median)': round(percentile(now, 50), 2),
      pushes: now.length,
    },
  ]);
  console.log(`load average (1 min): ${loadBefore.toFixed(2)} -> ${loadAfter.toFixed(2)}`);
} finally {
  dir.cleanup();
}
