/**
 * HQ read API (HQ accounts; the admin token for scripts), the live stream, and the
 * React HQ app that uses them (issue 15). Projections are
 * folded after pushes commit, so reads of them first wait for the projector to settle:
 * HQ sees every push that was answered before its request.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HqIncidentQuery, HqOutageQuery } from '../../src-shared/sync-wire.ts';
import type { TrackerContext } from '../context.ts';
import { parseInput } from '../http/parse.ts';
import { facilityRoster, incidentDetail, listDevices, listFacilities, listIncidents, listOutages } from './queries.ts';
import { fail } from '../http/errors.ts';
import { reportRoutes } from './report-routes.ts';
import { hqAppRoutes } from './app-assets.ts';
import { hqOverview } from './overview.ts';
import { hqStreamRoute } from './stream-route.ts';

const FacilityQuery = z.object({ facility: z.string().max(120).optional() });

/** No inline script or style anywhere on the page, so the policy can forbid both. */
export const HQ_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HQ_HEADERS = {
  'content-security-policy': HQ_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function hqRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  app.get('/v1/hq/facilities', async (request, reply) => {
    await ctx.auth.viewer(request);
    await ctx.projector.settled();
    return reply.send({ facilities: await listFacilities(ctx.store) });
  });

  app.get('/v1/hq/incidents', async (request, reply) => {
    await ctx.auth.viewer(request);
    const filter = parseInput(HqIncidentQuery, request.query);
    await ctx.projector.settled();
    return reply.send({ incidents: await listIncidents(ctx.store, filter) });
  });

  app.get('/v1/hq/incident', async (request, reply) => {
    await ctx.auth.viewer(request);
    const { facility, id } = parseInput(
      z.object({ facility: z.string().min(1).max(120), id: z.string().min(1).max(64) }),
      request.query,
    );
    const found = await incidentDetail(ctx.store, facility, id);
    if (!found) throw fail('not_found', `no incident ${id} at ${facility}`, 'id');
    return reply.send(found);
  });

  app.get('/v1/hq/staff', async (request, reply) => {
    await ctx.auth.viewer(request);
    const { facility } = parseInput(z.object({ facility: z.string().min(1).max(120) }), request.query);
    return reply.send({ staff: await facilityRoster(ctx.store, facility) });
  });

  app.get('/v1/hq/outages', async (request, reply) => {
    await ctx.auth.viewer(request);
    const filter = parseInput(HqOutageQuery, request.query);
    await ctx.projector.settled();
    return reply.send({ outages: await listOutages(ctx.store, filter) });
  });

  app.get('/v1/hq/devices', async (request, reply) => {
    await ctx.auth.viewer(request);
    const { facility } = parseInput(FacilityQuery, request.query);
    return reply.send({ devices: await listDevices(ctx.store, facility) });
  });

  // Outage evidence (issue 7): line states, attention list, period report, CSV and TMF621 exports.
  reportRoutes(app, ctx);

  app.get('/v1/hq/overview', async (request, reply) => {
    await ctx.auth.viewer(request);
    await ctx.projector.settled();
    return reply.send(await hqOverview(ctx.store, ctx.clock(), new Set(ctx.liveDevices.keys())));
  });

  hqStreamRoute(app, ctx);
  hqAppRoutes(app, HQ_HEADERS);
}
