/**
 * The background reader (issue 16): a worker thread with its own read-only connection to
 * the console's SQLite file, so long reads run beside the single writer (WAL lets a reader
 * keep a consistent snapshot while the writer commits) and never hold the core's thread,
 * where probes, escalation timers, alarms and the UI's calls run.
 *
 * Jobs run one at a time, each inside one read transaction (one snapshot, as the in-thread
 * call had). Started by job-runner.ts: as this .ts file under Node's type stripping, or
 * as out/main/read-worker.js in the Electron bundle (an entry in electron.vite.config.ts).
 */
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { ApiFailure } from '../../../src-shared/errors.ts';
import { openReadOnly } from '../store/database.ts';
import {
  isReadJobName,
  PART_ROWS,
  READER_NICE,
  readContext,
  runReadJob,
  split,
  type FromWorker,
  type ToWorker,
} from './read-jobs.ts';

const port = parentPort;
if (!port) throw new Error('read-worker.ts runs as a worker thread (started by job-runner.ts)');
const { file, partRows, ack } = workerData as { file: string; partRows?: number; ack: SharedArrayBuffer };
/** Set by the core when it has taken a part in: the next part then arrives in a later turn of its loop. */
const taken = new Int32Array(ack);
/** How long to wait for the core to take a part before sending on anyway. */
const PART_WAIT_MS = 30_000;
/**
 * On Linux a nice value belongs to a thread, so this lowers only the reader: on a busy
 * machine the core's thread (probes, escalation timers, alarms) gets a core before a
 * report does. Elsewhere the call would lower the whole console, so it is not made.
 */
if (process.platform === 'linux') {
  try {
    // Relative to the console's own nice value, which a new thread inherits: a console
    // started under `nice` (a service manager's setting) would otherwise get a reader at
    // its own priority, or a refusal where the absolute value is below it.
    setPriority(Math.min(19, getPriority() + READER_NICE));
  } catch {
    // Not permitted here: the reader runs at the console's priority, as before.
  }
}
const db = openReadOnly(file);
const ctx = readContext(db);
const send = (message: FromWorker) => port.postMessage(message);
send({ id: 0, type: 'started', priority: getPriority() });

port.on('message', (message: ToWorker | 'close') => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  const { id, job, input } = message;
  try {
    if (!isReadJobName(job)) throw new Error(`unknown background job ${String(job)}`);
    const value = db.transaction(() =>
      runReadJob(ctx, job, input, (done, total) => send({ id, type: 'progress', done, total })),
    )();
    // Long arrays go ahead in parts, so the core rebuilds the answer a turn at a time.
    const { rest, parts } = split(value, partRows ?? PART_ROWS);
    // One at a time: a port delivers every queued message in one go, so parts sent
    // together would be rebuilt in one turn again.
    for (const part of parts) {
      Atomics.store(taken, 0, 0);
      send({ id, type: 'part', ...part });
      Atomics.wait(taken, 0, 0, PART_WAIT_MS);
    }
    send({ id, type: 'done', value: rest });
  } catch (error) {
    const api = error instanceof ApiFailure ? error.error : null;
    send({ id, type: 'failed', message: (error as Error)?.message ?? String(error), api });
  }
});
