/**
 * Audit methods: who did what, when, straight from the event log (admin), the hash
 * chain check (admin), and the export record: an export is logged as an
 * `audit.exported` event before the data leaves, by whoever the export kind allows.
 */
import { EXPORT_KINDS, type AuditEntry } from '../../../src-shared/audit.ts';
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import { roleAtLeast, staffStreamId } from '../../../src-shared/staff.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { FeatureApp } from '../app.ts';
import type { Roster } from '../auth/index.ts';
import { redactPayload } from './redact.ts';

export interface AuditAppDeps {
  store: EventStore;
  roster: Roster;
  event: EventFactory;
  deviceId: string;
}

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

export function auditApp({ store, roster, event, deviceId }: AuditAppDeps): FeatureApp {
  return {
    name: 'audit',
    handlers: {
      'store.verifyChain': () => store.verifyChain(),
      'audit.query'(input) {
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
        const rows = store.db
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
      },
      'audit.exportLogged'(input, ctx) {
        const required = EXPORT_KINDS[input.kind];
        const staff = roster.get(ctx.actor);
        if (!staff || !roleAtLeast(staff.role, required)) {
          throw new ApiFailure(apiError('forbidden', `exporting ${input.kind} requires the ${required} role`, 'kind'));
        }
        const payload = { kind: input.kind, filters: input.filters, count: input.count ?? null };
        const logged = event('audit.exported', `audit:${deviceId}`, payload, ctx.actor);
        store.append([logged]);
        return { eventId: logged.id, loggedAt: logged.deviceTime };
      },
    },
  };
}
