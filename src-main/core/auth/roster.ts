/**
 * The roster projection: one row per staff member, folded from their `staff.*`
 * events (local or pulled from the tracker), and the queries sign-in and escalation
 * targeting need.
 */
import { foldStaff, type StaffRecord } from '../../../src-shared/staff-fold.ts';
import type { Role, StaffSummary } from '../../../src-shared/staff.ts';
import { STAFF_STREAM_PREFIX } from '../../../src-shared/staff.ts';
import type { Db } from '../store/database.ts';
import type { Projector } from '../store/event-store.ts';

/**
 * Per database, how many times the staff projector may have changed the staff table. A
 * roster keeps the records it read while this is unchanged (see createRoster); counted before
 * each write, so a write later rolled back still drops what was kept.
 */
const staffWrites = new WeakMap<Db, { n: number }>();

function staffWritten(db: Db): number {
  return staffWrites.get(db)?.n ?? 0;
}

export const staffProjector: Projector = {
  name: 'staff',
  handles: (type) => type.startsWith('staff.'),
  project(db, streamId, events) {
    if (!streamId.startsWith(STAFF_STREAM_PREFIX)) return;
    const count = staffWrites.get(db);
    if (count) count.n += 1;
    else staffWrites.set(db, { n: 1 });
    const record = foldStaff(events);
    if (!record) {
      db.prepare('DELETE FROM staff WHERE staff_number = ?').run(streamId.slice(STAFF_STREAM_PREFIX.length));
      return;
    }
    db.prepare(
      `INSERT INTO staff (staff_number, name, role, units, active, pin_hash, updated_hlc)
       VALUES (@staffNumber, @name, @role, @units, @active, @pinHash, @updatedHlc)
       ON CONFLICT (staff_number) DO UPDATE SET name = excluded.name, role = excluded.role, units = excluded.units,
         active = excluded.active, pin_hash = excluded.pin_hash, updated_hlc = excluded.updated_hlc`,
    ).run({ ...record, units: JSON.stringify(record.units), active: record.active ? 1 : 0 });
  },
};

interface StaffRow {
  staff_number: string;
  name: string;
  role: Role;
  units: string;
  active: number;
  pin_hash: string | null;
  updated_hlc: string;
}

function toRecord(row: StaffRow): StaffRecord {
  return {
    staffNumber: row.staff_number,
    name: row.name,
    role: row.role,
    units: JSON.parse(row.units) as string[],
    active: row.active === 1,
    pinHash: row.pin_hash,
    updatedHlc: row.updated_hlc,
  };
}

export function toSummary(record: StaffRecord): StaffSummary {
  const { staffNumber, name, role, units, active } = record;
  return { staffNumber, name, role, units, active, hasPin: record.pinHash !== null };
}

export interface Roster {
  get(staffNumber: string): StaffRecord | null;
  list(): StaffRecord[];
  isEmpty(): boolean;
  /** Active staff with exactly this role, optionally only those whose units include `unit`. */
  withRole(role: Role, unit?: string): StaffRecord[];
}

/** Staff records (or their absence) a roster keeps between staff changes. */
const KEPT_RECORDS = 256;

export function createRoster(db: Db): Roster {
  const q = {
    get: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE staff_number = ?'),
    list: db.prepare<[], StaffRow>('SELECT * FROM staff ORDER BY staff_number'),
    any: db.prepare<[], { one: number }>('SELECT 1 AS one FROM staff LIMIT 1'),
    withRole: db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE role = ? AND active = 1 ORDER BY staff_number'),
  };
  const read = (staffNumber: string): StaffRecord | null => {
    const row = q.get.get(staffNumber);
    return row ? toRecord(row) : null;
  };
  // Records read while the staff projector has written nothing since (see keeping):
  // the session check reads its record on every dispatch (`node --cpu-prof` of
  // incidents.create, docs/performance.md, round 16p), and the staff projector is the
  // table's only writer.
  const kept = new Map<string, StaffRecord | null>();
  // Likewise the active staff of each role: an escalation's notification resolves its level's
  // role targets with them (a threat's start read them once per target, round 16u's profile).
  const keptByRole = new Map<Role, readonly StaffRecord[]>();
  let keptAt = -1;
  /**
   * Whether kept records may be used, and records read kept, now: the staff projector has not
   * written since they were (it counts before each write, inside transactions too, so a write
   * that rolls back drops them as well). Inside a transaction that holds, too, while the count
   * is the one last seen outside one: then no staff write is pending in it, and the table reads
   * as committed (a threat's escalation resolves its targets inside its create's transaction,
   * 16u). A count that moved is taken up only outside a transaction.
   */
  const keeping = (): boolean => {
    const writes = staffWritten(db);
    if (writes === keptAt) return true;
    if (db.inTransaction) return false;
    kept.clear();
    keptByRole.clear();
    keptAt = writes;
    return true;
  };
  return {
    get(staffNumber) {
      if (!keeping()) return read(staffNumber);
      let record = kept.get(staffNumber);
      if (record === undefined) {
        record = read(staffNumber);
        if (kept.size < KEPT_RECORDS) kept.set(staffNumber, record);
      }
      return record;
    },
    list: () => q.list.all().map(toRecord),
    isEmpty: () => !q.any.get(),
    withRole(role, unit) {
      const keep = keeping();
      let all = keep ? keptByRole.get(role) : undefined;
      if (all === undefined) {
        all = q.withRole.all(role).map(toRecord);
        if (keep) keptByRole.set(role, all);
      }
      return unit === undefined ? [...all] : all.filter((s) => s.units.includes(unit));
    },
  };
}
