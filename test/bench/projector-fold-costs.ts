/**
 * `node test/bench/projector-fold-costs.ts [events] [rounds]`: HQ's projector's CPU per 1,000
 * events folded (issue 16, branch 16q), for the sync bench's signed backlog stored in a real
 * tracker file: a full catch-up of the facility (read every stream, fold, write HQ's rows,
 * move the cursor) without hints, as a restarted tracker does, against one with the push
 * route's hints of which payloads their schema keeps as they are (parsed-hints.ts), as a
 * drain's pushes hand them over. Each round folds a fresh copy of the same file on this
 * thread, the two kinds alternating; this thread's CPU time (`process.threadCpuUsage`: the checkpointer thread left out), which a busy
 * machine moves less than the wall clock. Both kinds' HQ rows are compared, so a hint that
 * changed a fold fails the bench. Prints the load average.
 */
import { copyFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { openTrackerDb } from '../../src-tracker/db/database.ts';
import { createIngestor } from '../../src-tracker/events/ingestor.ts';
import type { SeqRanges } from '../../src-tracker/projections/parsed-hints.ts';
import { createHqProjector } from '../../src-tracker/projections/projector.ts';
import { enrolInStore } from '../support/tracker-device.ts';
import { tempDir } from '../support/temp.ts';
import { percentile, round } from './report.ts';
import { FACILITY, signedBacklog, storePush } from './tracker-pushes.ts';

const EVENTS = Number(process.argv[2] ?? 20_000);
const ROUNDS = Number(process.argv[3] ?? 6);
const PUSH = 1_000;
const DEVICE = 'bench-projector';

const loadBefore = loadavg()[0]!;
const dir = tempDir('guardline-projector-fold-');
try {
  const file = join(dir.path, 'tracker.sqlite');
  const hints: SeqRanges[] = [];
  const store = await openTrackerDb({ kind: 'sqlite', file });
  try {
    const { device } = await enrolInStore(store, FACILITY, DEVICE, 'bench');
    const events = signedBacklog(EVENTS, DEVICE);
    const ingestor = createIngestor(store);
    for (let i = 0; i < events.length; i += PUSH)
      hints.push(await storePush(ingestor, device, events.slice(i, i + PUSH)));
  } finally {
    await store.close();
  }

  const cpu: Record<'without hints' | 'with hints', number[]> = { 'without hints': [], 'with hints': [] };
  const pictures = new Map<string, string>();
  for (let round = 0; round < ROUNDS; round++) {
    const kinds =
      round % 2 === 0 ? (['without hints', 'with hints'] as const) : (['with hints', 'without hints'] as const);
    for (const kind of kinds) {
      const copy = join(dir.path, `round-${round}-${kind.replace(' ', '-')}.sqlite`);
      copyFileSync(file, copy);
      const db = await openTrackerDb({ kind: 'sqlite', file: copy });
      try {
        const projector = createHqProjector(db, { delayMs: 0, maxDelayMs: 0 });
        // The hints reach it before its start-up catch-up runs (scheduled once its facilities are read).
        const before = process.threadCpuUsage();
        if (kind === 'with hints') for (const ranges of hints) projector.notify(FACILITY, ranges);
        await projector.settled();
        const after = process.threadCpuUsage();
        await projector.stop();
        cpu[kind].push(((after.user - before.user + after.system - before.system) / 1000 / EVENTS) * 1000);
        const rows = await db.db.selectFrom('incidents').selectAll().orderBy('id').execute();
        if (rows.length === 0) throw new Error('nothing folded');
        pictures.set(kind, JSON.stringify(rows));
      } finally {
        await db.close();
      }
    }
    if (pictures.get('with hints') !== pictures.get('without hints'))
      throw new Error('HQ rows differ with and without hints');
  }
  const hinted = hints.flat().reduce((n, [from, to]) => n + to - from + 1, 0);
  console.log(`${hinted} of ${EVENTS} stored events hinted (their payload is their schema's parse)`);
  console.table(
    (['without hints', 'with hints'] as const).map((kind) => ({
      catch_up: kind,
      'CPU ms per 1,000 events (median)': round(percentile(cpu[kind], 50), 2),
      rounds: cpu[kind].map((x) => round(x, 2)).join(' '),
    })),
  );
} finally {
  dir.cleanup();
}
console.log(
  `${EVENTS} events, ${ROUNDS} rounds; load average (1 min): ${loadBefore.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at end`,
);
