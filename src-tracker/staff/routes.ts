/**
 * The roster, managed at HQ: an admin enrols, changes and re-PINs staff for a facility
 * here, and the tracker records each change as an ordinary `staff.*` event in that
 * facility's log. Consoles pull it like any other event and fold it into their cached
 * roster, so staff can sign in on any console of the facility, offline too.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { StaffEnrollInput, StaffSetPinInput, StaffUpdateInput, staffStreamId } from '../../src-shared/staff.ts';
import { hashPin } from '../../src-common/pin-hash.ts';
import type { TrackerContext } from '../context.ts';
import { parseInput } from '../http/parse.ts';
import { ensureFacility } from '../enrolment/enrolment-store.ts';

const Facility = z.string().trim().min(1, { error: 'required' }).max(120);
const EnrollBody = StaffEnrollInput.extend({ facility: Facility });
const UpdateBody = StaffUpdateInput.extend({ facility: Facility });
const PinBody = StaffSetPinInput.extend({ facility: Facility });

export function staffRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  /** Roster changes are events the tracker authors and signs (identity/authored-events.ts). */
  async function record(
    facility: string,
    facts: { type: EventEnvelope['type']; staffNumber: string; payload: unknown }[],
  ) {
    const now = ctx.clock();
    await ensureFacility(ctx.store, facility, now);
    const { ids, newHead } = await ctx.store.db.transaction().execute((trx) =>
      ctx.author.record(
        trx,
        facility,
        facts.map((f) => ({
          type: f.type,
          streamId: staffStreamId(f.staffNumber),
          payload: f.payload,
          actor: 'hq-admin',
        })),
        now,
      ),
    );
    if (newHead !== null) {
      ctx.heads.publish(facility, newHead);
      ctx.projector.notify(facility);
    }
    return ids;
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
