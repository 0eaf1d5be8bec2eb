import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createHlc } from '../../../src-shared/hlc.ts';
import { ApiFailure } from '../../../src-shared/errors.ts';
import { openEventStore, type EventStore } from '../../../src-main/core/store/event-store.ts';
import { createAuthService, createRoster, staffProjector } from '../../../src-main/core/auth/index.ts';
import { createEventFactory } from '../../../src-main/core/event-factory.ts';
import { systemTimers } from '../../../src-main/core/timers.ts';
import { tempDir } from '../../support/temp.ts';

const dir = tempDir();
let store: EventStore | null = null;
afterEach(() => {
  store?.close();
  dir.cleanup();
});

function service(bootstrapBlocked: () => string | null) {
  store = openEventStore(join(dir.path, 'bootstrap.sqlite'));
  store.registerProjector(staffProjector);
  const wallClock = () => Date.now();
  return createAuthService({
    store,
    roster: createRoster(store.db),
    event: createEventFactory({ clock: createHlc({ node: 'd1', wallClock }), deviceId: 'd1', wallClock }),
    wallClock,
    timers: systemTimers,
    pinParams: { N: 1024, r: 8, p: 1 },
    bootstrapBlocked,
  });
}

describe('first admin on an enrolled console', () => {
  it('is refused until the console has synced its facility roster, and nothing is stored', async () => {
    let synced = false;
    const auth = service(() => (synced ? null : 'wait for sync'));
    const attempt = auth.bootstrapAdmin('A1', 'Admin', '1111');
    await expect(attempt).rejects.toBeInstanceOf(ApiFailure);
    await expect(attempt).rejects.toMatchObject({ error: { code: 'conflict', message: 'wait for sync' } });
    expect(auth.state()).toMatchObject({ session: null, rosterEmpty: true });
    synced = true;
    expect((await auth.bootstrapAdmin('A1', 'Admin', '1111')).session?.staffNumber).toBe('A1');
    auth.stop();
  });
});
