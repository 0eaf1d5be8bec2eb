/**
 * HQ read API (admin token) and the small HQ web page that uses it. Projections are
 * folded after pushes commit, so reads of them first wait for the projector to settle:
 * HQ sees every push that was answered before its request.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { HqIncidentQuery, HqOutageQuery } from '../../src-shared/sync-wire.ts';
import type { TrackerContext } from '../context.ts';
import { parseInput } from '../http/parse.ts';
import { listDevices, listFacilities, listIncidents, listOutages } from './queries.ts';
import { reportRoutes } from './report-routes.ts';

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

const ASSETS = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
} as const;

function loadAssets(): Record<keyof typeof ASSETS, string> {
  const read = (name: keyof typeof ASSETS) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  return { 'index.html': read('index.html'), 'app.js': read('app.js'), 'style.css': read('style.css') };
}

export function hqRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  app.get('/v1/hq/facilities', async (request, reply) => {
    await ctx.auth.admin(request);
    await ctx.projector.settled();
    return reply.send({ facilities: await listFacilities(ctx.store) });
  });

  app.get('/v1/hq/incidents', async (request, reply) => {
    await ctx.auth.admin(request);
    const filter = parseInput(HqIncidentQuery, request.query);
    await ctx.projector.settled();
    return reply.send({ incidents: await listIncidents(ctx.store, filter) });
  });

  app.get('/v1/hq/outages', async (request, reply) => {
    await ctx.auth.admin(request);
    const filter = parseInput(HqOutageQuery, request.query);
    await ctx.projector.settled();
    return reply.send({ outages: await listOutages(ctx.store, filter) });
  });

  app.get('/v1/hq/devices', async (request, reply) => {
    await ctx.auth.admin(request);
    const { facility } = parseInput(FacilityQuery, request.query);
    return reply.send({ devices: await listDevices(ctx.store, facility) });
  });

  // Outage evidence (issue 7): line states, attention list, period report, CSV and TMF621 exports.
  reportRoutes(app, ctx, {
    'content-security-policy': HQ_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  });

  const assets = loadAssets();
  const serve = (name: keyof typeof ASSETS) => async (_request: unknown, reply: FastifyReply) =>
    reply
      .header('content-type', ASSETS[name])
      .header('content-security-policy', HQ_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .send(assets[name]);
  app.get('/hq', serve('index.html'));
  app.get('/hq/', serve('index.html'));
  app.get('/hq/app.js', serve('app.js'));
  app.get('/hq/style.css', serve('style.css'));
}
