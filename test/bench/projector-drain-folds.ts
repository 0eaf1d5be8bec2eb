/**
 * `node test/bench/projector-drain-folds.ts [events] [pushes per fold] [rounds]`: HQ's projector's
 * CPU per 1,000 events as a drain feeds it (issue 16, branch 16ad). projector-fold-costs.ts
 * folds a whole backlog in one catch-up; a drain instead folds about once a second while
 * pushes keep coming (projector.ts: at most a second after the first push it covers), so a
 * stream whose events span two fold windows (the sync bench's incidents spread their
 * follow-ups over ~2,000 events, two or three pushes) is read and folded again from all its
 * events in the later window. This bench stores the sync bench's signed backlog push by push,
 * as the push route does (each push's payloads checked as the workers check them, the hints
 * handed over), and lets the projector fold after every `pushes per fold` pushes, on this
 * thread: a drain at ~10,000 events/s folds after about every 10 pushes of 1,000, the lead's
 * quiet drain (~25,000) about every 25. Only the folds' CPU time is counted
 * (`process.threadCpuUsage` around each), in ms per 1,000 events of the backlog; the pushes'
 * own CPU is left out. A fresh tracker file each round. Prints a hash of HQ's incident rows
 * after the last fold, equal to the hash of a full catch-up's rows of the same file (checked),
 * and with GUARDLINE_BENCH_BASE_PROJECTOR (another tree's `src-tracker/projections/projector.ts`)
 * also to that projector's full catch-up of the same file: two trees' folds write the same
 * tables. Run in each tree by turns for a before/after. Prints the load average.
 *
 *   node test/bench/projector-drain-folds.ts 50000 10 4
 *   GUARDLINE_BENCH_BASE_PROJECTOR=/tmp/base/src-tracker/projections/projector.ts node test/bench/projector-drain-folds.ts 50000 10 1
 */
import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openTrackerDb, type TrackerDb } from '../../src-tracker/db/database.ts';
import { createIngestor } from '../../src-tracker/events/ingestor.ts';
import { createHqProjector } from '../../src-tracker/projections/projector.ts';
import { enrolInStore } from '../support/tracker-device.ts';
import { tempDir } from '../support/temp.ts';
import { percentile, round } from './report.ts';
import { FACILITY, signedBacklog, storePush } from './tracker-pushes.ts';

const EVENTS = Number(process.argv[2] ?? 50_000);
const PUSHES_PER_FOLD = Number(process.argv[3] ?? 10);
const ROUNDS = Number(process.argv[4] ?? 4);
const PUSH = 1_000;
const DEVICE = 'bench-projector';
/** Longer than any round: the projector folds only when this bench asks it to (`settled`). */
const NEVER_MS = 3_600_000;

const loadBefore = loadavg()[0]!;
const cpuMs = () => {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
};

async function incidentsHash(store: TrackerDb): Promise<string> {
  const rows = await store.db.selectFrom('incidents').selectAll().orderBy('id').execute();
  if (rows.length === 0) throw new Error('nothing folded');
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
}

const events = signedBacklog(EVENTS, DEVICE);
const dir = tempDir('guardline-projector-drain-');
const perThousand: number[] = [];
const hashes = new Set<string>();
try {
  for (let r = 0; r < ROUNDS; r++) {
    const file = join(dir.path, `round-${r}.sqlite`);
    const store = await openTrackerDb({ kind: 'sqlite', file });
    let folding = 0;
    try {
      const { device } = await enrolInStore(store, FACILITY, DEVICE, 'bench');
      const ingestor = createIngestor(store);
      const projector = createHqProjector(store, { delayMs: NEVER_MS, maxDelayMs: NEVER_MS });
      const fold = async () => {
        const before = cpuMs();
        await projector.settled();
        folding += cpuMs() - before;
      };
      // The start-up catch-up (the enrolment's device record) before the first push.
      await fold();
      folding = 0;
      for (let i = 0, pushes = 0; i < events.length; i += PUSH) {
        projector.notify(FACILITY, await storePush(ingestor, device, events.slice(i, i + PUSH)));
        if (++pushes % PUSHES_PER_FOLD === 0) await fold();
      }
      await fold();
      await projector.stop();
      perThousand.push((folding / EVENTS) * 1000);
      const hash = await incidentsHash(store);
      hashes.add(hash);
    } finally {
      await store.close();
    }
    // The same file (closed: its WAL in it) folded from scratch, as a restarted tracker would: the same rows.
    const others: [string, typeof createHqProjector][] = [['this tree', createHqProjector]];
    const base = process.env.GUARDLINE_BENCH_BASE_PROJECTOR;
    if (base)
      others.push([base, ((await import(base)) as { createHqProjector: typeof createHqProjector }).createHqProjector]);
    for (const [name, create] of r === 0 ? others : []) {
      const copy = join(dir.path, `full-${others.findIndex(([n]) => n === name)}.sqlite`);
      copyFileSync(file, copy);
      const full = await openTrackerDb({ kind: 'sqlite', file: copy });
      try {
        await full.db.deleteFrom('incidents').execute();
        await full.db.deleteFrom('projection_cursors').execute();
        const again = create(full, { delayMs: 0, maxDelayMs: 0 });
        await again.settled();
        await again.stop();
        if ((await incidentsHash(full)) !== [...hashes][0])
          throw new Error(`the drain's folds and a full catch-up by ${name}'s projector differ`);
        console.log(`a full catch-up of the same file by ${name}'s projector: the same HQ incident rows`);
      } finally {
        await full.close();
      }
    }
    console.log(
      `round ${r + 1}: folds ${round(perThousand.at(-1)!, 2)} ms CPU per 1,000 events, load ${loadavg()[0]!.toFixed(2)}`,
    );
  }
} finally {
  dir.cleanup();
}
console.log(
  `${EVENTS} events, a fold after every ${PUSHES_PER_FOLD} pushes of ${PUSH}: median ${round(percentile(perThousand, 50), 2)} ms CPU ` +
    `per 1,000 events of ${perThousand.map((x) => round(x, 2)).join(', ')}; HQ incidents hash ${[...hashes].join(', ')} ` +
    `(equal to a full catch-up's); load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
);
