/** Escalation and alarm methods of the console API. Who may start or acknowledge is in access.ts. */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { EventStore } from '../store/event-store.ts';
import type { FeatureApp } from '../app.ts';
import type { Roster } from '../auth/index.ts';
import type { AlarmFeed } from './alarms.ts';
import { toView } from './model.ts';
import type { EscalationQueries } from './projection.ts';
import type { EscalationRunner } from './runner.ts';

export interface EscalationAppDeps {
  runner: EscalationRunner;
  queries: EscalationQueries;
  roster: Roster;
  alarms: AlarmFeed;
  store: EventStore;
}

export function escalationApp({ runner, queries, roster, alarms, store }: EscalationAppDeps): FeatureApp {
  return {
    name: 'escalation',
    handlers: {
      'escalation.start': (input, ctx) => toView(runner.start(input.incidentId, ctx.actor, input.policyId)),
      'escalation.acknowledge'(input, ctx) {
        const staff = roster.get(ctx.actor);
        if (!staff) throw new ApiFailure(apiError('forbidden', 'only a staff member on the roster can acknowledge'));
        return toView(runner.acknowledge(input.escalationId, { staffNumber: staff.staffNumber, role: staff.role }));
      },
      'escalation.list': (input) => ({ items: queries.list(input) }),
      'escalation.get'(input) {
        const escalation = queries.view(input.escalationId);
        if (!escalation)
          throw new ApiFailure(apiError('not_found', `no escalation ${input.escalationId}`, 'escalationId'));
        return { escalation, timeline: store.streamEvents(input.escalationId) };
      },
      'alarms.list': () => ({ alarms: alarms.current() }),
    },
  };
}
