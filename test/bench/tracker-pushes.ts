/**
 * The HQ projector benches' pushes: the sync bench's signed backlog of one device, stored in a
 * real tracker file push by push as the push route stores it.
 */
import type { Ingestor } from '../../src-tracker/events/ingestor.ts';
import { checkPayloads, checkPushBatch } from '../../src-tracker/events/validate-push.ts';
import { asParsedSeqs, type SeqRanges } from '../../src-tracker/projections/parsed-hints.ts';
import { DEFAULT_LIMITS } from '../../src-tracker/server.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import type { AuthedDevice } from '../../src-tracker/http/auth.ts';
import { offlineBacklog } from './sync/offline-events.ts';

export const FACILITY = 'Märsta';

/** `count` signed events (incidents, no escalations) of `deviceId`, 1 ms apart and ending now. */
export function signedBacklog(count: number, deviceId: string): EventEnvelope[] {
  return offlineBacklog({
    count,
    deviceId,
    facility: FACILITY,
    unit: 'Avdelning B',
    actor: 'A-bench',
    startMs: Date.now() - count,
    signed: true,
  }).events;
}

/** The push route's envelope check of a body (payloads left to the verification workers); throws if refused. */
export function checkPushAsRoute(body: unknown) {
  const checked = checkPushBatch(body, {
    facility: FACILITY,
    now: Date.now(),
    maxFutureHlcMs: DEFAULT_LIMITS.maxFutureHlcMs,
    payloadsElsewhere: true,
  });
  if (!checked.ok) throw new Error(checked.error.message);
  return checked.batch;
}

/**
 * Store one push as the route does: its body as parsed JSON, the envelopes checked, the
 * payloads checked as the verification workers check them, the batch ingested. Returns the
 * hints the route hands the projector (the stored seqs whose payload is their schema's parse).
 */
export async function storePush(
  ingestor: Ingestor,
  device: AuthedDevice,
  events: readonly EventEnvelope[],
): Promise<SeqRanges> {
  const batch = checkPushAsRoute(JSON.parse(JSON.stringify({ events })) as unknown);
  const envelopes = batch.events.map((e) => e.envelope);
  const payloads = checkPayloads(envelopes);
  if (payloads.bad) throw new Error('a payload failed its schema');
  const outcome = await ingestor.ingest(device, batch, Date.now());
  return asParsedSeqs(outcome.results, new Set(payloads.asParsed.map((index) => envelopes[index]!.id)));
}
