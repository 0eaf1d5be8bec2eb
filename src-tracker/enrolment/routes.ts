/** Enrolment endpoints: admin creates codes, consoles spend them, admin revokes devices. */
import type { FastifyInstance } from 'fastify';
import { EnrollPreviewRequest, EnrollRequest, EnrolmentCodeRequest } from '../../src-shared/sync-wire.ts';
import type { TrackerContext } from '../context.ts';
import { fail } from '../http/errors.ts';
import { parseInput } from '../http/parse.ts';
import { createEnrolmentCode, enrollDevice, previewEnrolment, revokeDevice } from './enrolment-store.ts';

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
    const enrolled = await enrollDevice(ctx.store, body, ctx.clock());
    request.log.info({ facility: enrolled.facility, deviceId: body.deviceId }, 'device enrolled');
    return reply.code(201).send(enrolled);
  });

  // Issue 15: a console shows the tracker's facility beside its own config's before joining.
  app.post('/v1/enroll/preview', async (request, reply) => {
    const { code } = parseInput(EnrollPreviewRequest, request.body);
    const preview = await previewEnrolment(ctx.store, code, ctx.clock());
    if (!preview) throw fail('unauthenticated', 'unknown, used or expired enrolment code', 'code');
    return reply.send(preview);
  });

  app.post<{ Params: { id: string } }>('/v1/admin/devices/:id/revoke', async (request, reply) => {
    await ctx.auth.admin(request);
    if (!(await revokeDevice(ctx.store, request.params.id, ctx.clock()))) {
      throw fail('not_found', `no enrolled device ${request.params.id}`, 'id');
    }
    return reply.code(204).send();
  });
}
