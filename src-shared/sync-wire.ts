/**
 * Wire format between a console's sync engine and the central tracker (HTTP + SSE).
 * Both sides parse with these schemas, so a shape changes in exactly one place.
 *
 * Errors travel as the shared `ApiError` shape; the tracker adds a few HTTP-only
 * codes (body too large, rate limited, shutting down) listed in TRACKER_ERROR_CODES.
 */
import { z } from 'zod';
import { ApiError, ERROR_CODES } from './errors.ts';
import { EventEnvelope } from './events.ts';
import { Outage, OutageStatus } from './outages.ts';
import { PublicKeyText } from './signed-envelope.ts';

/** A push carries at most this many events… */
export const PUSH_MAX_EVENTS = 1000;
/** …and at most this many bytes of JSON (the tracker's default body limit); split by both. */
export const PUSH_MAX_BYTES = 2 * 1024 * 1024;
/** Events whose HLC is further ahead of the tracker's clock than this are refused (400). */
export const MAX_FUTURE_HLC_MS = 24 * 60 * 60 * 1000;
export const PULL_DEFAULT_LIMIT = 500;
export const PULL_MAX_LIMIT = 1000;

export const TRACKER_ERROR_CODES = [...ERROR_CODES, 'payload_too_large', 'rate_limited', 'unavailable'] as const;
export const TrackerErrorCode = z.enum(TRACKER_ERROR_CODES);
export type TrackerErrorCode = z.infer<typeof TrackerErrorCode>;
/** Every non-2xx tracker response body. */
export const TrackerError = ApiError.extend({ code: TrackerErrorCode });
export type TrackerError = z.infer<typeof TrackerError>;

// --- Enrolment --------------------------------------------------------------------

/** `POST /v1/admin/enrolment-codes` (admin token). */
export const EnrolmentCodeRequest = z
  .object({
    facility: z.string().trim().min(1, { error: 'required' }).max(120),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(60),
  })
  .strict();
export type EnrolmentCodeRequest = z.input<typeof EnrolmentCodeRequest>;
export const EnrolmentCodeResponse = z.object({
  code: z.string(),
  facility: z.string(),
  expiresAt: z.number().int(),
});
export type EnrolmentCodeResponse = z.infer<typeof EnrolmentCodeResponse>;

/**
 * `POST /v1/enroll`: a console exchanges a one-time code for a device token. The token is
 * bound to the console's Ed25519 public key (issue 12): the tracker accepts events
 * authored as this device only when that key signed them.
 */
export const EnrollRequest = z
  .object({
    code: z.string().trim().min(1, { error: 'required' }).max(64),
    deviceId: z.string().min(1).max(64),
    label: z.string().trim().max(120).default(''),
    publicKey: PublicKeyText,
    /** When the console's key was created (ms): it signs everything it authored since. Default: now. */
    signingSince: z.number().int().nonnegative().optional(),
  })
  .strict();
export type EnrollRequest = z.input<typeof EnrollRequest>;
export const EnrollResponse = z.object({
  deviceToken: z.string(),
  facility: z.string(),
  /** The tracker's own Ed25519 public key: it signs the events it authors (HQ roster changes, device records). */
  trackerKey: PublicKeyText,
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

/**
 * `POST /v1/device-key` (device token): a console enrolled before signing existed binds
 * its key once. Binding the same key again is a no-op; a different key is 409.
 */
export const DeviceKeyRequest = z
  .object({ publicKey: PublicKeyText, signingSince: z.number().int().nonnegative().optional() })
  .strict();
export const DeviceKeyResponse = z.object({ trackerKey: PublicKeyText, boundAt: z.number().int() });
export type DeviceKeyResponse = z.infer<typeof DeviceKeyResponse>;

// --- Push -------------------------------------------------------------------------

/** `POST /v1/events`: one transaction; the whole batch is accepted or refused. */
export const PushRequest = z.object({
  events: z.array(EventEnvelope).max(PUSH_MAX_EVENTS, { error: `at most ${PUSH_MAX_EVENTS} events per push` }),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const PushResult = z.object({
  id: z.string(),
  /** `duplicate`: the tracker already held this exact event (a replay); serverSeq is the original one. */
  status: z.enum(['accepted', 'duplicate']),
  serverSeq: z.number().int().positive(),
});
export type PushResult = z.infer<typeof PushResult>;

export const PushResponse = z.object({
  /** One per pushed event, in request order. */
  results: z.array(PushResult),
  /** Tracker wall clock (ms) when the batch committed: the console measures its drift against it. */
  serverTime: z.number().int(),
  /** An HLC the console may `receive()` so its clock moves past the tracker's. */
  serverHlcHint: z.string().optional(),
});
export type PushResponse = z.infer<typeof PushResponse>;

// --- Pull -------------------------------------------------------------------------

export const PullQuery = z.object({
  after: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(PULL_MAX_LIMIT).default(PULL_DEFAULT_LIMIT),
});
export type PullQuery = z.input<typeof PullQuery>;

export const PulledEvent = EventEnvelope.extend({
  serverSeq: z.number().int().positive(),
  /** Tracker wall clock (ms) when the event was first stored. */
  receivedAt: z.number().int(),
});
export type PulledEvent = z.infer<typeof PulledEvent>;

export const PullResponse = z.object({
  /** The facility's events with serverSeq > after, ascending. */
  events: z.array(PulledEvent),
  /** Pass as `after` next time (the last serverSeq returned, or the request's `after`). */
  nextAfter: z.number().int().nonnegative(),
  hasMore: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponse>;

// --- Live stream (SSE) --------------------------------------------------------------

/**
 * `GET /v1/stream` data lines. Sent once on connect with the facility's current head
 * (0 when empty), then after every commit that added events for the facility. The
 * console pulls when `seq` is beyond what it holds. Comment lines are heartbeats.
 */
export const StreamMessage = z.object({ seq: z.number().int().nonnegative() });
export type StreamMessage = z.infer<typeof StreamMessage>;

// --- Health -------------------------------------------------------------------------

export const HealthResponse = z.object({
  ok: z.boolean(),
  db: z.enum(['sqlite', 'postgres']),
  /** Tracker wall clock (ms). */
  time: z.number().int(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

// --- HQ read API (admin token) --------------------------------------------------------

export const HqFacility = z.object({
  id: z.string(),
  createdAt: z.number().int(),
  devices: z.number().int(),
  incidents: z.number().int(),
  openIncidents: z.number().int(),
  lastEventAt: z.number().int().nullable(),
});
export type HqFacility = z.infer<typeof HqFacility>;

export const HqIncidentQuery = z.object({
  facility: z.string().max(120).optional(),
  status: z.enum(['open', 'acknowledged', 'escalated', 'resolved', 'closed']).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const HqIncident = z.object({
  id: z.string(),
  facility: z.string(),
  unit: z.string(),
  category: z.string(),
  severity: z.string(),
  status: z.string(),
  title: z.string(),
  occurredAt: z.string(),
  reportedBy: z.string(),
  createdHlc: z.string(),
  updatedHlc: z.string(),
  noteCount: z.number().int(),
  conflictCount: z.number().int(),
});
export type HqIncident = z.infer<typeof HqIncident>;

export const HqOutageQuery = z.object({
  facility: z.string().max(120).optional(),
  status: OutageStatus.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/** An outage as the consoles fold it, plus the tracker facility whose consoles reported it. */
export const HqOutage = Outage.extend({ facility: z.string() });
export type HqOutage = z.infer<typeof HqOutage>;

export const HqDevice = z.object({
  id: z.string(),
  deviceId: z.string(),
  facility: z.string(),
  label: z.string(),
  createdAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});
export type HqDevice = z.infer<typeof HqDevice>;
