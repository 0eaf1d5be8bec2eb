/** What the console tells its users about sync with the central tracker. */
import { z } from 'zod';

export const SYNC_STATES = ['not_configured', 'offline', 'connecting', 'pushing', 'pulling', 'live', 'error'] as const;
export const SyncState = z.enum(SYNC_STATES);
export type SyncState = z.infer<typeof SyncState>;

export const SyncStatus = z.object({
  state: SyncState,
  /** Why the engine is offline or in error (a code the UI translates, plus detail for logs). */
  reason: z.object({ code: z.string(), detail: z.string() }).nullable(),
  trackerUrl: z.string().nullable(),
  facility: z.string().nullable(),
  /** Events from this console not yet acknowledged by the tracker (quarantined ones excluded). */
  pending: z.number().int(),
  quarantined: z.number().int(),
  /** Progress of the current drain, so a long catch-up shows "1 200 / 5 000". */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  lastSuccessAt: z.number().nullable(),
  /** Tracker clock minus this console's clock (ms), measured at the last exchange. */
  driftMs: z.number().nullable(),
  driftFlagged: z.boolean(),
  /** When the next attempt is due while backing off. */
  nextAttemptAt: z.number().nullable(),
  lastPulledSeq: z.number().int(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const QuarantinedEvent = z.object({
  eventId: z.string(),
  type: z.string(),
  streamId: z.string(),
  code: z.string(),
  field: z.string().nullable(),
  message: z.string(),
  quarantinedAt: z.number(),
});
export type QuarantinedEvent = z.infer<typeof QuarantinedEvent>;

const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/**
 * One tracker URL, or several (separated by spaces or commas) of trackers on one
 * PostgreSQL: the console fails over between them (issue 15).
 */
export const TrackerUrls = z
  .string()
  .trim()
  .max(2000)
  .refine((text) => {
    const urls = text.split(/[\s,]+/).filter(Boolean);
    return urls.length > 0 && urls.length <= 8 && urls.every((u) => HttpUrl.safeParse(u).success);
  }, 'must be an http(s) URL');

export const SyncEnrollInput = z
  .object({
    trackerUrl: TrackerUrls,
    code: z.string().trim().min(1, { error: 'required' }).max(64),
    label: z.string().trim().max(120).optional(),
    /**
     * Issue 15: join although this console's config names another facility, taking the
     * tracker's identity (its id and display name). Without it such an enrolment is refused.
     */
    adoptFacility: z.boolean().optional(),
  })
  .strict();

/** `sync.previewEnrolment`: the facility a code joins, beside this console's own, before joining. */
export const SyncPreviewInput = z
  .object({
    trackerUrl: TrackerUrls,
    code: z.string().trim().min(1, { error: 'required' }).max(64),
  })
  .strict();
const FacilityIdentity = z.object({ id: z.string(), name: z.string() });
export const SyncPreview = z.object({
  tracker: FacilityIdentity,
  console: FacilityIdentity,
  /** Same id: joining changes nothing of the facility's identity. */
  matches: z.boolean(),
});
export type SyncPreview = z.infer<typeof SyncPreview>;

/**
 * `sync.updateAvailable` (issue 15): the newest console release the enrolled tracker
 * serves at /updates/, beside this console's version. `available` is null when the
 * tracker serves none or nothing newer.
 */
export const UpdateAvailability = z.object({ current: z.string(), available: z.string().nullable() });
export type UpdateAvailability = z.infer<typeof UpdateAvailability>;

/** Dotted numeric versions compared part by part ("0.10.0" > "0.9.1"); pre-release tags ignored. */
export function newerVersion(candidate: string, current: string): boolean {
  const parts = (v: string) =>
    v
      .split(/[-+]/)[0]!
      .split('.')
      .map((n) => Number(n) || 0);
  const a = parts(candidate);
  const b = parts(current);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return false;
}
