/**
 * Events the tracker writes into a facility's log itself: roster changes made at HQ and
 * the `device.enrolled` records that tell every console which key each device signs
 * with. They carry author `tracker`, are signed with the tracker's key, and go through
 * the same batch checks a console's push gets, so HQ cannot store what a console could not.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { createHlc, type HybridLogicalClock } from '../../src-shared/hlc.ts';
import { TRACKER_DEVICE_ID } from '../../src-shared/signed-envelope.ts';
import type { TrackerContext } from '../context.ts';
import type { TrackerDatabase } from '../db/schema.ts';
import type { AuthedDevice } from '../http/auth.ts';
import { TrackerFailure } from '../http/errors.ts';
import { hashSecret } from '../auth/tokens.ts';
import { ingestInto } from '../events/ingest.ts';
import { checkPushBatch } from '../events/validate-push.ts';

export interface TrackerFact {
  type: EventEnvelope['type'];
  streamId: string;
  payload: unknown;
  actor: string;
}

/** The tracker's own row in `devices` per facility: its events need a `pushed_by` like any console's. */
export async function ensureTrackerDevice(
  trx: Transaction<TrackerDatabase>,
  facility: string,
  now: number,
): Promise<AuthedDevice> {
  const id = `hq:${facility}`;
  await trx
    .insertInto('devices')
    .values({
      id,
      device_id: TRACKER_DEVICE_ID,
      facility,
      label: 'HQ',
      // Never a usable token: this row only names the sender of the tracker's own events.
      token_hash: hashSecret(randomBytes(32).toString('hex')),
      created_at: now,
      revoked_at: null,
      public_key: null,
      key_bound_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return { id, deviceId: TRACKER_DEVICE_ID, facility };
}

export interface TrackerAuthor {
  /** Signs and stores facts inside `trx` (the caller commits, then publishes the returned head). */
  record(
    trx: Transaction<TrackerDatabase>,
    facility: string,
    facts: readonly TrackerFact[],
    now: number,
  ): Promise<{ ids: string[]; newHead: number | null }>;
}

export function createTrackerAuthor(
  ctx: Pick<TrackerContext, 'store' | 'identity' | 'limits' | 'clock'>,
): TrackerAuthor {
  const clock: HybridLogicalClock = createHlc({ node: TRACKER_DEVICE_ID, wallClock: ctx.clock });
  return {
    async record(trx, facility, facts, now) {
      const device = await ensureTrackerDevice(trx, facility, now);
      const events: EventEnvelope[] = facts.map((f) => {
        const unsigned = {
          id: uuidv7(),
          streamId: f.streamId,
          type: f.type,
          payload: f.payload,
          actor: f.actor,
          deviceId: TRACKER_DEVICE_ID,
          deviceTime: now,
          hlc: clock.now(),
        };
        return { ...unsigned, sig: ctx.identity.signEvent(unsigned) };
      });
      const check = checkPushBatch({ events }, { facility, now, maxFutureHlcMs: ctx.limits.maxFutureHlcMs });
      if (!check.ok) throw new TrackerFailure(check.error);
      const { newHead } = await ingestInto(trx, ctx.store.kind, device, check.batch, now);
      return { ids: events.map((e) => e.id), newHead };
    },
  };
}
