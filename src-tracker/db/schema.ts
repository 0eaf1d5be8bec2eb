/**
 * Table shapes as Kysely sees them. Times are integer milliseconds since the epoch;
 * PostgreSQL returns BIGINT columns as strings, so readers convert with `Number()`.
 */
import type { Generated } from 'kysely';

type BigIntColumn = number | string;

export interface FacilitiesTable {
  id: string;
  created_at: number;
  /** The one display name HQ, reports and consoles show (issue 15); null only before migration 0004. */
  name: string | null;
}

export interface EnrolmentCodesTable {
  code_hash: string;
  facility: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface DevicesTable {
  id: string;
  device_id: string;
  facility: string;
  label: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
  /** Last authenticated request from this console (written at most once a minute). */
  last_seen_at: BigIntColumn | null;
  /** Raw Ed25519 public key (base64url) bound to the token; null: enrolled before signing, not bound yet. */
  public_key: string | null;
  key_bound_at: BigIntColumn | null;
  /**
   * Set with `revoked_at` when a console of the facility revoked the device (`device.revoked`):
   * its events up to this `device_seq` stay acceptable. NULL for an HQ revocation (none are).
   */
  revoked_through_seq: BigIntColumn | null;
  /** Device id of the console that revoked it; NULL for HQ. */
  revoked_by: string | null;
}

export interface AdminTokensTable {
  token_hash: string;
  created_at: number;
}

export interface EventsTable {
  server_seq: Generated<BigIntColumn>;
  id: string;
  facility: string;
  stream_id: string;
  type: string;
  /** JSON of the payload as the console sent it. */
  payload: string;
  actor: string;
  device_id: string;
  device_time: BigIntColumn;
  hlc: string;
  received_at: BigIntColumn;
  /** The enrolled device (devices.id) whose token pushed the event (the relay, not necessarily the author). */
  pushed_by: string;
  /** The author's sequence number and signature; null on pre-signature events. */
  device_seq: BigIntColumn | null;
  sig: string | null;
  /** Author chain: the author hash of the author's previous event; null when the event carries none. */
  prev: string | null;
}

/** The tracker's own Ed25519 key (one row), shared by every instance on the database. */
export interface TrackerIdentityTable {
  id: string;
  private_key_pem: string;
  public_key: string;
  created_at: BigIntColumn;
}

/**
 * HQ's list of incidents, refolded from the stream's events after every ingest that
 * touches it (projections/projector.ts). Only list and filter columns: the full
 * incident is folded from events when needed.
 */
export interface IncidentsTable {
  facility: string;
  id: string;
  unit: string;
  category: string;
  severity: string;
  status: string;
  title: string;
  occurred_at: string;
  reported_by: string;
  created_hlc: string;
  updated_hlc: string;
  note_count: number;
  conflict_count: number;
  /** Lower-cased text for HQ search (lowered in JS, so å/ä/ö fold on both databases). */
  search_text: string;
}

export interface OutagesTable {
  facility: string;
  id: string;
  status: string;
  opened_at: BigIntColumn;
  updated_hlc: string;
  /** The folded Outage as JSON. */
  doc: string;
  /** The folded CarrierTicket as JSON, or null before one is recorded. */
  ticket: string | null;
}

/** Each line's latest status change as the consoles fold it. */
export interface LineStatesTable {
  facility: string;
  line_id: string;
  state: string;
  since: BigIntColumn;
  /** HLC of the change shown (0008); null on rows from before it. */
  hlc: string | null;
}

/** The facility's latest `facility.lines_declared` catalogue as JSON. */
export interface FacilityCatalogsTable {
  facility: string;
  doc: string;
}

/** How far HQ's projections of a facility have caught up with its events. */
export interface ProjectionCursorsTable {
  facility: string;
  projected_seq: BigIntColumn;
}

export type HqRole = 'viewer' | 'admin';

export interface HqAccountsTable {
  id: string;
  name: string;
  name_key: string;
  /** scrypt$N$r$p$salt$key, as the consoles hash PINs. */
  password_hash: string;
  role: HqRole;
  created_at: number;
  failed_logins: Generated<number>;
  locked_until: BigIntColumn | null;
}

export interface HqSessionsTable {
  /** sha256 of the cookie's secret. */
  token_hash: string;
  account_id: string;
  created_at: number;
  expires_at: BigIntColumn;
}

export interface TrackerDatabase {
  facilities: FacilitiesTable;
  enrolment_codes: EnrolmentCodesTable;
  devices: DevicesTable;
  admin_tokens: AdminTokensTable;
  events: EventsTable;
  incidents: IncidentsTable;
  outages: OutagesTable;
  projection_cursors: ProjectionCursorsTable;
  hq_accounts: HqAccountsTable;
  hq_sessions: HqSessionsTable;
  line_states: LineStatesTable;
  facility_catalogs: FacilityCatalogsTable;
  tracker_identity: TrackerIdentityTable;
}
