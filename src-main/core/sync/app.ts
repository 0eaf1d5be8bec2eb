/** Sync methods of the console API. */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { FeatureApp } from '../app.ts';
import type { SyncEngine } from './engine.ts';
import { createTrackerClient, TrackerFailure } from './tracker-client.ts';
import { newerVersion, type SyncPreview } from '../../../src-shared/sync.ts';

/** What the tracker answered, as the console API's error for the field it is about. */
function enrolmentFailure(error: unknown): never {
  if (!(error instanceof TrackerFailure)) throw error;
  if (error.kind === 'network' || error.kind === 'unavailable') {
    throw new ApiFailure(apiError('disconnected', error.message, 'trackerUrl'));
  }
  throw new ApiFailure(apiError('invalid_input', `the tracker refused the enrolment code: ${error.message}`, 'code'));
}

/**
 * `consoleFacility`: the facility this console's config file names (null without one).
 * Issue 15: a console joins the tracker's facility; when its config names another, it is
 * told both (`sync.previewEnrolment`) and joins only by adopting the tracker's identity.
 * A console without a facility config has no identity of its own to split: it takes the
 * tracker's.
 */
export function syncApp(
  engine: SyncEngine,
  consoleFacility: () => { id: string; name: string } | null,
  release: { appVersion: string; feed: () => { trackerUrl: string; token: string } | null } = {
    appVersion: '0.0.0',
    feed: () => null,
  },
  /** After an enrolment is stored (the facility identity may have changed). */
  onEnrolled: () => void = () => undefined,
): FeatureApp {
  async function preview(trackerUrl: string, code: string): Promise<SyncPreview> {
    const answer = await createTrackerClient({ baseUrl: trackerUrl, token: null })
      .previewEnrolment(code)
      .catch(enrolmentFailure);
    const tracker = { id: answer.facility, name: answer.facilityName };
    const own = consoleFacility();
    return { tracker, console: own ?? tracker, matches: own === null || own.id === tracker.id };
  }
  return {
    name: 'sync',
    handlers: {
      'sync.status': () => engine.status(),
      'sync.previewEnrolment': (input) => preview(input.trackerUrl, input.code),
      async 'sync.updateAvailable'() {
        const current = release.appVersion;
        const feed = release.feed();
        if (!feed) return { current, available: null };
        const latest = await createTrackerClient({ baseUrl: feed.trackerUrl, token: feed.token })
          .latestRelease()
          .catch(() => null);
        return { current, available: latest !== null && newerVersion(latest, current) ? latest : null };
      },
      async 'sync.enroll'(input) {
        if (!input.adoptFacility) {
          const seen = await preview(input.trackerUrl, input.code);
          if (!seen.matches) {
            throw new ApiFailure(
              apiError(
                'conflict',
                `this console's config names the facility "${seen.console.name}" (${seen.console.id}) but the code ` +
                  `joins "${seen.tracker.name}" (${seen.tracker.id}); enrol with adoptFacility to take the tracker's identity`,
                'facility',
              ),
            );
          }
        }
        let status;
        try {
          status = await engine.enroll(input.trackerUrl, input.code, input.label ?? '');
        } catch (error) {
          return enrolmentFailure(error);
        }
        onEnrolled();
        return status;
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
