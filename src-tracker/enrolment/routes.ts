/** Enrolment endpoints: admin creates codes, consoles spend them, admin revokes devices. */
import type { FastifyInstance } from 'fastify';
import {
  DeviceKeyRequest,
  EnrollPreviewRequest,
  EnrollRequest,
  EnrolmentCodeRequest,
  type DeviceKeyResponse,
  type EnrollResponse,
} from '../../src-shared/sync-wire.ts';
import type { TrackerContext } from '../context.ts';
import { fail } from '../http/errors.ts';
import { parseInput } from '../http/parse.ts';
import { bindDeviceKey, createEnrolmentCode, enrollDevice, previewEnrolment, revokeDevice } from './enrolment-store.ts';

export function enrolmentRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  app.post('/v1/admin/enrolment-codes', async (request, reply) => {
    await ctx.auth.admin(request);
    const body = parseInput(EnrolmentCodeRequest, request.body);
    const created = await createEnrolmentCode(ctx.store, body, ctx.clock());
    request.log.info({ facility: created.facility, expiresAt: created.expiresAt }, 'enrolment code created');
    return reply.code(201).send(created);
  });

  app.post('/v1/enroll', async (request, reply) => {
    const body = parseInput(EnrollRequest, request.body);
    const { newHead, ...enrolled } = await enrollDevice(ctx, body, ctx.clock());
    published(enrolled.facility, newHead);
    request.log.info({ facility: enrolled.facility, deviceId: body.deviceId, key: body.publicKey }, 'device enrolled');
    const answer: EnrollResponse = enrolled;
    return reply.code(201).send(answer);
  });

  // Issue 15: a console shows the tracker's facility beside its own config's before joining.
  app.post('/v1/enroll/preview', async (request, reply) => {
    const { code } = parseInput(EnrollPreviewRequest, request.body);
    const preview = await previewEnrolment(ctx.store, code, ctx.clock());
    if (!preview) throw fail('unauthenticated', 'unknown, used or expired enrolment code', 'code');
    return reply.send(preview);
  });

  app.post('/v1/device-key', async (request, reply) => {
    const device = await ctx.auth.device(request);
    const body = parseInput(DeviceKeyRequest, request.body);
    const { newHead, ...bound } = await bindDeviceKey(ctx, device, body.publicKey, ctx.clock(), body.signingSince);
    published(device.facility, newHead);
    request.log.info({ facility: device.facility, deviceId: device.deviceId, key: body.publicKey }, 'device key bound');
    const answer: DeviceKeyResponse = bound;
    return reply.send(answer);
  });

  function published(facility: string, newHead: number | null) {
    if (newHead === null) return;
    ctx.heads.publish(facility, newHead);
    ctx.projector.notify(facility);
  }

  app.post<{ Params: { id: string } }>('/v1/admin/devices/:id/revoke', async (request, reply) => {
    await ctx.auth.admin(request);
    const revoked = await revokeDevice(ctx, request.params.id, ctx.clock());
    if (!revoked) throw fail('not_found', `no enrolled device ${request.params.id}`, 'id');
    published(revoked.facility, revoked.newHead);
    return reply.code(204).send();
  });
}
