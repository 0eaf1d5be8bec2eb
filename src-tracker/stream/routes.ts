/**
 * `GET /v1/stream`: Server-Sent Events telling a console its facility has new events.
 * Only sequence numbers travel here; the console fetches the events with a pull,
 * so one code path (pull) carries data and the stream can never skip or reorder it.
 * The first message is the facility's current head, which closes the gap between
 * the console's last pull and the moment it subscribed.
 */
import type { FastifyInstance } from 'fastify';
import type { StreamMessage } from '../../src-shared/sync-wire.ts';
import type { TrackerContext } from '../context.ts';
import { openEventStream } from './sse.ts';
import { facilityHead } from '../events/pull.ts';

export function streamRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  app.get('/v1/stream', async (request, reply) => {
    const device = await ctx.auth.device(request);
    const res = openEventStream(reply);

    let sent = -1;
    const send = (seq: number) => {
      // Heads only move forward; a stale head read on connect must not undo a later push.
      if (seq <= sent || res.writableEnded) return;
      sent = seq;
      const message: StreamMessage = { seq };
      res.write(`id: ${seq}\ndata: ${JSON.stringify(message)}\n\n`);
    };
    const unsubscribe = ctx.heads.subscribe(device.facility, send);
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), ctx.limits.sseHeartbeatMs);
    const stream = {
      end() {
        if (!res.writableEnded) res.end();
      },
    };
    ctx.streams.add(stream);
    ctx.liveDevices.set(device.id, (ctx.liveDevices.get(device.id) ?? 0) + 1);
    const closed = () => {
      const left = (ctx.liveDevices.get(device.id) ?? 1) - 1;
      if (left > 0) ctx.liveDevices.set(device.id, left);
      else ctx.liveDevices.delete(device.id);
      clearInterval(heartbeat);
      unsubscribe();
      ctx.streams.delete(stream);
    };
    res.once('close', closed);

    try {
      send(await facilityHead(ctx.store, device.facility));
    } catch (error) {
      request.log.error({ err: error }, 'stream head lookup failed');
      stream.end();
    }
  });
}
