/**
 * `node bench/results/history/12aa-runs/count-writes.ts <tree> [batch]`: how many times each SQL
 * statement runs while a fresh console core of <tree> receives the receive bench's backlog (21,670
 * signed events with their escalations, as test/bench/receive-costs.ts appends it: received, with
 * the author check's canonical text, payloads marked parsed) in batches of [batch] (default 1,000,
 * about what a catch-up's transactions hold since 12u), and then while its deferred views catch
 * up (`catchUpDeferred`). Counted by wrapping better-sqlite3's Statement run/get/all/iterate and
 * the store's transaction() (the escalation runner's slices). Printed: each statement's count
 * and count per received event, in the appends (the runner included) and in the catch-up after.
 */
import { resolve } from 'node:path';
import type { EventEnvelope } from '../../../../src-shared/events.ts';

const tree = resolve(process.argv[2] ?? '.');
const BATCH = Number(process.argv[3] ?? 1000);
const PEER = '01939b00-0000-7000-8000-00000000b0b0';
const { canonicalEnvelope } = await import(`${tree}/src-shared/signed-envelope.ts`);
const { authorHashOf } = await import(`${tree}/src-common/trust/author-chain.ts`);
const { parsedPayload } = await import(`${tree}/src-shared/events.ts`);
const { cleanupTestConsoles, openTestConsole } = await import(`${tree}/test/support/consoles.ts`);
const { offlineBacklog } = await import(`${tree}/test/bench/sync/offline-events.ts`);
const backlog = offlineBacklog({
  count: 20_000,
  deviceId: PEER,
  facility: 'Märsta',
  unit: 'Avdelning B',
  actor: 'v1234',
  startMs: Date.now() - 20_000,
  signed: true,
  escalations: true,
});
const events = JSON.parse(JSON.stringify(backlog.events)) as (EventEnvelope & { sig: string })[];
const prepared = new Map<object, { canonical: string; authorHash: string }>();
for (const e of events) {
  const canonical = canonicalEnvelope(e);
  prepared.set(e, { canonical, authorHash: authorHashOf(canonical, e.sig) });
  parsedPayload(e.type, e.payload);
}
const c = openTestConsole({ facility: 'Märsta', unit: 'Ledningscentral' });
const counts = new Map<string, number>();
let counting = false;
const proto = Object.getPrototypeOf(c.core.store.db.prepare('SELECT 1')) as Record<string, unknown>;
for (const m of ['run', 'get', 'all', 'iterate']) {
  const original = proto[m] as (...a: unknown[]) => unknown;
  proto[m] = function (this: { source: string }, ...a: unknown[]) {
    if (counting) {
      const key = `${m} ${this.source.replace(/\s+/g, ' ').slice(0, 90)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return original.apply(this, a);
  };
}
const store = c.core.store as { transaction: (...a: unknown[]) => unknown };
const transaction = store.transaction.bind(store);
store.transaction = (...a: unknown[]) => {
  if (counting) counts.set('store.transaction (runner slices)', (counts.get('store.transaction (runner slices)') ?? 0) + 1);
  return transaction(...a);
};
const print = (title: string, n: number) => {
  console.log(`${title}: ${n} events`);
  for (const [k, v] of [...counts].sort((a, b) => b[1] - a[1])) {
    console.log(`${String(v).padStart(7)}  ${(v / n).toFixed(3).padStart(6)} per event  ${k}`);
  }
  counts.clear();
};
try {
  counting = true;
  let batches = 0;
  for (let i = 0; i < events.length; i += BATCH, batches++) {
    c.core.store.append(events.slice(i, i + BATCH), { prepared, received: true });
  }
  counting = false;
  const types = new Map<string, number>();
  for (const e of events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
  console.log(`tree ${tree}, ${batches} batches of ${BATCH}; event types: ${JSON.stringify(Object.fromEntries(types))}`);
  print('in the appends (with the escalation runner after each commit)', events.length);
  counting = true;
  c.core.store.catchUpDeferred();
  counting = false;
  print('in the deferred views\' catch-up after (catchUpDeferred)', events.length);
} finally {
  await c.close();
  cleanupTestConsoles();
}
process.exit(0);
