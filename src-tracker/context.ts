/** What every route group of the tracker is given: store, auth, clock, limits, live heads, HQ's projector. */
import type { TrackerDb } from './db/database.ts';
import type { Ingestor } from './events/ingestor.ts';
import type { Authenticator } from './http/auth.ts';
import type { HqProjector } from './projections/projector.ts';
import type { FacilityHeads } from './stream/heads.ts';
import type { TrackerIdentity } from './identity/tracker-identity.ts';
import type { TrackerAuthor } from './identity/authored-events.ts';
import type { VerifyPool } from './events/verify-pool.ts';
import type { PushOrder } from './events/push-order.ts';

export interface TrackerLimits {
  /** Largest request body; larger is 413 `payload_too_large`. */
  bodyLimitBytes: number;
  /** Requests per window per token (per address when no token); null disables. */
  rateLimit: { max: number; timeWindowMs: number } | null;
  /** Comment line sent on idle SSE streams so proxies and clients see the connection alive. */
  sseHeartbeatMs: number;
  /** Events stamped further ahead of the tracker clock are refused. */
  maxFutureHlcMs: number;
  /** An HQ release upload (issue 15): files, bytes per file and in all. */
  releaseUpload: { maxFiles: number; maxFileBytes: number; maxTotalBytes: number };
}

export interface TrackerContext {
  store: TrackerDb;
  auth: Authenticator;
  clock: () => number;
  limits: TrackerLimits;
  heads: FacilityHeads;
  /** Stores pushed batches; on SQLite, pushes arriving together share one commit. */
  ingestor: Ingestor;
  /** Folds HQ's projections after pushes commit; HQ reads wait for it to settle. */
  projector: HqProjector;
  /** The tracker's Ed25519 key: signs what the tracker authors. */
  identity: TrackerIdentity;
  /** Writes the tracker's own signed events (roster changes, device records). */
  author: TrackerAuthor;
  /** Holds a drain's push until the push it follows has committed (push-order.ts). */
  pushOrder: PushOrder;
  /** Checks pushed events' signatures on worker threads. */
  verifier: VerifyPool;
  /** Open SSE responses, ended when the tracker shuts down. */
  streams: Set<{ end(): void }>;
  /** Enrolments (devices.id) with a live stream open to this process, and how many. */
  liveDevices: Map<string, number>;
}
