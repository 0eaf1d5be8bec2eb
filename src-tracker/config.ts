/** Tracker start-up settings from flags and environment (flags win). */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { DbLocation } from './db/database.ts';

export interface TrackerConfig {
  host: string;
  port: number;
  database: DbLocation;
  /** Admin token given by the operator; when absent one is generated at first start. */
  adminToken: string | undefined;
  logLevel: string;
  /** How long SIGTERM waits for in-flight requests before cutting connections. */
  shutdownGraceMs: number;
  /** Release directory served to consoles at /updates/ (issue 15). */
  releasesDir: string | undefined;
  /** HQ's projector on its own thread (default) or on the event loop (server.ts `projector`). */
  projector: 'thread' | 'inline';
}

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DATA_FILE = './tracker-data/tracker.sqlite';

/** Printed on stdout once the tracker listens (followed by its URL); tests and scripts wait for it. */
export const TRACKER_READY_PREFIX = 'Guardline tracker: ';

const Port = z.coerce.number().int().min(0).max(65535);

export const TRACKER_USAGE = `usage: npm run tracker -- [--port ${DEFAULT_PORT}] [--host ${DEFAULT_HOST}] [--data ${DEFAULT_DATA_FILE}]
       [--releases DIR (npm run dist output served to consoles at /updates/)]
       [--projector thread|inline (HQ's projector on its own thread, the default, or on the event loop)]
environment: DATABASE_URL (PostgreSQL instead of the SQLite file), GUARDLINE_ADMIN_TOKEN, GUARDLINE_RELEASES_DIR,
             GUARDLINE_TRACKER_PORT, GUARDLINE_TRACKER_HOST, GUARDLINE_TRACKER_DATA,
             GUARDLINE_TRACKER_PROJECTOR, LOG_LEVEL`;

export function readTrackerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): TrackerConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'database-url': { type: 'string' },
      'log-level': { type: 'string' },
      releases: { type: 'string' },
      projector: { type: 'string' },
    },
    strict: true,
  });
  const port = Port.safeParse(values.port ?? env.GUARDLINE_TRACKER_PORT ?? DEFAULT_PORT);
  if (!port.success)
    throw new Error(`--port must be a TCP port number, got ${values.port ?? env.GUARDLINE_TRACKER_PORT}`);
  const url = values['database-url'] ?? env.DATABASE_URL;
  const projector = values.projector ?? env.GUARDLINE_TRACKER_PROJECTOR ?? 'thread';
  if (projector !== 'thread' && projector !== 'inline')
    throw new Error(`--projector must be thread or inline, got ${projector}`);
  return {
    host: values.host ?? env.GUARDLINE_TRACKER_HOST ?? DEFAULT_HOST,
    port: port.data,
    database: url
      ? { kind: 'postgres', url }
      : { kind: 'sqlite', file: values.data ?? env.GUARDLINE_TRACKER_DATA ?? DEFAULT_DATA_FILE },
    adminToken: env.GUARDLINE_ADMIN_TOKEN || undefined,
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
    shutdownGraceMs: 30_000,
    releasesDir: values.releases ?? (env.GUARDLINE_RELEASES_DIR || undefined),
    projector,
  };
}
