/**
 * node stream.ts <tree> <label> [batches] [events per batch]: a long stream of received batches
 * (as a peer's catch-up commits them: flushLater, back to back) into a fresh store of the
 * tree's code, awaiting `store.roomInWal()` before each where it asks (issue 12r/12s). Prints
 * the stream's wall time, the waits (count, ms, each), and the WAL's most frames and restarts.
 * Run base and branch copies by turns: the disk and the run queue are shared.
 */
import { closeSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const [treeArg, label = 'run', batchesArg = '60', sizeArg = '500'] = process.argv.slice(2);
const tree = resolve(treeArg!);
const { openEventStore } = await import(join(tree, 'src-main/core/store/event-store.ts'));
const { openWalIndex, walFrames } = await import(join(tree, 'src-common/sqlite-checkpointer.ts'));
const { encodeHlc } = await import(join(tree, 'src-shared/hlc.ts'));
const batches = Number(batchesArg);
const size = Number(sizeArg);

function notes(count: number, from: number) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: `01a24000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      streamId: `01a24000-0000-7000-9000-${String(i % 4000).padStart(12, '0')}`,
      type: 'incident.note_added' as const,
      payload: { text: 'x'.repeat(600) },
      actor: 'G1',
      deviceId: 'dev-a',
      deviceTime: 1_780_000_000_000 + i,
      hlc: encodeHlc({ wallMs: 1_780_000_000_000 + i, counter: 0, node: 'dev-a' }),
    };
  });
}

const dir = mkdtempSync(join(tmpdir(), 'stream-12s-'));
const file = join(dir, 'stream.sqlite');
const store = openEventStore(file);
const shm = openWalIndex(file)!;
const waits: number[] = [];
let most = 0;
let restarts = 0;
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
const start = performance.now();
for (let b = 0; b < batches; b++) {
  const batch = notes(size, 500_000 + b * size);
  const wait = store.roomInWal();
  if (wait) {
    const t = performance.now();
    await wait;
    waits.push(performance.now() - t);
  }
  const before = walFrames(shm)!.frames;
  store.append(batch, { flushLater: true });
  const after = walFrames(shm)!.frames;
  if (after < before) restarts += 1;
  most = Math.max(most, after);
  // A turn of the event loop between batches, as the session's drain loop takes (setImmediate).
  await new Promise((r) => setImmediate(r));
}
await store.flushed();
const wall = performance.now() - start;
const sum = waits.reduce((n, x) => n + x, 0);
console.log(
  `${label}: ${batches} batches of ${size} events in ${wall.toFixed(1)} ms (${Math.round((batches * size) / (wall / 1000))} events/s); ` +
    `waits for room ${waits.length}, ${sum.toFixed(1)} ms (${waits.map((x) => x.toFixed(1)).join(', ')}); ` +
    `most frames ${most}, restarts ${restarts}; counters ${JSON.stringify(store.checkpoints())}; load ${load}`,
);
store.close();
await store.closed();
closeSync(shm);
rmSync(dir, { recursive: true, force: true });
