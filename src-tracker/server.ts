/**
 * Composition root of the tracker's HTTP side. `buildTracker` wires routes to an
 * already-open database and returns the Fastify instance unstarted, so tests listen
 * on an ephemeral port and `main.ts` owns ports, signals and the database lifetime.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from 'pino';
import { MAX_FUTURE_HLC_MS, PUSH_MAX_BYTES, type HealthResponse } from '../src-shared/sync-wire.ts';
import type { TrackerContext, TrackerLimits } from './context.ts';
import type { TrackerDb } from './db/database.ts';
import { enrolmentRoutes } from './enrolment/routes.ts';
import { staffRoutes } from './staff/routes.ts';
import { createIngestor } from './events/ingestor.ts';
import { eventRoutes } from './events/routes.ts';
import { createPushOrder, type PushOrderOptions } from './events/push-order.ts';
import { hqRoutes } from './hq/routes.ts';
import { sessionRoutes } from './hq/session-routes.ts';
import { createAuthenticator } from './http/auth.ts';
import { installErrorHandling } from './http/errors.ts';
import { bearerToken, hashSecret } from './auth/tokens.ts';
import { createHqProjector } from './projections/projector.ts';
import { createProjectorThread } from './projections/projector-thread.ts';
import { createFacilityHeads } from './stream/heads.ts';
import { createPgCluster } from './cluster/pg-cluster.ts';
import { DEFAULT_RELEASE_UPLOAD, updateRoutes } from './updates/routes.ts';
import { streamRoutes } from './stream/routes.ts';
import { sql } from 'kysely';
import { loadTrackerIdentity } from './identity/tracker-identity.ts';
import { createTrackerAuthor } from './identity/authored-events.ts';
import { createVerifyPool } from './events/verify-pool.ts';

export type ProjectorPlacement = 'thread' | 'inline';

export const DEFAULT_LIMITS: TrackerLimits = {
  bodyLimitBytes: PUSH_MAX_BYTES,
  rateLimit: { max: 1200, timeWindowMs: 60_000 },
  sseHeartbeatMs: 15_000,
  maxFutureHlcMs: MAX_FUTURE_HLC_MS,
  releaseUpload: DEFAULT_RELEASE_UPLOAD,
};

export interface TrackerOptions {
  db: TrackerDb;
  /** sha256 of the admin token; without it, tokens stored in `admin_tokens` are accepted. */
  adminTokenHash?: string | undefined;
  limits?: Partial<TrackerLimits>;
  /** A pino logger, or false for silence (tests). */
  logger?: Logger | FastifyBaseLogger | false;
  /** Wall clock in ms; injected so tests control code expiry and the HLC horizon. */
  clock?: () => number;
  /** On PostgreSQL, join the other trackers on the database (default); false runs alone. */
  cluster?: boolean;
  /** How often a standby tracker asks for the HQ projector lock. */
  leaderRetryMs?: number;
  /** Directory of `npm run dist` output served to the fleet at /updates/ (issue 15). */
  releasesDir?: string | undefined;
  /**
   * Where HQ's projector folds on a SQLite file: on a thread of its own (default) or on the
   * event loop, as before issue 16i (`--projector inline`, for comparison). PostgreSQL and
   * `:memory:` always fold in-process (projector-thread.ts says why).
   */
  projector?: ProjectorPlacement;
  /** How long and how many pushes are held for their predecessor (push-order.ts); defaults otherwise. */
  pushOrder?: PushOrderOptions;
}

export async function buildTracker(options: TrackerOptions): Promise<FastifyInstance> {
  const limits: TrackerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const logger = options.logger ?? false;
  const app = (logger === false
    ? Fastify({ logger: false, bodyLimit: limits.bodyLimitBytes })
    : Fastify({
        loggerInstance: logger as FastifyBaseLogger,
        bodyLimit: limits.bodyLimitBytes,
      })) as unknown as FastifyInstance;

  // Several trackers may share one PostgreSQL: heads over LISTEN/NOTIFY, one projector by advisory lock.
  let leaderChanged: (leader: boolean) => void = () => {};
  const cluster =
    options.db.kind === 'postgres' && options.db.url && options.cluster !== false
      ? createPgCluster(options.db, createFacilityHeads(), {
          url: options.db.url,
          ...(options.leaderRetryMs !== undefined ? { leaderRetryMs: options.leaderRetryMs } : {}),
          onLeaderChange: (leader) => leaderChanged(leader),
          onError: (error, what) => app.log.warn({ err: error, what }, 'tracker cluster connection trouble'),
        })
      : null;
  const clock = options.clock ?? Date.now;
  const identity = await loadTrackerIdentity(options.db, clock());
  const author = createTrackerAuthor({ store: options.db, identity, limits, clock });
  const ctx: TrackerContext = {
    store: options.db,
    auth: createAuthenticator(options.db, options.adminTokenHash, clock),
    clock,
    limits,
    heads: cluster?.heads ?? createFacilityHeads(),
    ingestor: createIngestor(options.db),
    projector:
      options.db.kind === 'sqlite' &&
      options.db.file !== undefined &&
      options.db.writerGate &&
      options.projector !== 'inline'
        ? createProjectorThread(options.db.file, options.db.writerGate.buffer, {
            onError: (error, facility) => app.log.error({ err: error, facility }, 'HQ projection failed; will retry'),
            onCrash: (error) =>
              app.log.error({ err: error }, 'HQ projector thread died; a new one catches up from the cursors'),
          })
        : createHqProjector(options.db, {
            onError: (error, facility) => app.log.error({ err: error, facility }, 'HQ projection failed; will retry'),
            ...(cluster ? { isLeader: () => cluster.isLeader() } : {}),
          }),
    streams: new Set(),
    liveDevices: new Map(),
    identity,
    author,
    verifier: createVerifyPool(),
    pushOrder: createPushOrder(options.pushOrder),
  };

  if (cluster) {
    leaderChanged = (leader) => {
      app.log.info({ leader }, leader ? 'this tracker now runs the HQ projector' : 'HQ projector lock lost');
      if (leader) void ctx.projector.becameLeader();
    };
    if (cluster.isLeader()) leaderChanged(true);
    // Pushes taken by other trackers reach this one as heads: the leader folds them.
    ctx.heads.subscribeAll((facility) => ctx.projector.notify(facility));
  }

  installErrorHandling(app);
  // JSON only: a text body is a client bug better reported as 415 than parsed as a string.
  app.removeContentTypeParser('text/plain');
  if (limits.rateLimit) {
    await app.register(rateLimit, {
      max: limits.rateLimit.max,
      timeWindow: limits.rateLimit.timeWindowMs,
      // Per token, so consoles behind one NAT do not share a budget; the hash keeps tokens out of memory dumps.
      keyGenerator: (request) => {
        const token = bearerToken(request.headers.authorization);
        return token ? `t:${hashSecret(token)}` : `ip:${request.ip}`;
      },
    });
  }

  // Live streams never finish on their own: end them first so close() can drain the rest.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const stream of ctx.streams) stream.end();
  });
  // A batch in flight at shutdown still gets its answer, and then its keep-alive
  // connection is released instead of holding the process open until it idles out.
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
  // The owner closes the database after close(): no projection may still be writing then.
  app.addHook('onClose', async () => {
    await ctx.projector.stop();
    await cluster?.close();
    await ctx.verifier.close();
  });

  app.get('/v1/health', async (_request, reply) => {
    let ok = true;
    try {
      await sql`SELECT 1`.execute(ctx.store.db);
    } catch {
      ok = false;
    }
    const body: HealthResponse = { ok, db: ctx.store.kind, time: ctx.clock() };
    return reply.code(ok ? 200 : 503).send(body);
  });

  enrolmentRoutes(app, ctx);
  staffRoutes(app, ctx);
  eventRoutes(app, ctx);
  streamRoutes(app, ctx);
  sessionRoutes(app, ctx);
  hqRoutes(app, ctx);
  await updateRoutes(app, ctx, options.releasesDir ? { dir: options.releasesDir } : null);
  return app;
}
