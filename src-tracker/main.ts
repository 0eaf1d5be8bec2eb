/**
 * `npm run tracker`: the central tracker as a process. Opens (and migrates) the
 * database, serves HTTP, and on SIGTERM/SIGINT stops accepting connections, lets
 * in-flight batches commit and answer, then closes the database.
 */
import pino from 'pino';
import { ensureAdminToken } from './auth/admin-token.ts';
import { readTrackerConfig, TRACKER_READY_PREFIX, TRACKER_USAGE, type TrackerConfig } from './config.ts';
import { openTrackerDb } from './db/database.ts';
import { buildTracker } from './server.ts';

async function main(): Promise<void> {
  let config: TrackerConfig;
  try {
    config = readTrackerConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${TRACKER_USAGE}\n`);
    process.exit(2);
  }
  const logger = pino({ level: config.logLevel, base: { service: 'guardline-tracker' } });
  const store = await openTrackerDb(config.database, { log: (message) => logger.warn(message) });
  const admin = await ensureAdminToken(store, config.adminToken, Date.now());
  if (admin.source === 'generated') {
    process.stdout.write(`Admin token (shown once; store it safely, only its hash is kept): ${admin.token}\n`);
  }
  const app = await buildTracker({
    db: store,
    adminTokenHash: admin.source === 'env' ? admin.hash : undefined,
    logger,
    releasesDir: config.releasesDir,
    projector: config.projector,
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      logger.warn({ graceMs: config.shutdownGraceMs }, 'grace period over: cutting remaining connections');
      app.server.closeAllConnections();
    }, config.shutdownGraceMs);
    force.unref();
    try {
      await app.close();
      await store.close();
      logger.info('stopped');
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exitCode = 1;
    } finally {
      clearTimeout(force);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  const address = await app.listen({ port: config.port, host: config.host });
  logger.info({ address, db: store.kind }, 'listening');
  process.stdout.write(`${TRACKER_READY_PREFIX}${address}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `tracker failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
