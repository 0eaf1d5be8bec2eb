/**
 * One facility identity for line and outage facts (issue 15). Before enrolment a
 * console records its lines under the facility its config file names; once it has
 * adopted the tracker's facility at enrolment (`sync.facility` in meta), everything it
 * records carries the adopted id, and everything it holds is shown under it.
 *
 * Signed events are never rewritten (their signatures and hash chain cover the payload).
 * Instead the identity is mapped where facts are read into views: a console store only
 * ever holds its own facility's line facts (the tracker and peers give it no other), so
 * once adopted, every line and outage fact in it, whatever facility id its payload names,
 * belongs to the adopted facility:
 * - projectors (line-projection.ts, outage-projection.ts) file each fact under
 *   `facilityOfFacts`, so replays and late arrivals under the old id land in the same rows;
 * - `REKEY_TO_ADOPTED_SQL` moves the rows projected before adoption, run at enrolment
 *   (settings.ts `saveEnrolment`, same transaction) and by store migration 11 for consoles
 *   enrolled before this mapping existed. The tracker already files a console's events
 *   under the facility it enrolled in.
 */
import type { Db } from '../store/database.ts';

const ADOPTED = "(SELECT value FROM meta WHERE key = 'sync.facility')";

/** The facility a line or outage fact belongs to in this store: the adopted one, else what it names. */
export function facilityOfFacts(db: Db, named: string): string {
  const row = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'sync.facility'").get();
  return row?.value ?? named;
}

/**
 * Files every projected line and outage row under the adopted facility (no-op before
 * enrolment). A line known under two ids keeps its latest status. Store migration 11
 * runs this text: never change it; a change is a new migration.
 */
export const REKEY_TO_ADOPTED_SQL = `
  UPDATE line_status_history SET facility_id = ${ADOPTED}
    WHERE ${ADOPTED} IS NOT NULL AND facility_id != ${ADOPTED};
  UPDATE line_reports SET facility_id = ${ADOPTED}
    WHERE ${ADOPTED} IS NOT NULL AND facility_id != ${ADOPTED};
  DELETE FROM line_status WHERE ${ADOPTED} IS NOT NULL AND EXISTS (
    SELECT 1 FROM line_status newer WHERE newer.line_id = line_status.line_id AND (
      newer.updated_hlc > line_status.updated_hlc
      OR (newer.updated_hlc = line_status.updated_hlc AND newer.facility_id = ${ADOPTED}
          AND line_status.facility_id != ${ADOPTED})));
  UPDATE line_status SET facility_id = ${ADOPTED}
    WHERE ${ADOPTED} IS NOT NULL AND facility_id != ${ADOPTED};
  UPDATE outages SET facility_id = ${ADOPTED}, doc = json_set(doc, '$.facilityId', ${ADOPTED})
    WHERE ${ADOPTED} IS NOT NULL AND facility_id != ${ADOPTED};
  DELETE FROM line_samples WHERE ${ADOPTED} IS NOT NULL AND facility_id != ${ADOPTED};
`;
