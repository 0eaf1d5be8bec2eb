/**
 * The audit trail query, on any connection: the store's own, or the background worker's
 * read-only one (issue 16). A filter by incident reads escalation payloads across the
 * whole log, so on a large log it belongs off the core's thread.
 */
import type { z } from 'zod';
import type { AuditEntry, AuditQueryInput, AuditQueryOutput } from '../../../src-shared/audit.ts';
import { staffStreamId } from '../../../src-shared/staff.ts';
import type { Db } from '../store/database.ts';
import { redactPayload } from './redact.ts';

export type AuditQuery = z.output<typeof AuditQueryInput>;
export type AuditQueryResult = z.output<typeof AuditQueryOutput>;

interface AuditRow {
  seq: number;
  id: string;
  type: string;
  stream_id: string;
  actor: string;
  device_id: string;
  device_time: number;
  hlc: string;
  payload: string;
}

export function queryAudit(db: Db, input: AuditQuery): AuditQueryResult {
  const where: string[] = [];
  const params: unknown[] = [];
  if (input.staffNumber !== undefined) {
    where.push('(actor = ? OR stream_id = ?)');
    params.push(input.staffNumber, staffStreamId(input.staffNumber));
  }
  if (input.incidentId !== undefined) {
    // The incident's own stream and its escalations (their events name the incident).
    where.push("(stream_id = ? OR (type LIKE 'escalation.%' AND json_extract(payload, '$.incidentId') = ?))");
    params.push(input.incidentId, input.incidentId);
  }
  if (input.from !== undefined) {
    where.push('device_time >= ?');
    params.push(input.from);
  }
  if (input.to !== undefined) {
    where.push('device_time <= ?');
    params.push(input.to);
  }
  if (input.beforeSeq !== undefined) {
    where.push('seq < ?');
    params.push(input.beforeSeq);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const rows = db
    .prepare(
      `SELECT seq, id, type, stream_id, actor, device_id, device_time, hlc, payload
         FROM events ${clause} ORDER BY seq DESC LIMIT ?`,
    )
    .all(...params, input.limit + 1) as AuditRow[];
  const page = rows.slice(0, input.limit);
  const items: AuditEntry[] = page.map((r) => ({
    seq: r.seq,
    id: r.id,
    type: r.type,
    streamId: r.stream_id,
    actor: r.actor,
    deviceId: r.device_id,
    deviceTime: r.device_time,
    hlc: r.hlc,
    payload: redactPayload(r.type, JSON.parse(r.payload) as unknown),
  }));
  return { items, nextBeforeSeq: rows.length > input.limit ? page.at(-1)!.seq : null };
}
