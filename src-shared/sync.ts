/** What the console tells its users about sync with the central tracker. */
import { z } from 'zod';

export const SYNC_STATES = ['not_configured', 'offline', 'connecting', 'pushing', 'pulling', 'live', 'error'] as const;
export const SyncState = z.enum(SYNC_STATES);
export type SyncState = z.infer<typeof SyncState>;

/** One console of the facility as this console sees it over the LAN (issue 12). */
export const MeshPeerStatus = z.object({
  deviceId: z.string().nullable(),
  name: z.string().nullable(),
  unit: z.string().nullable(),
  address: z.string().nullable(),
  state: z.enum(['connected', 'connecting', 'unreachable', 'refused']),
  lastSeenAt: z.number().nullable(),
  /** Events the peer holds that this console has not stored yet. */
  behind: z.number().int(),
  /** The peer's own tracker link, while connected. */
  tracker: z.enum(['live', 'offline', 'not_configured']).nullable(),
  /** Why the last attempt failed or the peer was refused (a code for logs and admins). */
  refusal: z.string().nullable(),
});
export type MeshPeerStatus = z.infer<typeof MeshPeerStatus>;

/** How this console reaches the rest of the facility and HQ: what the header says. */
export const MeshRoute = z.discriminatedUnion('kind', [
  /** Its own tracker link is live. */
  z.object({ kind: z.literal('tracker') }),
  /** No tracker link of its own, but a connected peer has one ("HQ via B"). */
  z.object({ kind: z.literal('via'), peer: z.string() }),
  /** Peers on the LAN, none with HQ ("LAN only: 2 consoles", this one counted). */
  z.object({ kind: z.literal('lan'), consoles: z.number().int() }),
  /** Neither tracker nor peers. */
  z.object({ kind: z.literal('alone') }),
]);
export type MeshRoute = z.infer<typeof MeshRoute>;

export const MeshStatus = z.object({
  /** A listener is open or peers are configured. */
  enabled: z.boolean(),
  /** The bound listener, `host:port`. */
  listening: z.string().nullable(),
  /** This console's key fingerprint (SHA-256 of the public key), for pinning and pairing. */
  fingerprint: z.string().nullable(),
  peers: z.array(MeshPeerStatus),
  route: MeshRoute,
  /** DNS-SD/mDNS discovery, when on: consoles heard, dialled (key trusted), answers refused (of which over the rate limit). */
  discovery: z
    .object({
      heard: z.number().int(),
      dialable: z.number().int(),
      refused: z.number().int(),
      rateLimited: z.number().int(),
    })
    .nullable()
    .optional(),
});
export type MeshStatus = z.infer<typeof MeshStatus>;

export const MESH_OFF: MeshStatus = {
  enabled: false,
  listening: null,
  fingerprint: null,
  peers: [],
  route: { kind: 'alone' },
};

/** The route from the tracker link's state and the connected peers. Pure, so the rule is tested alone. */
export function meshRoute(
  trackerLive: boolean,
  peers: readonly Pick<MeshPeerStatus, 'state' | 'tracker' | 'name' | 'deviceId'>[],
): MeshRoute {
  if (trackerLive) return { kind: 'tracker' };
  const connected = peers.filter((p) => p.state === 'connected');
  const gateway = connected.find((p) => p.tracker === 'live');
  if (gateway) return { kind: 'via', peer: gateway.name ?? gateway.deviceId ?? '?' };
  if (connected.length > 0) return { kind: 'lan', consoles: connected.length + 1 };
  return { kind: 'alone' };
}

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
  /** The facility mesh: peers on the LAN and the route to HQ. */
  mesh: MeshStatus,
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

/**
 * `update.status` / push `update.changed` (issue 15): where the Electron console's own
 * installer stands. The shell (electron-updater against the enrolled tracker) reports it;
 * the renderer shows it on every page. `state`:
 * - `none`: nothing downloaded (also the browser host, which installs nothing itself);
 * - `downloading`: the tracker offers `version` and it is being fetched;
 * - `ready`: `version` is downloaded and installs when the console next restarts;
 * - `held`: downloaded, but an alarm stands: it will not install while one does;
 * - `error`: the last check or download failed, `error` says why.
 */
export const ConsoleUpdate = z.object({
  state: z.enum(['none', 'downloading', 'ready', 'held', 'error']),
  version: z.string().nullable(),
  error: z.string().nullable(),
});
export type ConsoleUpdate = z.infer<typeof ConsoleUpdate>;
export const NO_CONSOLE_UPDATE: ConsoleUpdate = { state: 'none', version: null, error: null };

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
/** `mesh.pairingCode`: a one-time code an admin reads out to the admin at the other console. */
export const MeshPairingCode = z.object({
  code: z.string(),
  expiresAt: z.number(),
  /** Where the other console should dial (null: this console has no listener). */
  address: z.string().nullable(),
  fingerprint: z.string(),
});
export type MeshPairingCode = z.infer<typeof MeshPairingCode>;

export const MeshPairInput = z
  .object({
    address: z
      .string()
      .trim()
      .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):\d{1,5}$/, {
        error: 'must be host:port (an IPv6 address in brackets)',
      }),
    code: z
      .string()
      .trim()
      .transform((c) => c.toUpperCase().replace(/[\s-]/g, ''))
      .pipe(
        z
          .string()
          .regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, { error: 'must be the 10-character code shown on the other console' }),
      ),
  })
  .strict();

export const MeshPairOutput = z.object({ deviceId: z.string(), name: z.string().nullable() });

export const MeshRemovePeerInput = z.object({ deviceId: z.string().min(1).max(64) }).strict();
/** Revoke a console for the whole facility (admins): a signed `device.revoked` record. */
export const MeshRevokeDeviceInput = z
  .object({ deviceId: z.string().min(1).max(64), reason: z.string().trim().max(500).default('') })
  .strict();
