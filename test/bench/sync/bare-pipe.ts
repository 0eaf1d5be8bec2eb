/**
 * Baseline B: the same events posted 1,000 per request, one request at a time, to
 * the bare HTTP + better-sqlite3 pipe in its own process.
 *
 * `barePipeWarmCold` (round 16ac): one pipe process takes a warm-up backlog (another
 * device's events) first, then the measured one, as the tracker does in the sync bench's
 * drain (guardline-drain.ts `guardlineDrainWarmCold`): the first is the cold figure.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { startChildServer, type ChildServer } from './child-server.ts';
import { postInBatches } from './post-batches.ts';

export const BARE_PIPE_BATCH = 1_000;

function postToPipe(server: ChildServer, events: readonly EventEnvelope[], label: string): Promise<{ ms: number }> {
  return postInBatches({
    url: `${server.url}/events`,
    events,
    batch: BARE_PIPE_BATCH,
    label,
    check(status, body, sent) {
      if (status !== 200 || (body as { stored: number }).stored !== sent)
        throw new Error(`bare pipe answered ${status} ${JSON.stringify(body)}`);
    },
  });
}

export async function barePipe(dir: string, run: number, events: readonly EventEnvelope[]): Promise<{ ms: number }> {
  const server = await startChildServer(new URL('./bare-pipe-server.ts', import.meta.url), [
    join(dir, `bare-${run}.sqlite`),
  ]);
  try {
    return await postToPipe(server, events, 'bare pipe');
  } finally {
    await server.kill();
  }
}

export interface WarmColdPost {
  /** The warm-up posted into the fresh server, and the rows of its device the server stored. */
  cold: { ms: number; stored: number };
  /** The measured backlog posted right after into the same server process, and its rows stored. */
  warm: { ms: number; stored: number };
}

export async function barePipeWarmCold(
  dir: string,
  run: number,
  warmUp: readonly EventEnvelope[],
  events: readonly EventEnvelope[],
): Promise<WarmColdPost> {
  const file = join(dir, `bare-${run}.sqlite`);
  const server = await startChildServer(new URL('./bare-pipe-server.ts', import.meta.url), [file]);
  try {
    const cold = await postToPipe(server, warmUp, 'bare pipe warm-up');
    const warm = await postToPipe(server, events, 'bare pipe');
    // The server's own count of each backlog's rows (its file, read while it runs: WAL).
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const stored = (deviceId: string) =>
      (db.prepare('SELECT count(*) AS n FROM events WHERE device_id = ?').get(deviceId) as { n: number }).n;
    const counts = { cold: stored(warmUp[0]!.deviceId), warm: stored(events[0]!.deviceId) };
    db.close();
    return { cold: { ...cold, stored: counts.cold }, warm: { ...warm, stored: counts.warm } };
  } finally {
    await server.kill();
  }
}
