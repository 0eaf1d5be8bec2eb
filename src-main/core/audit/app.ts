/**
 * Audit methods: who did what, when, straight from the event log (admin), the hash
 * chain check (admin), and the export record: an export is logged as an
 * `audit.exported` event before the data leaves, by whoever the export kind allows.
 */
import { EXPORT_KINDS } from '../../../src-shared/audit.ts';
import type { ChainReport } from '../../../src-shared/api.ts';
import { queryAudit, type AuditQuery, type AuditQueryResult } from './query.ts';
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import { roleAtLeast } from '../../../src-shared/staff.ts';
import type { EventStore } from '../store/event-store.ts';
import type { EventFactory } from '../event-factory.ts';
import type { FeatureApp } from '../app.ts';
import type { Roster } from '../auth/index.ts';

export interface AuditAppDeps {
  store: EventStore;
  roster: Roster;
  event: EventFactory;
  deviceId: string;
  /**
   * Issue 16: the core passes the background reader for the chain check and the audit
   * query, so neither holds its thread over a large log; absent, both run in-thread.
   */
  verifyChain?: () => Promise<ChainReport>;
  query?: (input: AuditQuery) => Promise<AuditQueryResult>;
}

export function auditApp({ store, roster, event, deviceId, verifyChain, query }: AuditAppDeps): FeatureApp {
  return {
    name: 'audit',
    handlers: {
      'store.verifyChain': () => (verifyChain ? verifyChain() : store.verifyChain()),
      'audit.query': (input) => (query ? query(input) : queryAudit(store.db, input)),
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
