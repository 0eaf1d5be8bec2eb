/**
 * Baseline B: the same events posted 1,000 per request, one request at a time, to
 * the bare HTTP + better-sqlite3 pipe in its own process.
 */
import { join } from 'node:path';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { startChildServer } from './child-server.ts';
import { postInBatches } from './post-batches.ts';

export const BARE_PIPE_BATCH = 1_000;

export async function barePipe(dir: string, run: number, events: readonly EventEnvelope[]): Promise<{ ms: number }> {
  const server = await startChildServer(new URL('./bare-pipe-server.ts', import.meta.url), [
    join(dir, `bare-${run}.sqlite`),
  ]);
  try {
    return await postInBatches({
      url: `${server.url}/events`,
      events,
      batch: BARE_PIPE_BATCH,
      label: 'bare pipe',
      check(status, body, sent) {
        if (status !== 200 || (body as { stored: number }).stored !== sent)
          throw new Error(`bare pipe answered ${status} ${JSON.stringify(body)}`);
      },
    });
  } finally {
    await server.kill();
  }
}
