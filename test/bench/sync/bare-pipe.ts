/**
 * Baseline B: the same events posted 1,000 per request, one request at a time, to
 * the bare HTTP + better-sqlite3 pipe in its own process.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { progress } from '../report.ts';
import { startChildServer } from './child-server.ts';

export const BARE_PIPE_BATCH = 1_000;

export async function barePipe(dir: string, events: readonly EventEnvelope[]): Promise<{ ms: number }> {
  const server = await startChildServer(new URL('./bare-pipe-server.ts', import.meta.url), [join(dir, 'bare.sqlite')]);
  try {
    const start = performance.now();
    for (let i = 0; i < events.length; i += BARE_PIPE_BATCH) {
      const response = await fetch(`${server.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ events: events.slice(i, i + BARE_PIPE_BATCH) }),
      });
      const body = (await response.json()) as { stored: number };
      if (response.status !== 200 || body.stored !== Math.min(BARE_PIPE_BATCH, events.length - i))
        throw new Error(`bare pipe answered ${response.status} ${JSON.stringify(body)}`);
      progress('bare pipe', Math.min(i + BARE_PIPE_BATCH, events.length), events.length);
    }
    return { ms: performance.now() - start };
  } finally {
    await server.kill();
  }
}
