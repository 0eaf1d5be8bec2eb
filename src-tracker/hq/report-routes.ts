/**
 * HQ's outage evidence (HQ accounts): current line states of every facility, the
 * incidents that need attention, the period report, and exports as CSV and TMF621
 * JSON. Registered by `hqRoutes`; the React HQ app (src-hq) uses them.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { reportCsv } from '../../src-shared/figures-csv.ts';
import { DEFAULT_NO_RESPONSE_HOURS, MAX_REPORT_SPAN_MS, ReportBucket } from '../../src-shared/figures-report.ts';
import { toTroubleTickets } from '../../src-shared/tmf621.ts';
import type { TrackerContext } from '../context.ts';
import { parseInput } from '../http/parse.ts';
import { hqCsvLabels } from './csv-labels.ts';
import { facilityIds, hqLineStates, hqReport, incidentsNeedingAttention } from './report-queries.ts';

const Facility = z.string().min(1).max(120);
const PeriodQuery = z
  .object({
    from: z.coerce.number().int().nonnegative(),
    to: z.coerce.number().int().nonnegative(),
    noResponseHours: z.coerce
      .number()
      .min(1)
      .max(24 * 90)
      .default(DEFAULT_NO_RESPONSE_HOURS),
    bucket: ReportBucket.optional(),
  })
  .refine((p) => p.to > p.from, { error: 'the period must end after it starts', path: ['to'] })
  .refine((p) => p.to - p.from <= MAX_REPORT_SPAN_MS, { error: 'at most two years', path: ['from'] });
const ReportQuery = z.intersection(PeriodQuery, z.object({ facility: Facility }));
const ExportQuery = z.intersection(
  PeriodQuery,
  z.object({ facility: Facility.optional(), lang: z.enum(['sv', 'en']).default('sv') }),
);

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'all';

export function reportRoutes(app: FastifyInstance, ctx: TrackerContext): void {
  app.get('/v1/hq/lines', async (request, reply) => {
    await ctx.auth.viewer(request);
    const { facility } = parseInput(z.object({ facility: Facility.optional() }), request.query);
    await ctx.projector.settled();
    return reply.send({ facilities: await hqLineStates(ctx.store, facility) });
  });

  app.get('/v1/hq/attention', async (request, reply) => {
    await ctx.auth.viewer(request);
    const { limit } = parseInput(
      z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      request.query,
    );
    // Incidents are a projection folded after pushes commit: wait until it has caught up
    // (the projector comes with the tracker's ingest rework; optional until it lands).
    await (ctx as { projector?: { settled(): Promise<void> } }).projector?.settled();
    return reply.send({ incidents: await incidentsNeedingAttention(ctx.store, limit) });
  });

  app.get('/v1/hq/report', async (request, reply) => {
    await ctx.auth.viewer(request);
    const query = parseInput(ReportQuery, request.query);
    const { report } = await hqReport(ctx.store, query.facility, query, ctx.clock());
    return reply.send({ report });
  });

  app.get('/v1/hq/export.csv', async (request, reply) => {
    await ctx.auth.viewer(request);
    const query = parseInput(ExportQuery, request.query);
    const facilities = query.facility ? [query.facility] : await facilityIds(ctx.store);
    const parts: string[] = [];
    for (const facility of facilities) {
      const { report } = await hqReport(ctx.store, facility, query, ctx.clock());
      parts.push(reportCsv(report, hqCsvLabels(query.lang)).replace(/^\uFEFF/, ''));
    }
    request.log.info({ export: 'csv', facility: query.facility ?? 'all', from: query.from, to: query.to }, 'HQ export');
    const name = `outages-${fileSafe(query.facility ?? 'all')}-${day(query.from)}-${day(query.to)}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(`\uFEFF${parts.join('\r\n')}`);
  });

  app.get('/v1/hq/export.tmf621', async (request, reply) => {
    await ctx.auth.viewer(request);
    const query = parseInput(ExportQuery, request.query);
    const facilities = query.facility ? [query.facility] : await facilityIds(ctx.store);
    const tickets = [];
    for (const facility of facilities) {
      const { report, catalog } = await hqReport(ctx.store, facility, query, ctx.clock());
      tickets.push(...toTroubleTickets(report.outages, report.facility, catalog));
    }
    request.log.info(
      { export: 'tmf621', facility: query.facility ?? 'all', from: query.from, to: query.to },
      'HQ export',
    );
    const name = `outages-${fileSafe(query.facility ?? 'all')}-${day(query.from)}-${day(query.to)}.tmf621.json`;
    return reply.header('content-disposition', `attachment; filename="${name}"`).send({ tickets });
  });
}
