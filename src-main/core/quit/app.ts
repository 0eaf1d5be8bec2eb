/**
 * `console.quit`: the desktop shell asks before it stops monitoring. Closing the window
 * only hides it; quitting ends line probes, escalation timers and alarms on this
 * workstation, so it takes a supervisor or admin (access.ts) and is refused while an
 * alarm stands on this console. An approved quit is a logged fact, with who and where.
 */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { SystemInfo } from '../../../src-shared/api.ts';
import type { FeatureApp } from '../app.ts';
import type { EventFactory } from '../event-factory.ts';
import type { EventStore } from '../store/event-store.ts';
import type { AlarmFeed } from '../escalation/index.ts';

export interface QuitAppDeps {
  alarms: Pick<AlarmFeed, 'current'>;
  store: Pick<EventStore, 'append'>;
  event: EventFactory;
  deviceId: string;
  host: SystemInfo['host'];
}

/** One stream per console for its own lifecycle facts. */
export function consoleStreamId(deviceId: string): string {
  return `console:${deviceId}`;
}

export function quitApp({ alarms, store, event, deviceId, host }: QuitAppDeps): FeatureApp {
  return {
    name: 'quit',
    handlers: {
      'console.quit'(_input, ctx) {
        const standing = alarms.current().length;
        if (standing > 0) {
          throw new ApiFailure(
            apiError('conflict', `${standing} alarm(s) stand on this console: acknowledge them before quitting`),
          );
        }
        const approved = event(
          'console.quit_approved',
          consoleStreamId(deviceId),
          { staffNumber: ctx.actor, host },
          ctx.actor,
        );
        store.append([approved]);
        return { eventId: approved.id };
      },
    },
  };
}
