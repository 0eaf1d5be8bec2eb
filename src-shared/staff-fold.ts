/**
 * The roster fold: one staff member's record from their `staff.*` events, last writer
 * wins by HLC, so every console and the tracker agree whatever order events arrived in.
 */
import { compareEvents, type EventEnvelope } from './events.ts';
import { StaffEnrolledPayload, StaffPinSetPayload, StaffUpdatedPayload, type Role } from './staff.ts';

export interface StaffRecord {
  staffNumber: string;
  name: string;
  role: Role;
  units: string[];
  active: boolean;
  pinHash: string | null;
  updatedHlc: string;
}

/** Fold one staff member's events (last writer wins by HLC); null until enrolled. */
export function foldStaff(events: readonly EventEnvelope[]): StaffRecord | null {
  let record = null as StaffRecord | null;
  for (const event of [...events].sort(compareEvents)) {
    if (event.type === 'staff.enrolled') {
      const p = StaffEnrolledPayload.safeParse(event.payload);
      if (!p.success) continue;
      // Enrolled again (say on two consoles): the later enrolment wins but keeps the PIN.
      record = { ...p.data, active: true, pinHash: record?.pinHash ?? null, updatedHlc: event.hlc };
    } else if (event.type === 'staff.updated' && record) {
      const p = StaffUpdatedPayload.safeParse(event.payload);
      if (!p.success) continue;
      Object.assign(record, p.data.patch);
      record.updatedHlc = event.hlc;
    } else if (event.type === 'staff.pin_set' && record) {
      const p = StaffPinSetPayload.safeParse(event.payload);
      if (!p.success) continue;
      record.pinHash = p.data.pinHash;
      record.updatedHlc = event.hlc;
    }
  }
  return record;
}
