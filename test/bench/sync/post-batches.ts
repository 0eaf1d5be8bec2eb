/**
 * The plain client both pipes are measured with: the same events posted in fixed
 * batches, one request at a time, timed from the first request to the last answer.
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
}): Promise<{ ms: number }> {
  const { events, batch } = options;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const start = performance.now();
  for (let i = 0; i < events.length; i += batch) {
    const part = events.slice(i, i + batch);
    const response = await fetch(options.url, { method: 'POST', headers, body: JSON.stringify({ events: part }) });
    options.check(response.status, await response.json(), part.length);
    progress(options.label, Math.min(i + batch, events.length), events.length);
  }
  return { ms: performance.now() - start };
}
