/**
 * The plain client both pipes are measured with: the same events posted in fixed
 * batches, one request at a time, timed from the first request to the last answer.
 * With `inFlight: 2` (the tracker alone, round 16x) the next request goes as soon as the
 * previous one is handed to fetch, named after it as a console's drain names its pushes
 * (src-tracker/events/push-order.ts), so the tracker keeps them in order.
 */
import { performance } from 'node:perf_hooks';
import type { EventEnvelope } from '../../../src-shared/events.ts';
import { progress } from '../report.ts';

export async function postInBatches(options: {
  url: string;
  events: readonly EventEnvelope[];
  batch: number;
  label: string;
  token?: string;
  /** Checks one answer; throws when the server did not take the batch. */
  check(status: number, body: unknown, sent: number): void;
  /** Requests in flight at once: 1 (default), or 2 with the tracker's push names. */
  inFlight?: 1 | 2;
}): Promise<{ ms: number }> {
  const { events, batch } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const named = options.inFlight === 2;
  const post = async (i: number) => {
    const part = events.slice(i, i + batch);
    const order: Record<string, string> = named
      ? { 'x-guardline-push-id': `bench.${i}`, ...(i > 0 ? { 'x-guardline-push-after': `bench.${i - batch}` } : {}) }
      : {};
    const response = await fetch(options.url, {
      method: 'POST',
      headers: { ...headers, ...order },
      body: JSON.stringify({ events: part }),
    });
    options.check(response.status, await response.json(), part.length);
    progress(options.label, Math.min(i + batch, events.length), events.length);
  };
  const start = performance.now();
  let previous: Promise<void> | null = null;
  for (let i = 0; i < events.length; i += batch) {
    const current = post(i);
    if (!named) await current;
    else if (previous) await previous;
    previous = current;
    // Awaited on the next turn of the loop or after it; a failure meanwhile is not unhandled.
    current.catch(() => {});
  }
  if (previous) await previous;
  return { ms: performance.now() - start };
}
