/** Sync methods of the console API. */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { FeatureApp } from '../app.ts';
import type { SyncEngine } from './engine.ts';
import { TrackerFailure } from './tracker-client.ts';

export function syncApp(engine: SyncEngine): FeatureApp {
  return {
    name: 'sync',
    handlers: {
      'sync.status': () => engine.status(),
      async 'sync.enroll'(input) {
        try {
          return await engine.enroll(input.trackerUrl, input.code, input.label ?? '');
        } catch (error) {
          if (!(error instanceof TrackerFailure)) throw error;
          if (error.kind === 'network' || error.kind === 'unavailable') {
            throw new ApiFailure(apiError('disconnected', error.message, 'trackerUrl'));
          }
          throw new ApiFailure(
            apiError('invalid_input', `the tracker refused the enrolment code: ${error.message}`, 'code'),
          );
        }
      },
      'sync.retryNow': () => engine.retryNow(),
      'sync.quarantine': () => ({ items: engine.quarantine() }),
      'sync.releaseQuarantine': (input) => {
        if (!engine.quarantine().some((q) => q.eventId === input.eventId)) {
          throw new ApiFailure(apiError('not_found', `event ${input.eventId} is not quarantined`, 'eventId'));
        }
        return engine.release(input.eventId);
      },
    },
  };
}
