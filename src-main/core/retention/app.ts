/** Retention methods (admin): what the period is and what is due, and archiving now. */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { FeatureApp } from '../app.ts';
import type { Retention } from './retention.ts';

export function retentionApp(retention: Retention): FeatureApp {
  return {
    name: 'retention',
    handlers: {
      'retention.status': () => retention.status(),
      async 'retention.run'(_input, ctx) {
        if (retention.closedIncidentDays === null) {
          throw new ApiFailure(apiError('conflict', 'retention is off on this console: no retention period is set'));
        }
        const archived = await retention.run(ctx.actor);
        return { archived, status: await retention.status() };
      },
    },
  };
}
