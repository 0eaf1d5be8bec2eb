/** Push and pull: the console's two halves of sync. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { encodeHlc } from '../../src-shared/hlc.ts';
import { PullQuery, type PushResponse } from '../../src-shared/sync-wire.ts';
import type { TrackerContext } from '../context.ts';
import { hashSecret } from '../auth/tokens.ts';
import { TrackerFailure } from '../http/errors.ts';
import { parseInput } from '../http/parse.ts';
import { pullEvents } from './pull.ts';
import { checkPushBatch } from './validate-push.ts';
import { PushRefused } from './ingestor.ts';
import { startAuthorCheck } from './verify-authors.ts';
import { PUSH_ORDER_HEADER } from './push-order.ts';
import { asParsedSeqs } from '../projections/parsed-hints.ts';

/** Node name the tracker uses in the HLC hint it hands to consoles. */
export const TRACKER_HLC_NODE = 'tracker';

export function eventRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  // A drain's pushes name each other (push-order.ts): known from their headers on, settled
  // committed by the route, refused by whatever else ends them (an error, a cut request).
  // Per token, hashed as the rate limit's keys are, so the remembered pushes keep no tokens in memory.
  // Hashed once per request, in onRequest; the handler and the hooks after read it back.
  const tokens = new WeakMap<FastifyRequest, string>();
  const token = (request: FastifyRequest) => {
    let hashed = tokens.get(request);
    if (hashed === undefined) {
      hashed = hashSecret(request.headers.authorization ?? '');
      tokens.set(request, hashed);
    }
    return hashed;
  };
  const pushKeys = new WeakMap<FastifyRequest, string | null>();
  const refused = async (request: FastifyRequest) => {
    ctx.pushOrder.settle(pushKeys.get(request) ?? ctx.pushOrder.arrive(token(request), request.headers), 'refused');
  };
  const onRequest = async (request: FastifyRequest) => {
    pushKeys.set(request, ctx.pushOrder.arrive(token(request), request.headers));
  };
  app.post('/v1/events', { onRequest, onResponse: refused, onRequestAbort: refused }, async (request, reply) => {
    // Tells the console (every answer, a refusal's too) that this tracker holds a push for the one it follows.
    void reply.header(PUSH_ORDER_HEADER, '1');
    const device = await ctx.auth.device(request);
    const check = checkPushBatch(request.body, {
      facility: device.facility,
      now: ctx.clock(),
      maxFutureHlcMs: ctx.limits.maxFutureHlcMs,
      payloadsElsewhere: true,
    });
    if (!check.ok) throw new TrackerFailure(check.error);
    // Held until the push it follows in its console's drain has committed; refused if that one was not.
    await ctx.pushOrder.follow(token(request), request.headers);
    // The signatures and payloads are checked on the workers, a large push's while the
    // ingestor inserts its rows; the push commits only if they pass (ingestor.ts).
    const { verdict, asParsed } = await startAuthorCheck(ctx.store, ctx.identity, ctx.verifier, device, check.batch, {
      payloads: true,
    });
    let outcome;
    try {
      outcome = await ctx.ingestor.ingest(device, check.batch, ctx.clock(), verdict);
    } catch (error) {
      if (!(error instanceof PushRefused)) throw error;
      const { refusal } = error;
      if (refusal.kind === 'payload') throw new TrackerFailure(refusal.error);
      request.log.warn(
        {
          facility: device.facility,
          pusher: device.deviceId,
          author: refusal.author,
          event: refusal.eventId,
          field: refusal.error.field,
          reason: refusal.error.message,
        },
        'push refused: event not authored as claimed',
      );
      throw new TrackerFailure(refusal.error);
    }
    ctx.pushOrder.settle(pushKeys.get(request) ?? null, 'committed');
    const { results, newHead, sharedCommit } = outcome;
    if (newHead !== null) {
      ctx.heads.publish(device.facility, newHead);
      // With the seqs whose payload the workers found already in its parsed form: HQ's fold skips their parse.
      ctx.projector.notify(device.facility, asParsedSeqs(results, await asParsed));
    }
    const accepted = results.filter((r) => r.status === 'accepted').length;
    request.log.info(
      {
        facility: device.facility,
        device: device.deviceId,
        accepted,
        duplicates: results.length - accepted,
        head: newHead,
        sharedCommit,
      },
      'events ingested',
    );
    const serverTime = ctx.clock();
    const body: PushResponse = {
      results,
      serverTime,
      serverHlcHint: encodeHlc({ wallMs: serverTime, counter: 0, node: TRACKER_HLC_NODE }),
    };
    return reply.send(body);
  });

  app.get('/v1/events', async (request, reply) => {
    const device = await ctx.auth.device(request);
    const query = parseInput(PullQuery, request.query);
    return reply.send(await pullEvents(ctx.store, device.facility, query.after, query.limit));
  });
}
