/**
 * The roster, managed at HQ: an admin enrols, changes and re-PINs staff for a facility
 * here, and the tracker records each change as an ordinary `staff.*` event in that
 * facility's log. Consoles pull it like any other event and fold it into their cached
 * roster, so staff can sign in on any console of the facility, offline too.
 */
import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { createHlc } from '../../src-shared/hlc.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { StaffEnrollInput, StaffSetPinInput, StaffUpdateInput, staffStreamId } from '../../src-shared/staff.ts';
import { hashPin } from '../../src-main/core/auth/pin-hash.ts';
import type { TrackerContext } from '../context.ts';
import type { AuthedDevice } from '../http/auth.ts';
import { TrackerFailure } from '../http/errors.ts';
import { parseInput } from '../http/parse.ts';
import { hashSecret } from '../auth/tokens.ts';
import { ensureFacility } from '../enrolment/enrolment-store.ts';
import { checkPushBatch } from '../events/validate-push.ts';
import { TRACKER_HLC_NODE } from '../events/routes.ts';

const Facility = z.string().trim().min(1, { error: 'required' }).max(120);
const EnrollBody = StaffEnrollInput.extend({ facility: Facility });
const UpdateBody = StaffUpdateInput.extend({ facility: Facility });
const PinBody = StaffSetPinInput.extend({ facility: Facility });

/** The HQ's own "device" per facility, so its events carry a sender like any console's. */
async function hqDevice(ctx: TrackerContext, facility: string, now: number): Promise<AuthedDevice> {
  await ensureFacility(ctx.store, facility, now);
  const id = `hq:${facility}`;
  await ctx.store.db
    .insertInto('devices')
    .values({
      id,
      device_id: TRACKER_HLC_NODE,
      facility,
      label: 'HQ',
      // Never a usable token: the HQ device only exists to sign its own events.
      token_hash: hashSecret(randomBytes(32).toString('hex')),
      created_at: now,
      revoked_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return { id, deviceId: TRACKER_HLC_NODE, facility };
}

export function staffRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  const clock = createHlc({ node: TRACKER_HLC_NODE, wallClock: ctx.clock });

  async function record(
    facility: string,
    facts: { type: EventEnvelope['type']; staffNumber: string; payload: unknown }[],
  ) {
    const now = ctx.clock();
    const device = await hqDevice(ctx, facility, now);
    const events: EventEnvelope[] = facts.map((f) => ({
      id: uuidv7(),
      streamId: staffStreamId(f.staffNumber),
      type: f.type,
      payload: f.payload,
      actor: 'hq-admin',
      deviceId: TRACKER_HLC_NODE,
      deviceTime: now,
      hlc: clock.now(),
    }));
    // The same checks a console's push gets, so HQ cannot store what a console could not.
    const check = checkPushBatch({ events }, { facility, now, maxFutureHlcMs: ctx.limits.maxFutureHlcMs });
    if (!check.ok) throw new TrackerFailure(check.error);
    const { newHead } = await ctx.ingestor.ingest(device, check.batch, now);
    if (newHead !== null) {
      ctx.heads.publish(facility, newHead);
      ctx.projector.notify(facility);
    }
    return events.map((e) => e.id);
  }

  app.post('/v1/admin/staff', async (request, reply) => {
    await ctx.auth.admin(request);
    const { facility, pin, ...staff } = parseInput(EnrollBody, request.body);
    const facts: { type: EventEnvelope['type']; staffNumber: string; payload: unknown }[] = [
      { type: 'staff.enrolled', staffNumber: staff.staffNumber, payload: staff },
    ];
    if (pin)
      facts.push({
        type: 'staff.pin_set',
        staffNumber: staff.staffNumber,
        payload: { staffNumber: staff.staffNumber, pinHash: await hashPin(pin) },
      });
    const ids = await record(facility, facts);
    request.log.info({ facility, staffNumber: staff.staffNumber }, 'staff enrolled at HQ');
    return reply.code(201).send({ events: ids });
  });

  app.post('/v1/admin/staff/update', async (request, reply) => {
    await ctx.auth.admin(request);
    const { facility, staffNumber, patch } = parseInput(UpdateBody, request.body);
    const ids = await record(facility, [{ type: 'staff.updated', staffNumber, payload: { staffNumber, patch } }]);
    return reply.send({ events: ids });
  });

  app.post('/v1/admin/staff/pin', async (request, reply) => {
    await ctx.auth.admin(request);
    const { facility, staffNumber, pin } = parseInput(PinBody, request.body);
    const ids = await record(facility, [
      { type: 'staff.pin_set', staffNumber, payload: { staffNumber, pinHash: await hashPin(pin) } },
    ]);
    return reply.send({ events: ids });
  });
}
