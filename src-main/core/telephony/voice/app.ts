/** Test-call commands on the console API. Roles are checked by dispatch (src-shared/access.ts). */
import type { FeatureApp } from '../../app.ts';
import type { Telephony } from '../telephony.ts';

export function voiceApp(telephony: Telephony): FeatureApp {
  return {
    name: 'voice',
    handlers: {
      'voice.status': (input) => telephony.voice.status(input.lineId, input.limit),
      'voice.testNow': (input) => telephony.voice.request(input.lineId, 'manual'),
      'voice.setCredential': (input) => {
        telephony.credentials.set(input.ref, { username: input.username, password: input.password });
        return { ref: input.ref, storage: telephony.credentials.kind };
      },
    },
  };
}
