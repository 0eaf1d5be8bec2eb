/**
 * `GET /v1/hq/stream`: Server-Sent Events telling HQ which facility has new events
 * (issue 15). Like the consoles' stream, only heads travel here; the app refetches
 * what it shows, so the stream can never disagree with the read API. Heads of a
 * burst are coalesced per facility, at most one message per facility every
 * COALESCE_MS, so a herd of consoles pushing does not flood every HQ screen.
 */
import type { FastifyInstance } from 'fastify';
import type { HqStreamMessage } from '../../src-shared/hq-wire.ts';
import type { TrackerContext } from '../context.ts';
import { openEventStream } from '../stream/sse.ts';

const COALESCE_MS = 100;

export function hqStreamRoute(app: FastifyInstance, ctx: TrackerContext): void {
  app.get('/v1/hq/stream', async (request, reply) => {
    await ctx.auth.viewer(request);
    const res = openEventStream(reply);

    const pending = new Map<string, number>();
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      if (res.writableEnded) return;
      for (const [facility, seq] of pending) {
        const message: HqStreamMessage = { facility, seq };
        res.write(`data: ${JSON.stringify(message)}\n\n`);
      }
      pending.clear();
    };
    const unsubscribe = ctx.heads.subscribeAll((facility, seq) => {
      pending.set(facility, Math.max(seq, pending.get(facility) ?? 0));
      timer ??= setTimeout(flush, COALESCE_MS);
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), ctx.limits.sseHeartbeatMs);
    const stream = {
      end() {
        if (!res.writableEnded) res.end();
      },
    };
    ctx.streams.add(stream);
    res.once('close', () => {
      clearInterval(heartbeat);
      if (timer) clearTimeout(timer);
      unsubscribe();
      ctx.streams.delete(stream);
    });
    // A comment the client sees at once: the stream is open, refetch to close the gap.
    res.write(': open\n\n');
  });
}
